import { randomUUID } from 'node:crypto'
import { fromCognitoIdentityPool } from '@aws-sdk/credential-provider-cognito-identity'
import {
  AuthenticationDetails,
  CognitoUserAttribute,
  CognitoUserPool,
  type CognitoUserSession,
  type ISignUpResult,
} from 'amazon-cognito-identity-js'
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

/** A rider signed up, confirmed and signed in through the local user pool with amazon-cognito-identity-js (SRP). */
export interface SignedInRider {
  email: string
  /** The rider's `sub` in the user pool. */
  sub: string
  /** A current ID token, refreshed by the library when needed. */
  idToken: () => Promise<string>
}

function promised<T>(run: (callback: (error: Error | undefined | null, result?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => run((error, result) => (error ? reject(error) : resolve(result as T))))
}

/** Signs a new rider up (the code read from `/_local/outbox`), confirms them and signs them in. */
export async function signUpRider(aws: LocalAws, name: string): Promise<SignedInRider> {
  const pool = new CognitoUserPool({ UserPoolId: aws.config.userPoolId, ClientId: aws.config.userPoolClientId, endpoint: `${aws.url}/` })
  const email = `${name.toLowerCase().replace(/\W+/g, '-')}-${randomUUID().slice(0, 8)}@example.com`
  const password = `Unicorn-${randomUUID()}`
  const attributes = [
    new CognitoUserAttribute({ Name: 'email', Value: email }),
    new CognitoUserAttribute({ Name: 'phone_number', Value: '+15555550100' }),
    new CognitoUserAttribute({ Name: 'name', Value: name }),
  ]
  const { user, userSub } = await promised<ISignUpResult>((callback) => pool.signUp(email, password, attributes, [], callback))
  const outbox = (await (await fetch(`${aws.url}/_local/outbox`)).json()) as { to: string; kind: string; code: string }[]
  const message = outbox.findLast((candidate) => candidate.to === email && candidate.kind === 'sign-up')
  if (!message) throw new Error(`no sign-up code was sent to ${email}`)
  await promised((callback) => user.confirmRegistration(message.code, false, callback))
  await new Promise<CognitoUserSession>((resolve, reject) =>
    user.authenticateUser(new AuthenticationDetails({ Username: email, Password: password }), { onSuccess: resolve, onFailure: reject }),
  )
  const idToken = async () => {
    const session = await promised<CognitoUserSession>((callback) => user.getSession(callback))
    return session.getIdToken().getJwtToken()
  }
  return { email, sub: userSub, idToken }
}
