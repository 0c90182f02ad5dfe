import { getAwsConfig } from './config'

/**
 * Whether a rider's tokens are stored on this device, answered without loading the user-pool library (~27 KiB
 * gzipped), so a first visit to `/` stays small. It reads the marker amazon-cognito-identity-js writes at sign-in and
 * removes at sign-out (`CognitoUserPool.getCurrentUser()` reads the same key); keep it in step with `userPool.ts`.
 */
export function hasStoredSession(): boolean {
  return Boolean(lastAuthUser())
}

function lastAuthUser(): string | null | undefined {
  return globalThis.localStorage?.getItem(`CognitoIdentityServiceProvider.${getAwsConfig().userPoolClientId}.LastAuthUser`)
}

/**
 * The `sub` of the rider whose ID token is stored on this device, read without the user-pool library and without
 * checking the token: a hint for what to download before the session is restored, never a proof of who is signed in.
 */
export function storedRiderSub(): string | undefined {
  const user = lastAuthUser()
  if (!user) return undefined
  const idToken = globalThis.localStorage?.getItem(`CognitoIdentityServiceProvider.${getAwsConfig().userPoolClientId}.${user}.idToken`)
  const payload = idToken?.split('.')[1]
  if (!payload) return undefined
  try {
    const claims: unknown = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/')))
    const sub = (claims as { sub?: unknown } | null)?.sub
    return typeof sub === 'string' ? sub : undefined
  } catch {
    return undefined
  }
}
