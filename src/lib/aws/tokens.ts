/*
 * The signed-in rider's tokens, and the only code that reads or writes them: in the keys and format
 * amazon-cognito-identity-js uses (so that it and this module share them; the keys and the "is a rider stored" marker
 * sit in `tokenStorage.ts`, which the landing page imports alone), whether they are still valid, refreshing them,
 * storing those of any sign-in flow, and forgetting them on sign-out. It never loads the library.
 * docs/architecture.md#the-riders-tokens
 */
import { claimsOf, type IdTokenClaims } from './claims'
import { getAwsConfig } from './config'
import { hasStoredTokens, isLikelySignedIn, lastAuthUser, storageKey } from './tokenStorage'
import type { UserPoolResponse } from './userPoolClient'

export { hasStoredTokens, isLikelySignedIn }

/**
 * Tokens this close to expiry are refreshed before use: the AWS SDK refreshes credentials 5 minutes early, and a
 * request must not reach Cognito with a token that expired on the way.
 */
export const TOKEN_REFRESH_MARGIN_SECONDS = 5 * 60

/** An ID token and an access token of the signed-in rider, each with more than {@link TOKEN_REFRESH_MARGIN_SECONDS} left. */
export interface FreshTokens {
  idToken: string
  accessToken: string
}

/** The stored session while both its tokens are valid, as `CognitoUser.getSession()` would return it without a call. */
export interface StoredSession extends FreshTokens {
  claims: IdTokenClaims
  /** Seconds the token expiring first has left on Cognito's clock (the stored clock drift applied). */
  secondsLeft: number
}

/** What a sign-in flow (InitiateAuth, RespondToAuthChallenge) or a refresh answers with. */
export type AuthenticationResult = NonNullable<UserPoolResponse<'InitiateAuth'>['AuthenticationResult']>

const TOKEN_NAMES = ['idToken', 'accessToken', 'refreshToken', 'clockDrift', 'userData'] as const
type StoredName = (typeof TOKEN_NAMES)[number]

const signedOutListeners = new Set<() => void>()
/** The refresh under way: callers at once share one InitiateAuth. */
let refreshing: Promise<IdTokenClaims | null> | undefined

function storedItem(user: string, name: StoredName): string | null {
  return localStorage.getItem(storageKey(`${user}.${name}`))
}

/** A JWT's payload; undefined when it is not one. The signature is not checked: the library does not check it either. */
function decodePayload(token: string | null | undefined): Record<string, unknown> | undefined {
  const payload = token?.split('.')[1]
  if (!payload) return undefined
  try {
    // base64url → bytes → UTF-8: a rider's name may hold any character (atob alone would garble "José").
    const bytes = Uint8Array.from(atob(payload.replace(/-/g, '+').replace(/_/g, '/')), (char) => char.charCodeAt(0))
    const decoded: unknown = JSON.parse(new TextDecoder().decode(bytes))
    return typeof decoded === 'object' && decoded !== null ? (decoded as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/**
 * The `sub` of the rider whose ID token is stored on this device, expired or not: a hint for what to download before
 * the session is restored, never a proof of who is signed in.
 */
export function storedRiderSub(): string | undefined {
  const user = lastAuthUser()
  const sub = user ? decodePayload(storedItem(user, 'idToken'))?.sub : undefined
  return typeof sub === 'string' ? sub : undefined
}

/**
 * The time on Cognito's clock, in epoch milliseconds: the device's minus the drift measured when the tokens were stored
 * (the device's own when nobody is). Presigned URLs are signed with it (docs/aws-behaviour.md#presigned-urls-use-the-corrected-clock).
 */
export function cognitoNow(now = Date.now()): number {
  const user = lastAuthUser()
  const driftSeconds = user ? Number.parseInt(storedItem(user, 'clockDrift') ?? '', 10) || 0 : 0
  return now - driftSeconds * 1000
}

/**
 * The stored session while an ID token and an access token are both unexpired on Cognito's clock (the library's rule,
 * `CognitoUserSession.isValid`: the local clock minus the stored drift); otherwise undefined.
 */
export function readStoredSession(now = Date.now()): StoredSession | undefined {
  const user = lastAuthUser()
  if (!user) return undefined
  const idToken = storedItem(user, 'idToken')
  const accessToken = storedItem(user, 'accessToken')
  const idPayload = decodePayload(idToken)
  const accessPayload = decodePayload(accessToken)
  if (!idToken || !accessToken || !idPayload || !accessPayload) return undefined
  const serverNow = Math.floor(cognitoNow(now) / 1000)
  const secondsLeft = Math.min(Number(idPayload.exp), Number(accessPayload.exp)) - serverNow
  if (!(secondsLeft > 0)) return undefined
  return { idToken, accessToken, claims: claimsOf(idPayload), secondsLeft }
}

/**
 * Stores the tokens a sign-in flow or a refresh answered with, as amazon-cognito-identity-js stores its own (so it
 * can use and refresh them): under the access token's `username`, with the clock drift it would measure, marking the
 * rider as the last signed in. A result without a refresh token (a refresh) keeps the stored one.
 * @returns the new ID token's claims
 */
export function storeTokens(result: AuthenticationResult): IdTokenClaims {
  const idPayload = decodePayload(result.IdToken)
  const accessPayload = decodePayload(result.AccessToken)
  const username = accessPayload?.username ?? idPayload?.['cognito:username']
  if (!result.IdToken || !result.AccessToken || !idPayload || typeof username !== 'string') {
    throw new Error('The user pool answered without an ID token and an access token')
  }
  const issuedAt = Math.min(Number(idPayload.iat), Number(accessPayload?.iat))
  const items: Partial<Record<StoredName, string>> = {
    idToken: result.IdToken,
    accessToken: result.AccessToken,
    ...(result.RefreshToken ? { refreshToken: result.RefreshToken } : {}),
    clockDrift: String(Number.isFinite(issuedAt) ? Math.floor(Date.now() / 1000) - issuedAt : 0),
  }
  for (const [name, value] of Object.entries(items)) localStorage.setItem(storageKey(`${username}.${name}`), value)
  localStorage.setItem(storageKey('LastAuthUser'), username)
  return claimsOf(idPayload)
}

/** Forgets the stored tokens (the library's `clearCachedUser` removes the same keys) and tells every {@link onSignedOut} listener. */
export function clearTokens(): void {
  const user = lastAuthUser()
  if (user) for (const name of TOKEN_NAMES) localStorage.removeItem(storageKey(`${user}.${name}`))
  localStorage.removeItem(storageKey('LastAuthUser'))
  for (const listener of signedOutListeners) listener()
}

/**
 * Calls `listener` after every sign-out, global sign-out and account deletion, so modules loaded later (the
 * identity-pool credentials) can drop per-rider state. docs/aws-behaviour.md#identity-ids-are-cached-per-rider
 * @returns a function that removes the listener.
 */
export function onSignedOut(listener: () => void): () => void {
  signedOutListeners.add(listener)
  return () => signedOutListeners.delete(listener)
}

async function sendRefresh(): Promise<IdTokenClaims | null> {
  const user = lastAuthUser()
  const refreshToken = user ? storedItem(user, 'refreshToken') : null
  if (!refreshToken) return null
  const { sendUserPoolRequest } = await import('./userPoolClient')
  try {
    const { AuthenticationResult } = await sendUserPoolRequest('InitiateAuth', {
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      ClientId: getAwsConfig().userPoolClientId,
      AuthParameters: { REFRESH_TOKEN: refreshToken },
    })
    return storeTokens(AuthenticationResult ?? {})
  } catch (error) {
    // A revoked or expired refresh token: nobody is signed in any more (the library forgets the tokens too).
    if ((error as { code?: string }).code !== 'NotAuthorizedException') throw error
    clearTokens()
    return null
  }
}

/** New tokens for the stored refresh token, stored; null when none is stored or the user pool refused it. */
function refreshTokens(): Promise<IdTokenClaims | null> {
  refreshing ??= sendRefresh().finally(() => {
    refreshing = undefined
  })
  return refreshing
}

/** The signed-in rider's claims: from the stored tokens while they are valid (no call), else refreshed; null when nobody is signed in. */
export async function currentClaims(): Promise<IdTokenClaims | null> {
  return readStoredSession()?.claims ?? (await refreshTokens())
}

async function notSignedIn(): Promise<never> {
  throw new (await import('./errors')).NotSignedInError()
}

/**
 * Trades the stored refresh token for new tokens now (InitiateAuth REFRESH_TOKEN_AUTH) and stores them, so attribute
 * changes show in the claims; callers at once share one request. A refused refresh token is forgotten.
 * @throws NotSignedInError when no refresh token is stored or the user pool refused it
 */
export async function refreshSession(): Promise<IdTokenClaims> {
  return (await refreshTokens()) ?? notSignedIn()
}

/**
 * Tokens with more than {@link TOKEN_REFRESH_MARGIN_SECONDS} left: the stored ones when they have them, else refreshed.
 * docs/aws-behaviour.md#logins-return-a-fresh-id-token
 * @throws NotSignedInError when nobody is signed in
 */
export async function freshTokens(): Promise<FreshTokens> {
  const stored = readStoredSession()
  if (stored && stored.secondsLeft > TOKEN_REFRESH_MARGIN_SECONDS) return stored
  await refreshSession()
  return readStoredSession() ?? notSignedIn()
}

/** An ID token for the identity pool's `logins`, fresh for every call. docs/aws-behaviour.md#logins-return-a-fresh-id-token */
export async function freshIdToken(): Promise<string> {
  return (await freshTokens()).idToken
}
