import { randomUUID } from 'node:crypto'
import { fromCognitoIdentityPool } from '@aws-sdk/credential-provider-cognito-identity'
import type { JWTPayload } from 'jose'
import type { LocalAws } from '../../local-aws/index.ts'

/** The `Logins` key of the local user pool: its token issuer without the scheme. */
export function providerNameOf(aws: LocalAws): string {
  return `cognito-idp.${aws.config.region}.amazonaws.com/${aws.config.userPoolId}`
}

/**
 * An ID token as the local user pool issues it (same key, same claims), for tests that need a rider without going
 * through sign-up. `overrides` replace or (with `undefined`) remove claims.
 */
export async function mintIdToken(aws: LocalAws, overrides: JWTPayload = {}): Promise<string> {
  const now = Math.floor(aws.context.clock.now() / 1000)
  const claims: JWTPayload = {
    sub: randomUUID(),
    aud: aws.config.userPoolClientId,
    iss: `https://${providerNameOf(aws)}`,
    token_use: 'id',
    'cognito:username': randomUUID(),
    email: 'rider@example.com',
    email_verified: true,
    auth_time: now,
    iat: now,
    exp: now + 3600,
    jti: randomUUID(),
    ...overrides,
  }
  for (const [name, value] of Object.entries(claims)) if (value === undefined) delete claims[name]
  return aws.context.keys.sign(claims)
}

/** The app's credential provider (DESIGN.md: `logins` as a function, `userIdentifier` = the rider's sub). */
export function riderCredentials(aws: LocalAws, idToken: () => Promise<string> | string, sub: string) {
  return fromCognitoIdentityPool({
    identityPoolId: aws.config.identityPoolId,
    logins: { [providerNameOf(aws)]: async () => idToken() },
    userIdentifier: sub,
    clientConfig: { region: aws.config.region, endpoint: aws.url },
  })
}
