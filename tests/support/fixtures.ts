import type { AwsEnvironment } from '@/lib/aws/config'
import type { RiderCredentials } from '@/lib/aws/credentials'
import type { IdTokenClaims, UserAttributes } from '@/lib/aws/claims'
import type { RiderAccount } from '@/lib/aws/getUser'

/** The claims of a signed-in rider, as userPool.ts returns them. */
export function riderClaims(overrides: Partial<IdTokenClaims> = {}): IdTokenClaims {
  return {
    sub: '7d8e2f0a-1b2c-4d3e-8f9a-0b1c2d3e4f5a',
    'cognito:username': '7d8e2f0a-1b2c-4d3e-8f9a-0b1c2d3e4f5a',
    email: 'ada@example.com',
    email_verified: true,
    phone_number: '+14155550123',
    phone_number_verified: false,
    name: 'Ada Lovelace',
    exp: 1_800_000_000,
    iat: 1_799_996_400,
    auth_time: 1_799_996_400,
    ...overrides,
  }
}

/** What GetUser answers for a rider with these attributes (two-step sign-in off unless given). */
export function riderAccount(attributes: UserAttributes = riderClaims(), twoStepSignIn = { isOn: false }): RiderAccount {
  return { attributes, twoStepSignIn }
}

/** Rider `rider-a`'s fixed identity-pool credentials (identity `eu-west-1:a`), which expire at `expiration` (epoch ms). */
export function credentialsUntil(expiration: number): RiderCredentials {
  return {
    sub: 'rider-a',
    provider: async () => ({
      identityId: 'eu-west-1:a',
      accessKeyId: 'ASIAEXAMPLE',
      secretAccessKey: 'secret',
      sessionToken: 'session-token',
      expiration: new Date(expiration),
    }),
    identityId: async () => 'eu-west-1:a',
  }
}

/** An error shaped as amazon-cognito-identity-js rejects with: `name` and `code` are the Cognito error name. */
export function cognitoError(code: string, message: string): Error {
  return Object.assign(new Error(message), { name: code, code })
}

/** The app's configuration as `npm run dev` injects it, for tests that render forms reading the password policy. */
export const TEST_ENV = {
  VITE_AWS_REGION: 'us-east-1',
  VITE_USER_POOL_ID: 'us-east-1_TestPool1',
  VITE_USER_POOL_CLIENT_ID: 'testclientid',
  VITE_IDENTITY_POOL_ID: 'us-east-1:00000000-0000-4000-8000-000000000000',
  VITE_PHOTO_BUCKET: 'wild-rydes-photos',
  VITE_SMS_VERIFICATION: 'true',
  VITE_PASSKEYS: 'true',
  VITE_PASSWORD_POLICY: '{"minimumLength":8,"requireLowercase":true,"requireUppercase":true,"requireNumbers":true,"requireSymbols":false}',
} as const satisfies Partial<AwsEnvironment>

/** An unsigned JWT carrying `payload`: enough for code that only decodes tokens, as the user-pool library does. */
export function unsignedJwt(payload: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
  return `${part({ alg: 'RS256', kid: 'test' })}.${part(payload)}.signature`
}

/**
 * Writes a session into `storage` under the keys amazon-cognito-identity-js uses for the app client `clientId`, as if
 * `claims`' rider had signed in on this device. The access token expires with the ID token unless told otherwise.
 */
export function storeSession(
  storage: Storage,
  clientId: string,
  claims: IdTokenClaims,
  { accessTokenExp = claims.exp, clockDrift = 0 }: { accessTokenExp?: number; clockDrift?: number } = {},
): void {
  const prefix = `CognitoIdentityServiceProvider.${clientId}`
  const username = claims['cognito:username']
  storage.setItem(`${prefix}.LastAuthUser`, username)
  storage.setItem(`${prefix}.${username}.idToken`, unsignedJwt({ ...claims, token_use: 'id' }))
  storage.setItem(`${prefix}.${username}.accessToken`, unsignedJwt({ sub: claims.sub, exp: accessTokenExp, token_use: 'access' }))
  storage.setItem(`${prefix}.${username}.refreshToken`, 'refresh-token')
  storage.setItem(`${prefix}.${username}.clockDrift`, String(clockDrift))
}
