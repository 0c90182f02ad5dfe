import type { RiderCredentials } from '@/lib/aws/credentials'
import type { IdTokenClaims } from '@/lib/aws/userPool'

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
  VITE_PASSWORD_POLICY: '{"minimumLength":8,"requireLowercase":true,"requireUppercase":true,"requireNumbers":true,"requireSymbols":false}',
} as const
