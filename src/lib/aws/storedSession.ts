import { getAwsConfig } from './config'

/**
 * Whether a rider's tokens are stored on this device, answered without loading the user-pool library (~27 KiB
 * gzipped), so a first visit to `/` stays small. It reads the marker amazon-cognito-identity-js writes at sign-in and
 * removes at sign-out (`CognitoUserPool.getCurrentUser()` reads the same key); keep it in step with `userPool.ts`.
 */
export function hasStoredSession(): boolean {
  const key = `CognitoIdentityServiceProvider.${getAwsConfig().userPoolClientId}.LastAuthUser`
  return Boolean(globalThis.localStorage?.getItem(key))
}
