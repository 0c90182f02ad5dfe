/*
 * The keys amazon-cognito-identity-js stores a signed-in rider's session under, read without the library. Apart from
 * the rest of the stored session (`storedSession.ts`): whether a rider is stored is all the landing page needs.
 * docs/aws-behaviour.md#the-stored-session-read-without-the-library
 */
import { getAwsConfig } from './config'

/** `CognitoIdentityServiceProvider.{clientId}.{name}`, e.g. `LastAuthUser` or `{username}.idToken`. */
export function storedItem(name: string): string | null {
  return globalThis.localStorage?.getItem(`CognitoIdentityServiceProvider.${getAwsConfig().userPoolClientId}.${name}`) ?? null
}

/** The username of the rider the library signed in last on this device, until they sign out. */
export function lastAuthUser(): string | null {
  return storedItem('LastAuthUser')
}

/**
 * Seconds the device's clock runs ahead of Cognito's, as the library measured at sign-in (`clockDrift`, stored beside
 * the tokens); 0 when nobody is signed in.
 */
export function storedClockDriftSeconds(): number {
  const user = lastAuthUser()
  return (user && Number.parseInt(storedItem(`${user}.clockDrift`) ?? '', 10)) || 0
}

/**
 * Whether a rider's tokens are stored on this device. It reads the marker the library writes at sign-in and removes at
 * sign-out (`CognitoUserPool.getCurrentUser()` reads the same key).
 */
export function hasStoredSession(): boolean {
  return Boolean(lastAuthUser())
}
