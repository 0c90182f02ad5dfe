import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server'
import { decodeAttestationObject, decodeClientDataJSON, isoBase64URL, parseAuthenticatorData, toHash } from '@simplewebauthn/server/helpers'
import { invalidParameter } from '../errors.ts'
import type { UserPoolModel } from '../template/model.ts'
import type { WebAuthnSettings } from '../template/userPoolSignIn.ts'
import {
  webAuthnConfigurationMissing,
  webAuthnCredentialNotSupported,
  webAuthnNotEnabled,
  webAuthnOriginNotAllowed,
  webAuthnRelyingPartyMismatch,
} from './errors.ts'
import type { StoredPasskey } from './passkeys.ts'

// The user pool as a WebAuthn relying party: the options Cognito hands the browser, and the checks of what the
// authenticator answers, done by @simplewebauthn/server (signatures, attestation, flags, counter). Origin, relying party
// and challenge are read first, so that each failure gets the error Cognito names for it.
// docs/aws-behaviour.md#passkeys-through-cognitos-webauthn-api

/**
 * Locally the relying party is `localhost`, whatever domain the template names (its CloudFront distribution, which a
 * browser never reaches locally): WebAuthn allows no IP address as an RP ID, and `localhost` is a secure context.
 */
export const LOCAL_RELYING_PARTY_ID = 'localhost'

/** ES256 and RS256, the algorithms Cognito asks authenticators for. */
const SUPPORTED_ALGORITHMS = [-7, -257]
/** How long the browser may take: the three minutes a sign-in challenge lives. */
export const CEREMONY_TIMEOUT_MS = 3 * 60_000
/** What local AWS asks for and checks: no attestation certificate chain, so nothing is fetched to check one. */
const ACCEPTED_ATTESTATION_FORMATS = ['none', 'packed']

/** The pool's passkey settings; WebAuthnNotEnabledException or WebAuthnConfigurationMissingException when it has none. */
export function relyingPartyOf(pool: UserPoolModel): WebAuthnSettings & { id: string } {
  if (!pool.allowedFirstAuthFactors.includes('WEB_AUTHN')) throw webAuthnNotEnabled()
  if (pool.webAuthn.relyingPartyId === undefined) throw webAuthnConfigurationMissing()
  return { ...pool.webAuthn, id: LOCAL_RELYING_PARTY_ID }
}

/** Every `http://localhost:<port>` page may use the local relying party: the dev server, the preview and the local site. */
export function isAllowedOrigin(origin: string): boolean {
  try {
    const url = new URL(origin)
    return url.protocol === 'http:' && url.hostname === LOCAL_RELYING_PARTY_ID && url.origin === origin
  } catch {
    return false
  }
}

/** The user a passkey is made for, as the browser shows it. */
export interface PasskeyUser {
  /** Stable and opaque: the user's `sub`. */
  id: string
  /** What the user signs in with, e.g. their email. */
  name: string
  displayName: string
}

/** StartWebAuthnRegistration's `CredentialCreationOptions`: a discoverable credential, none of the user's own again. */
export async function registrationOptions(pool: UserPoolModel, user: PasskeyUser, existing: StoredPasskey[]): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const relyingParty = relyingPartyOf(pool)
  return generateRegistrationOptions({
    rpName: relyingParty.id,
    rpID: relyingParty.id,
    userID: new TextEncoder().encode(user.id),
    userName: user.name,
    userDisplayName: user.displayName,
    timeout: CEREMONY_TIMEOUT_MS,
    attestationType: 'none',
    excludeCredentials: existing.map(({ id, transports }) => ({ id, transports })),
    authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: relyingParty.userVerification },
    extensions: { credProps: true },
    supportedAlgorithmIDs: SUPPORTED_ALGORITHMS,
  })
}

/** The `CREDENTIAL_REQUEST_OPTIONS` of a WEB_AUTHN challenge: any of the user's passkeys may answer. */
export async function requestOptions(pool: UserPoolModel, passkeys: StoredPasskey[]): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const relyingParty = relyingPartyOf(pool)
  return generateAuthenticationOptions({
    rpID: relyingParty.id,
    allowCredentials: passkeys.map(({ id, transports }) => ({ id, transports: transports as AuthenticatorTransport[] })),
    userVerification: relyingParty.userVerification,
    timeout: CEREMONY_TIMEOUT_MS,
  })
}

type AuthenticatorTransport = NonNullable<RegistrationResponseJSON['response']['transports']>[number]

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function malformed(what: string): never {
  throw invalidParameter(`${what} is not a valid WebAuthn credential`)
}

/** The members every WebAuthn credential JSON has, checked for their type: `{ id, rawId, type, response: {...} }`. */
function checkCredentialShape(value: unknown, member: string, responseMembers: string[]): void {
  if (!isRecord(value) || typeof value.id !== 'string' || typeof value.rawId !== 'string' || value.type !== 'public-key') malformed(member)
  const response = value.response
  if (!isRecord(response) || responseMembers.some((name) => typeof response[name] !== 'string')) malformed(member)
}

/** CompleteWebAuthnRegistration's `Credential`, a JSON document: RegistrationResponseJSON. */
export function parseRegistrationResponse(value: unknown): RegistrationResponseJSON {
  checkCredentialShape(value, 'Credential', ['clientDataJSON', 'attestationObject'])
  return value as RegistrationResponseJSON
}

/** RespondToAuthChallenge's `CREDENTIAL`, a JSON string: AuthenticationResponseJSON with base64url members. */
export function parseAuthenticationResponse(text: string): AuthenticationResponseJSON {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    malformed('CREDENTIAL')
  }
  checkCredentialShape(value, 'CREDENTIAL', ['clientDataJSON', 'authenticatorData', 'signature'])
  return value as AuthenticationResponseJSON
}

/** What the browser signed: the ceremony type, the challenge and the page's origin. */
export function clientDataOf(credential: RegistrationResponseJSON | AuthenticationResponseJSON): { type: string; challenge: string; origin: string } {
  try {
    const { type, challenge, origin } = decodeClientDataJSON(credential.response.clientDataJSON)
    if (typeof type === 'string' && typeof challenge === 'string' && typeof origin === 'string') return { type, challenge, origin }
  } catch {
    // Reported below as any other malformed credential.
  }
  return malformed('Credential')
}

async function isRelyingPartyHash(rpIdHash: Uint8Array, relyingPartyId: string): Promise<boolean> {
  const expected = await toHash(new TextEncoder().encode(relyingPartyId))
  return Buffer.from(rpIdHash).equals(Buffer.from(expected))
}

/** A few well-known authenticators by AAGUID, for a name the rider recognises (https://github.com/passkeydeveloper/passkey-authenticator-aaguids). */
const AUTHENTICATOR_NAMES: Record<string, string> = {
  'ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4': 'Google Password Manager',
  'adce0002-35bc-c60a-648b-0b25f1f05503': 'Chrome on Mac',
  'fbfc3007-154e-4ecc-8c0b-6e020557d7bd': 'iCloud Keychain',
  '08987058-cadc-4b81-b6e1-30de50dcbe96': 'Windows Hello',
  '9ddd1817-af5a-4672-a2b9-3e3dd95000a9': 'Windows Hello',
  '6028b017-b1d4-4c02-b4b3-afcdafc96bb2': 'Windows Hello',
  'bada5566-a7aa-401f-bd96-45619a55120d': '1Password',
  'd548826e-79b4-db40-a3d8-11116f7e8349': 'Bitwarden',
}

/** A name for a new passkey: its authenticator's when known, else what kind of authenticator it is. */
function friendlyNameOf(aaguid: string, attachment: string | undefined): string {
  return AUTHENTICATOR_NAMES[aaguid] ?? (attachment === 'cross-platform' ? 'Security key' : 'Passkey')
}

/**
 * Checks a new passkey against the challenge it answers and returns it ready to store. WebAuthnOriginNotAllowedException
 * for a page not allowed, WebAuthnRelyingPartyMismatchException for a credential made for another relying party,
 * WebAuthnCredentialNotSupportedException for anything else the pool does not accept (algorithm, attestation, missing
 * user presence or verification, a broken signature).
 */
export async function verifyRegistration(
  pool: UserPoolModel,
  credential: RegistrationResponseJSON,
  expectedChallenge: string,
  now: number,
): Promise<StoredPasskey> {
  const relyingParty = relyingPartyOf(pool)
  const { origin } = clientDataOf(credential)
  if (!isAllowedOrigin(origin)) throw webAuthnOriginNotAllowed(origin)
  let fmt: string
  let rpIdHash: Uint8Array
  try {
    const attestation = decodeAttestationObject(isoBase64URL.toBuffer(credential.response.attestationObject))
    fmt = attestation.get('fmt')
    rpIdHash = parseAuthenticatorData(attestation.get('authData')).rpIdHash
  } catch {
    return malformed('Credential')
  }
  if (!(await isRelyingPartyHash(rpIdHash, relyingParty.id))) throw webAuthnRelyingPartyMismatch()
  if (!ACCEPTED_ATTESTATION_FORMATS.includes(fmt)) throw webAuthnCredentialNotSupported(`attestation format ${fmt}`)
  let verified: Awaited<ReturnType<typeof verifyRegistrationResponse>>
  try {
    verified = await verifyRegistrationResponse({
      response: credential,
      expectedChallenge,
      expectedOrigin: origin,
      expectedRPID: relyingParty.id,
      requireUserVerification: relyingParty.userVerification === 'required',
      supportedAlgorithmIDs: SUPPORTED_ALGORITHMS,
    })
  } catch (error) {
    throw webAuthnCredentialNotSupported((error as Error).message)
  }
  if (!verified.verified) throw webAuthnCredentialNotSupported('the attestation does not verify')
  const { credential: made, aaguid } = verified.registrationInfo
  const attachment = credential.authenticatorAttachment ?? undefined
  return {
    id: made.id,
    publicKey: isoBase64URL.fromBuffer(made.publicKey),
    counter: made.counter,
    transports: made.transports ?? [],
    ...(attachment && { attachment }),
    friendlyName: friendlyNameOf(aaguid, attachment),
    relyingPartyId: relyingParty.id,
    createdAt: now,
  }
}

/** Why an assertion was refused, for the sign-in to word its NotAuthorizedException. */
export type AssertionFailure = 'origin' | 'challenge' | 'invalid'

/**
 * Checks a sign-in assertion: its challenge, origin, relying party, user presence and verification as the pool
 * requires, signature and counter. The counter the authenticator reported and whether it verified the user, or why not.
 */
export async function verifyAssertion(
  pool: UserPoolModel,
  credential: AuthenticationResponseJSON,
  expectedChallenge: string,
  passkey: StoredPasskey,
): Promise<{ counter: number; isUserVerified: boolean } | { failure: AssertionFailure }> {
  const relyingParty = relyingPartyOf(pool)
  const { type, challenge, origin } = clientDataOf(credential)
  if (type !== 'webauthn.get' || challenge !== expectedChallenge) return { failure: 'challenge' }
  if (!isAllowedOrigin(origin)) return { failure: 'origin' }
  try {
    const verified = await verifyAuthenticationResponse({
      response: credential,
      expectedChallenge,
      expectedOrigin: origin,
      expectedRPID: relyingParty.id,
      credential: {
        id: passkey.id,
        publicKey: isoBase64URL.toBuffer(passkey.publicKey),
        counter: passkey.counter,
        transports: passkey.transports as AuthenticatorTransport[],
      },
      requireUserVerification: relyingParty.userVerification === 'required',
    })
    if (!verified.verified) return { failure: 'invalid' }
    return { counter: verified.authenticationInfo.newCounter, isUserVerified: verified.authenticationInfo.userVerified }
  } catch {
    return { failure: 'invalid' }
  }
}
