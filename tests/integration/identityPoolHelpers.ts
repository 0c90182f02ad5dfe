import { randomUUID } from 'node:crypto'
import type { JWTPayload } from 'jose'
import type { LocalAws } from '../../local-aws/index.ts'
import { providerNameOf } from '../support/riderClients.ts'
import { signInNewRider } from './userPoolHelpers.ts'

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

/** A rider signed up, confirmed and signed in through the local user pool with amazon-cognito-identity-js (SRP). */
export interface SignedInRider {
  email: string
  /** The rider's `sub` in the user pool. */
  sub: string
  /** A current ID token, refreshed by the library when needed. */
  idToken: () => Promise<string>
}

/** Signs a new rider up (the code read from `/_local/outbox`), confirms them and signs them in. */
export async function signUpRider(aws: LocalAws, name: string): Promise<SignedInRider> {
  const { browser, rider } = await signInNewRider(aws, { name })
  const idToken = async () => (await browser.getSession()).getIdToken().getJwtToken()
  return { email: rider.email, sub: rider.sub, idToken }
}
