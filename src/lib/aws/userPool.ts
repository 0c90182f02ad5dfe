/*
 * The rider's user-pool account, as promises with our own types, through amazon-cognito-identity-js (in maintenance,
 * end of support announced: docs/aws-behaviour.md#the-cognito-library-is-in-maintenance). The only file that imports
 * the library (it stores tokens in the format `tokens.ts` reads and writes), so replacing it replaces this file:
 * docs/architecture.md#if-the-library-goes. Load it with `userPoolLoader.ts`.
 */
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserAttribute,
  CognitoUserPool,
  type CognitoUserSession,
  type ICognitoStorage,
} from 'amazon-cognito-identity-js'
import { claimsOf, type IdTokenClaims } from './claims'
import type { IdentityProof } from '@/lib/identityCheck'
import { getAwsConfig } from './config'
import { CodeRequiredError, IdentityCheckError, NotSignedInError } from './errors'
import { clearTokens } from './tokens'
import { sendUserPoolRequest } from './userPoolClient'

/** Attributes a rider may change (the app client's WriteAttributes). */
export type WritableAttributeName = 'email' | 'phone_number' | 'name' | 'picture'
export type VerifiableAttributeName = 'email' | 'phone_number'

/** Where a code went, e.g. `{ attributeName: 'email', medium: 'EMAIL', destination: 'r***@e***' }`. */
export interface CodeDelivery {
  attributeName: string
  medium: string
  destination: string
}

export interface SignUpDetails {
  email: string
  password: string
  /** E.164, e.g. +14155550123. */
  phoneNumber: string
  name: string
}

export interface SignUpOutcome {
  isConfirmed: boolean
  codeDelivery?: CodeDelivery
}

/**
 * Sign-in either succeeded, needs a new password (a rider created by an administrator), or needs a second-factor code
 * (two-step sign-in), which {@link sendSignInCode} answers: the code of the rider's authenticator app, or the code
 * Cognito texted to `textedTo` (the masked phone number, e.g. `+*******1234`).
 */
export type SignInOutcome =
  | { kind: 'signedIn'; claims: IdTokenClaims }
  | { kind: 'newPasswordRequired'; requiredAttributes: string[] }
  | { kind: 'codeRequired'; authenticatorName?: string; textedTo?: string }

/** The second factors a sign-in code step answers (RespondToAuthChallenge's ChallengeName). */
type CodeChallengeName = 'SOFTWARE_TOKEN_MFA' | 'SMS_MFA'

let pool: CognitoUserPool | undefined
/**
 * The rider between sign-in and the answer to its challenge (new password, authenticator code): the library keeps the
 * challenge session on this object.
 */
let challengedUser: CognitoUser | undefined
/** Which factor the pending code step of {@link challengedUser} answers. */
let codeChallengeName: CodeChallengeName = 'SOFTWARE_TOKEN_MFA'
/**
 * An identity check waiting for the code Cognito texted (SMS_MFA): the code exists only once the password was checked,
 * so the rider answers this same sign-in with it ({@link confirmIdentity} again), within its three minutes.
 */
let textedCheck: { username: string; user: CognitoUser; textedTo: string } | undefined

/** `localStorage` in the browser; tests in Node install their own before the first call. */
function storage(): ICognitoStorage {
  return globalThis.localStorage
}

function userPool(): CognitoUserPool {
  if (!pool) {
    const config = getAwsConfig()
    pool = new CognitoUserPool({
      UserPoolId: config.userPoolId,
      ClientId: config.userPoolClientId,
      Storage: storage(),
      ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    })
  }
  return pool
}

function cognitoUser(email: string): CognitoUser {
  return new CognitoUser({ Username: email, Pool: userPool(), Storage: storage() })
}

/** Node-style callback → promise. */
function settle<T>(run: (callback: (error?: Error | null, result?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    run((error, result) => (error ? reject(error) : resolve(result as T)))
  })
}

/** `{ onSuccess, onFailure }` callbacks → promise. */
function settleCallbacks<T>(run: (callbacks: { onSuccess: (result: T) => void; onFailure: (error: Error) => void }) => void): Promise<T> {
  return new Promise((resolve, reject) => run({ onSuccess: resolve, onFailure: reject }))
}

/** The claims of the session's ID token. */
function sessionClaims(session: CognitoUserSession): IdTokenClaims {
  return claimsOf(session.getIdToken().decodePayload())
}

function codeDeliveryOf(details: unknown): CodeDelivery | undefined {
  if (typeof details !== 'object' || details === null) return undefined
  const { AttributeName, DeliveryMedium, Destination } = details as Record<string, unknown>
  return { attributeName: String(AttributeName ?? ''), medium: String(DeliveryMedium ?? ''), destination: String(Destination ?? '') }
}

/**
 * The stored rider and a valid session (the library refreshes an expired one).
 * @throws NotSignedInError when nobody is signed in or the session was revoked
 */
async function requireUserSession(): Promise<{ user: CognitoUser; session: CognitoUserSession }> {
  const user = userPool().getCurrentUser()
  if (!user) throw new NotSignedInError()
  try {
    return { user, session: await settle<CognitoUserSession>((callback) => user.getSession(callback)) }
  } catch (error) {
    const { code } = error as { code?: string }
    // A revoked or expired refresh token (the library already cleared the stored tokens), or the library's plain
    // Errors when storage holds no usable tokens.
    if (code === 'NotAuthorizedException' || (!code && /authenticate/i.test((error as Error).message))) throw new NotSignedInError()
    throw error
  }
}

/**
 * Registers a new rider; Cognito sends a code to their email.
 * @throws UsernameExistsException, InvalidPasswordException, InvalidParameterException, CodeDeliveryFailureException…
 */
export async function signUp(details: SignUpDetails): Promise<SignUpOutcome> {
  const attributes = [
    new CognitoUserAttribute({ Name: 'email', Value: details.email }),
    new CognitoUserAttribute({ Name: 'phone_number', Value: details.phoneNumber }),
    new CognitoUserAttribute({ Name: 'name', Value: details.name }),
  ]
  const result = await settle<{ userConfirmed: boolean; codeDeliveryDetails?: unknown }>((callback) =>
    userPool().signUp(details.email, details.password, attributes, [], callback),
  )
  const codeDelivery = codeDeliveryOf(result.codeDeliveryDetails)
  return { isConfirmed: result.userConfirmed, ...(codeDelivery ? { codeDelivery } : {}) }
}

/** Confirms a new account with the emailed code. */
export async function confirmSignUp(email: string, code: string): Promise<void> {
  await settle<unknown>((callback) => cognitoUser(email).confirmRegistration(code, false, callback))
}

/** Sends a new sign-up code. */
export async function resendSignUpCode(email: string): Promise<CodeDelivery | undefined> {
  const result = await settle<{ CodeDeliveryDetails?: unknown }>((callback) => cognitoUser(email).resendConfirmationCode(callback))
  return codeDeliveryOf(result?.CodeDeliveryDetails)
}

/** Signs in with SRP (the password never leaves the browser); stores the tokens. */
export function signIn(email: string, password: string): Promise<SignInOutcome> {
  const user = cognitoUser(email)
  challengedUser = undefined
  return new Promise((resolve, reject) => {
    user.authenticateUser(new AuthenticationDetails({ Username: email, Password: password }), {
      onSuccess: (session) => resolve({ kind: 'signedIn', claims: sessionClaims(session) }),
      onFailure: reject,
      newPasswordRequired: (_userAttributes, requiredAttributes: string[]) => {
        challengedUser = user
        resolve({ kind: 'newPasswordRequired', requiredAttributes: requiredAttributes ?? [] })
      },
      // The rider turned two-step sign-in on: the challenge names their authenticator.
      // docs/aws-behaviour.md#two-step-sign-in-with-an-authenticator-app
      totpRequired: (_challengeName, parameters: Record<string, string> | undefined) => {
        challengedUser = user
        codeChallengeName = 'SOFTWARE_TOKEN_MFA'
        const authenticatorName = parameters?.FRIENDLY_DEVICE_NAME
        resolve({ kind: 'codeRequired', ...(authenticatorName ? { authenticatorName } : {}) })
      },
      // A pool deployed with SMS lists SMS_MFA too, so a rider an administrator gave SMS MFA is texted a code; the
      // challenge names the masked number. docs/aws-behaviour.md#two-step-sign-in-with-a-texted-code
      mfaRequired: (_challengeName, parameters: Record<string, string> | undefined) => {
        challengedUser = user
        codeChallengeName = 'SMS_MFA'
        const textedTo = parameters?.CODE_DELIVERY_DESTINATION
        resolve({ kind: 'codeRequired', ...(textedTo ? { textedTo } : {}) })
      },
      // Both factors are optional (infra/template.yaml): a required setup or a custom challenge would be a
      // configuration bug.
      mfaSetup: (challengeName) => reject(new Error(`Unsupported sign-in challenge ${challengeName}`)),
      selectMFAType: (challengeName) => reject(new Error(`Unsupported sign-in challenge ${challengeName}`)),
      customChallenge: () => reject(new Error('Unsupported sign-in challenge CUSTOM_CHALLENGE')),
    })
  })
}

/**
 * Answers the NEW_PASSWORD_REQUIRED step of the last {@link signIn}.
 * @param requiredAttributes values for the attributes the step asked for, e.g. `{ name: 'Ada' }`.
 */
export function completeNewPassword(newPassword: string, requiredAttributes: Record<string, string> = {}): Promise<IdTokenClaims> {
  const user = challengedUser
  if (!user) return Promise.reject(new Error('completeNewPassword called without a pending new-password step'))
  return new Promise((resolve, reject) => {
    user.completeNewPasswordChallenge(newPassword, requiredAttributes, {
      onSuccess: (session) => {
        challengedUser = undefined
        resolve(sessionClaims(session))
      },
      onFailure: reject,
    })
  })
}

/**
 * Answers the code step of the last {@link signIn} (RespondToAuthChallenge SOFTWARE_TOKEN_MFA or SMS_MFA, as the step
 * asked). A wrong code may be tried again in the same step; an expired step (three minutes) means signing in again.
 * @throws CodeMismatchException (wrong code), ExpiredCodeException (a code already used), NotAuthorizedException
 */
export function sendSignInCode(code: string): Promise<IdTokenClaims> {
  const user = challengedUser
  if (!user) return Promise.reject(new Error('sendSignInCode called without a pending code step'))
  return new Promise((resolve, reject) => {
    user.sendMFACode(
      code,
      {
        onSuccess: (session) => {
          challengedUser = undefined
          resolve(sessionClaims(session))
        },
        onFailure: reject,
      },
      codeChallengeName,
    )
  })
}

/** Forgets a pending sign-in challenge (the rider went back to the password form). */
export function abandonSignInChallenge(): void {
  challengedUser = undefined
}

/**
 * Signs out on this device: revokes the refresh token (RevokeToken) and forgets the stored tokens. The tokens are
 * forgotten even when revocation fails (e.g. offline); that failure is logged, as the rider has still left this device.
 */
export async function signOut(): Promise<void> {
  const user = userPool().getCurrentUser()
  if (user) {
    try {
      await settle<void>((callback) => user.signOut(callback))
    } catch (error) {
      console.warn('Signed out on this device, but the refresh token could not be revoked', error)
      user.signOut()
    }
  }
  challengedUser = undefined
  textedCheck = undefined
  clearTokens()
}

/** Signs the rider out of every device (GlobalSignOut revokes all their tokens), then forgets the stored tokens. */
export async function globalSignOut(): Promise<void> {
  const { user } = await requireUserSession()
  await settleCallbacks<string>((callbacks) => user.globalSignOut(callbacks))
  clearTokens()
}

/** Sends a password-reset code to the rider's verified email. */
export async function forgotPassword(email: string): Promise<CodeDelivery | undefined> {
  const result = await new Promise<{ CodeDeliveryDetails?: unknown }>((resolve, reject) =>
    cognitoUser(email).forgotPassword({ onSuccess: resolve, onFailure: reject, inputVerificationCode: resolve }),
  )
  return codeDeliveryOf(result?.CodeDeliveryDetails)
}

/** Sets a new password with the code from {@link forgotPassword}. */
export async function confirmForgotPassword(email: string, code: string, newPassword: string): Promise<void> {
  await settleCallbacks<string>((callbacks) => cognitoUser(email).confirmPassword(code, newPassword, callbacks))
}

/** Changes the signed-in rider's password. */
export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  const { user } = await requireUserSession()
  await settle<'SUCCESS'>((callback) => user.changePassword(currentPassword, newPassword, callback))
}

/** Storage that lives only as long as one check: the rider's stored session stays as it was. */
function throwawayStorage(): ICognitoStorage {
  const items = new Map<string, string>()
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
    clear: () => items.clear(),
  }
}

/**
 * Asks the signed-in rider to prove it is them before a sensitive change: a fresh SRP sign-in of the same user with
 * their password (and the authenticator code when two-step sign-in is on), in throwaway storage, whose refresh token
 * is then revoked. Cognito counts wrong passwords and locks the user out after repeated failures, as for any sign-in.
 * A rider whose second factor is a texted code (SMS_MFA) is texted it once the password is right: that check fails with
 * CodeRequired naming the number, and the next call answers the same sign-in with `code`, as often as Cognito lets a
 * wrong code be retried. docs/architecture.md#what-a-device-keeps-of-a-rider-and-what-asks-first
 * @throws IdentityCheckError whose cause is NotAuthorizedException (wrong password, "Password attempts exceeded", a
 *   texted check's expired session), CodeMismatchException or CodeRequired
 */
export async function confirmIdentity({ password, code }: IdentityProof): Promise<void> {
  const { user: rider } = await requireUserSession()
  const username = rider.getUsername()
  const texted = textedCheck?.username === username ? textedCheck : undefined
  textedCheck = undefined
  const user = texted?.user ?? new CognitoUser({ Username: username, Pool: userPool(), Storage: throwawayStorage() })
  await new Promise<void>((resolve, reject) => {
    const answer = { onSuccess: () => resolve(), onFailure: reject }
    if (texted) {
      if (code) user.sendMFACode(code, answer, 'SMS_MFA')
      else reject(new CodeRequiredError())
      return
    }
    const unsupported = (challengeName: string) => reject(new Error(`Unsupported sign-in challenge ${challengeName}`))
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), {
      ...answer,
      newPasswordRequired: () => unsupported('NEW_PASSWORD_REQUIRED'),
      totpRequired: () => (code ? user.sendMFACode(code, answer, 'SOFTWARE_TOKEN_MFA') : reject(new CodeRequiredError())),
      // The code was texted just now: whatever `code` says, it cannot be this one yet.
      // docs/aws-behaviour.md#two-step-sign-in-with-a-texted-code
      mfaRequired: (_challengeName, parameters: Record<string, string> | undefined) => {
        textedCheck = { username, user, textedTo: parameters?.CODE_DELIVERY_DESTINATION ?? '' }
        reject(new CodeRequiredError())
      },
      mfaSetup: unsupported,
      selectMFAType: unsupported,
      customChallenge: () => unsupported('CUSTOM_CHALLENGE'),
    })
  }).catch((error: unknown) => {
    // A wrong or missing code may be given again on the same sign-in; an expired one needs a new check (a new text).
    const { code: name } = error as { code?: string }
    if (texted && (name === 'CodeMismatchException' || name === 'CodeRequired')) textedCheck = texted
    throw new IdentityCheckError(error, textedCheck?.textedTo)
  })
  try {
    await settle<void>((callback) => user.signOut(callback))
  } catch (error) {
    // The check passed; a refresh token left unrevoked expires on its own and was never stored.
    console.warn('The identity check passed, but its refresh token could not be revoked', error)
  }
}

/** Deletes the signed-in rider's account; their photos must go first, while they can still get credentials. */
export async function deleteUser(): Promise<void> {
  const { user } = await requireUserSession()
  await settle<string>((callback) => user.deleteUser(callback))
  clearTokens()
}

/**
 * The access token for a call the library would follow with GetUser and, once it has the user's data cached, a second
 * session refresh (REFRESH_TOKEN_AUTH) of its own: UpdateUserAttributes and DeleteUserAttributes go through the JSON
 * client, and the caller's single refresh reads the new claims. docs/aws-behaviour.md#one-refresh-after-an-attribute-change
 */
async function accessToken(): Promise<string> {
  return (await requireUserSession()).session.getAccessToken().getJwtToken()
}

/**
 * Changes attributes. An attribute the pool verifies before updating (email) keeps its old value until
 * {@link verifyAttribute} (docs/aws-behaviour.md#email-changes-wait-for-verification); the result says which
 * attributes await a code and where it went.
 */
export async function updateUserAttributes(changes: Partial<Record<WritableAttributeName, string>>): Promise<CodeDelivery[]> {
  const result = await sendUserPoolRequest('UpdateUserAttributes', {
    AccessToken: await accessToken(),
    UserAttributes: Object.entries(changes).map(([Name, Value]) => ({ Name, Value })),
  })
  return (result.CodeDeliveryDetailsList ?? []).flatMap((details) => codeDeliveryOf(details) ?? [])
}

/** Removes attributes, e.g. `['picture']`. */
export async function deleteUserAttributes(names: WritableAttributeName[]): Promise<void> {
  await sendUserPoolRequest('DeleteUserAttributes', { AccessToken: await accessToken(), UserAttributeNames: names })
}

/** Sends a code to verify an attribute (e.g. a phone number the pool does not verify on its own). */
export async function getAttributeVerificationCode(name: VerifiableAttributeName): Promise<CodeDelivery | undefined> {
  const { user } = await requireUserSession()
  const result = await new Promise<{ CodeDeliveryDetails?: unknown } | undefined>((resolve, reject) =>
    user.getAttributeVerificationCode(name, {
      onSuccess: () => resolve(undefined),
      onFailure: reject,
      inputVerificationCode: (data) => resolve(data as { CodeDeliveryDetails?: unknown }),
    }),
  )
  return codeDeliveryOf(result?.CodeDeliveryDetails)
}

/** Confirms an attribute with its code; a pending email replaces the old one now. */
export async function verifyAttribute(name: VerifiableAttributeName, code: string): Promise<void> {
  const { user } = await requireUserSession()
  await settleCallbacks<string>((callbacks) => user.verifyAttribute(name, code, callbacks))
}

/**
 * Starts setting up an authenticator app (AssociateSoftwareToken): the new shared secret, base32. Two-step sign-in
 * stays as it was until {@link turnOnTwoStepSignIn} verifies a code from it.
 */
export async function startAuthenticatorSetup(): Promise<string> {
  const { user } = await requireUserSession()
  return new Promise((resolve, reject) => user.associateSoftwareToken({ associateSecretCode: resolve, onFailure: reject }))
}

/**
 * Verifies a code from the new authenticator (VerifySoftwareToken, naming it) and turns two-step sign-in on with it as
 * the preferred factor (SetUserMFAPreference).
 * @throws EnableSoftwareTokenMFAException for a wrong code
 */
export async function turnOnTwoStepSignIn(code: string, authenticatorName: string): Promise<void> {
  const { user } = await requireUserSession()
  await settleCallbacks<unknown>((callbacks) => user.verifySoftwareToken(code, authenticatorName, callbacks))
  await settle<string>((callback) => user.setUserMfaPreference(null, { Enabled: true, PreferredMfa: true }, callback))
}

/** Turns two-step sign-in off (SetUserMFAPreference): the password alone signs the rider in again. */
export async function turnOffTwoStepSignIn(): Promise<void> {
  const { user } = await requireUserSession()
  await settle<string>((callback) => user.setUserMfaPreference(null, { Enabled: false, PreferredMfa: false }, callback))
}
