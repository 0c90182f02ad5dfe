/*
 * The rider's passkeys through Cognito's own WebAuthn API (the JSON client, never the user-pool library, which knows
 * only SRP): add one, list them, remove one, and sign in with one (InitiateAuth USER_AUTH, then RespondToAuthChallenge
 * WEB_AUTHN), whose tokens go to the one owner of the rider's tokens. Loaded only when a rider uses passkeys.
 * docs/aws-behaviour.md#passkeys-through-cognitos-webauthn-api
 */
import {
  assertionToJson,
  creationOptionsFromJson,
  registrationToJson,
  requestOptionsFromJson,
  type JsonObject,
} from '@/lib/passkeyJson'
import type { IdTokenClaims } from './claims'
import { getAwsConfig } from './config'
import { freshTokens, storeTokens } from './tokens'
import { sendUserPoolRequest } from './userPoolClient'

/** One of the rider's passkeys as ListWebAuthnCredentials describes it (Cognito keeps no "last used"). */
export interface Passkey {
  id: string
  /** The authenticator's name, e.g. "iCloud Keychain", as Cognito gives it. */
  name: string
  createdAt?: Date
}

/** A passkey failure that is not an AWS error: its `code` names it for `describeAwsError`. */
export class PasskeyError extends Error {
  constructor(readonly code: 'PasskeyCancelled' | 'PasskeyWrongSite' | 'PasskeyAlreadyAdded' | 'PasskeysUnsupported' | 'NoPasskey' | 'PasskeyNeedsCode') {
    super(code)
    this.name = 'PasskeyError'
  }
}

/** What the browser's refusals mean for the rider. https://www.w3.org/TR/webauthn-3/#sctn-createCredential */
const BROWSER_ERRORS: Readonly<Record<string, PasskeyError['code']>> = {
  // The rider closed the prompt, it timed out, or no passkey of the list is on this device.
  NotAllowedError: 'PasskeyCancelled',
  AbortError: 'PasskeyCancelled',
  // The options' RP ID is not this site's domain.
  SecurityError: 'PasskeyWrongSite',
  // The authenticator holds one of `excludeCredentials`: a passkey for this rider is on it already.
  InvalidStateError: 'PasskeyAlreadyAdded',
  NotSupportedError: 'PasskeysUnsupported',
}

/** Runs the browser's prompt, with its refusals as {@link PasskeyError}s. */
async function prompt(ask: (container: CredentialsContainer) => Promise<Credential | null>): Promise<PublicKeyCredential> {
  if (typeof PublicKeyCredential === 'undefined' || typeof navigator.credentials === 'undefined') {
    throw new PasskeyError('PasskeysUnsupported')
  }
  try {
    const credential = await ask(navigator.credentials)
    if (!credential) throw new PasskeyError('PasskeyCancelled')
    return credential as PublicKeyCredential
  } catch (caught) {
    const code = caught instanceof Error ? BROWSER_ERRORS[caught.name] : undefined
    throw code ? new PasskeyError(code) : caught
  }
}

async function accessToken(): Promise<string> {
  return (await freshTokens()).accessToken
}

/**
 * Adds a passkey made by this device's authenticator (StartWebAuthnRegistration, the browser's prompt,
 * CompleteWebAuthnRegistration). For a rider with two-step sign-in on, a verified passkey is made to count as both
 * steps (SetUserMFAPreference `WebAuthnMfaSettings`), or the pool would not let them sign in with it.
 * docs/aws-behaviour.md#a-rider-with-two-step-sign-in-and-a-passkey
 */
export async function addPasskey(): Promise<void> {
  const AccessToken = await accessToken()
  const { CredentialCreationOptions } = await sendUserPoolRequest('StartWebAuthnRegistration', { AccessToken })
  const publicKey = creationOptionsFromJson(CredentialCreationOptions as JsonObject)
  const credential = await prompt((container) => container.create({ publicKey }))
  await sendUserPoolRequest('CompleteWebAuthnRegistration', { AccessToken, Credential: registrationToJson(credential) })
  const { UserMFASettingList } = await sendUserPoolRequest('GetUser', { AccessToken })
  if (UserMFASettingList?.includes('SOFTWARE_TOKEN_MFA')) {
    await sendUserPoolRequest('SetUserMFAPreference', { AccessToken, WebAuthnMfaSettings: { Enabled: true } })
  }
}

/**
 * Once two-step sign-in is on, makes the rider's passkeys count as both steps (SetUserMFAPreference
 * `WebAuthnMfaSettings`) when they have any: the pool would otherwise stop taking them for sign-in. Nothing to do on a
 * stack without passkeys. docs/aws-behaviour.md#a-rider-with-two-step-sign-in-and-a-passkey
 */
export async function keepPasskeysForSignIn(): Promise<void> {
  if (!getAwsConfig().canUsePasskeys) return
  const AccessToken = await accessToken()
  const { Credentials } = await sendUserPoolRequest('ListWebAuthnCredentials', { AccessToken, MaxResults: 1 })
  if (Credentials?.length) await sendUserPoolRequest('SetUserMFAPreference', { AccessToken, WebAuthnMfaSettings: { Enabled: true } })
}

/** Every passkey of the rider, page by page (ListWebAuthnCredentials gives at most 20 at a time). */
export async function listPasskeys(): Promise<Passkey[]> {
  const AccessToken = await accessToken()
  const passkeys: Passkey[] = []
  let NextToken: string | undefined
  do {
    const page = await sendUserPoolRequest('ListWebAuthnCredentials', { AccessToken, MaxResults: 20, ...(NextToken ? { NextToken } : {}) })
    for (const { CredentialId, FriendlyCredentialName, CreatedAt } of page.Credentials ?? []) {
      if (!CredentialId) continue
      passkeys.push({
        id: CredentialId,
        name: FriendlyCredentialName || 'Passkey',
        ...(CreatedAt === undefined ? {} : { createdAt: new Date(CreatedAt * 1000) }),
      })
    }
    NextToken = page.NextToken
  } while (NextToken)
  return passkeys
}

/** Removes one passkey (DeleteWebAuthnCredential): it no longer signs the rider in. */
export async function removePasskey(id: string): Promise<void> {
  await sendUserPoolRequest('DeleteWebAuthnCredential', { AccessToken: await accessToken(), CredentialId: id })
}

/**
 * Signs `email` in with a passkey: InitiateAuth USER_AUTH preferring WEB_AUTHN, the browser's prompt with the options
 * Cognito gave, RespondToAuthChallenge WEB_AUTHN with the assertion; the tokens are stored as any sign-in's.
 * @throws PasskeyError `NoPasskey` when Cognito offers no passkey challenge (the rider has none, or is unknown)
 * @returns the new ID token's claims
 */
export async function signInWithPasskey(email: string): Promise<IdTokenClaims> {
  const ClientId = getAwsConfig().userPoolClientId
  const started = await sendUserPoolRequest('InitiateAuth', {
    AuthFlow: 'USER_AUTH',
    ClientId,
    AuthParameters: { USERNAME: email, PREFERRED_CHALLENGE: 'WEB_AUTHN' },
  })
  const options = started.ChallengeParameters?.CREDENTIAL_REQUEST_OPTIONS
  // A preference the user cannot meet is answered with the choices instead (SELECT_CHALLENGE).
  if (started.ChallengeName !== 'WEB_AUTHN' || !options) throw new PasskeyError('NoPasskey')
  const publicKey = requestOptionsFromJson(JSON.parse(options) as JsonObject)
  const credential = await prompt((container) => container.get({ publicKey }))
  const answered = await sendUserPoolRequest('RespondToAuthChallenge', {
    ClientId,
    ChallengeName: 'WEB_AUTHN',
    ...(started.Session ? { Session: started.Session } : {}),
    ChallengeResponses: {
      USERNAME: started.ChallengeParameters?.USERNAME ?? email,
      CREDENTIAL: JSON.stringify(assertionToJson(credential)),
    },
  })
  // A pool whose passkeys count as one factor asks a rider with two-step sign-in for their code after all.
  if (!answered.AuthenticationResult) throw new PasskeyError('PasskeyNeedsCode')
  return storeTokens(answered.AuthenticationResult)
}
