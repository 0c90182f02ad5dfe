/*
 * The session amazon-cognito-identity-js stores on this device, read without loading that library (~27 KiB gzipped),
 * so that the landing page and a returning rider's `/profile` (up to the photo) do not wait for it. Read-only, by the
 * library's own keys and validity rule; refreshing, writing and forgetting tokens stay in `userPool.ts`.
 * docs/aws-behaviour.md#the-stored-session-read-without-the-library
 */
import { claimsOf, type IdTokenClaims } from './claims'
import { lastAuthUser, storedClockDriftSeconds, storedItem } from './libraryStorage'

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
  /** Seconds the token expiring first has left on Cognito's clock (the library's stored clock drift applied). */
  secondsLeft: number
}

const signedOutListeners = new Set<() => void>()

/** A JWT's payload; undefined when it is not one. The signature is not checked: the library does not check it either. */
function decodePayload(token: string | null): Record<string, unknown> | undefined {
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
  const sub = user ? decodePayload(storedItem(`${user}.idToken`))?.sub : undefined
  return typeof sub === 'string' ? sub : undefined
}

/**
 * The stored session when `CognitoUser.getSession()` would hand it back as it is: an ID token and an access token
 * both unexpired on Cognito's clock. Otherwise undefined, and only the library can go on (refreshing them, or finding
 * nobody signed in).
 */
export function readStoredSession(now = Date.now()): StoredSession | undefined {
  const user = lastAuthUser()
  if (!user) return undefined
  const idToken = storedItem(`${user}.idToken`)
  const accessToken = storedItem(`${user}.accessToken`)
  const idPayload = decodePayload(idToken)
  const accessPayload = decodePayload(accessToken)
  if (!idToken || !accessToken || !idPayload || !accessPayload) return undefined
  // The library's rule (CognitoUserSession.isValid): both expiries against the local clock minus the stored drift.
  const serverNow = Math.floor(now / 1000) - storedClockDriftSeconds()
  const secondsLeft = Math.min(Number(idPayload.exp), Number(accessPayload.exp)) - serverNow
  if (!(secondsLeft > 0)) return undefined
  return { idToken, accessToken, claims: claimsOf(idPayload), secondsLeft }
}

/** The user-pool library, only when the stored tokens will not do: it refreshes them, or finds nobody signed in. */
const loadUserPool = () => import('./userPool')

/** The signed-in rider's claims: from the stored tokens while they are valid (no library, no call), else the library's. */
export async function currentClaims(): Promise<IdTokenClaims | null> {
  return readStoredSession()?.claims ?? (await loadUserPool()).getCurrentSession()
}

/**
 * Tokens with at least five minutes left: the stored ones when they have them, otherwise ones the library refreshed.
 * @throws NotSignedInError when nobody is signed in
 */
export async function freshTokens(): Promise<FreshTokens> {
  const stored = readStoredSession()
  if (stored && stored.secondsLeft > TOKEN_REFRESH_MARGIN_SECONDS) return stored
  return (await loadUserPool()).getFreshTokens()
}

/** An ID token for the identity pool's `logins`, fresh for every call. docs/aws-behaviour.md#logins-return-a-fresh-id-token */
export async function freshIdToken(): Promise<string> {
  return (await freshTokens()).idToken
}

/**
 * Calls `listener` after every sign-out, global sign-out and account deletion (`userPool.ts` reports them), so modules
 * loaded later (the identity-pool credentials) can drop per-rider state without the stores importing them.
 * docs/aws-behaviour.md#identity-ids-are-cached-per-rider
 * @returns a function that removes the listener.
 */
export function onSignedOut(listener: () => void): () => void {
  signedOutListeners.add(listener)
  return () => signedOutListeners.delete(listener)
}

/** Tells every {@link onSignedOut} listener that the stored session is gone. */
export function notifySignedOut(): void {
  for (const listener of signedOutListeners) listener()
}
