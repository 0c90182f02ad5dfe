/*
 * Where the rider's tokens are stored (amazon-cognito-identity-js's keys) and whether a rider is stored at all: the part
 * of `tokens.ts` the landing page needs, apart so that it carries nothing else of it. Everything else asks `tokens.ts`,
 * which re-exports these. docs/architecture.md#the-riders-tokens
 */
import { getAwsConfig } from './config'

/** The library's key: `CognitoIdentityServiceProvider.{clientId}.LastAuthUser` or `.{username}.{name}`. */
export function storageKey(name: string): string {
  return `CognitoIdentityServiceProvider.${getAwsConfig().userPoolClientId}.${name}`
}

/** The username of the rider signed in last on this device, until they sign out. */
export function lastAuthUser(): string | null {
  return globalThis.localStorage?.getItem(storageKey('LastAuthUser')) ?? null
}

/**
 * Whether a rider's tokens are stored on this device: the marker the library (and `tokens.ts`'s `storeTokens`) writes at
 * sign-in and removes at sign-out (`CognitoUserPool.getCurrentUser()` reads the same key).
 */
export function hasStoredTokens(): boolean {
  return Boolean(lastAuthUser())
}

/**
 * What the header and landing page go by: once the session is restored, whether a rider is signed in; before (or
 * before the session store has loaded), whether this device stores a rider's tokens.
 */
export function isLikelySignedIn(session?: { isSignedIn: boolean; isRestored: boolean }): boolean {
  return Boolean(session?.isSignedIn) || (!session?.isRestored && hasStoredTokens())
}
