import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  CognitoIdentityClient,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
} from '@aws-sdk/client-cognito-identity'
import { SignJWT, generateKeyPair } from 'jose'
import { FakeClock } from '../support/fakeClock.ts'
import { DEFAULT_TEMPLATE_PATH, startLocalAws, type LocalAws } from '../../local-aws/index.ts'
import { callUserPool, mintIdToken, providerNameOf } from '../support/localAws.ts'
import { RiderBrowser, riderCredentials, signInNewRider, type RegisteredRider } from '../support/riders.ts'

let aws: LocalAws
let dataDir: string
let clock: FakeClock
let client: CognitoIdentityClient

async function start(): Promise<LocalAws> {
  return startLocalAws({ port: 0, dataDir, clock, log: () => {} })
}

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'la-'))
  clock = new FakeClock(Date.parse('2026-11-26T08:00:00Z'))
  aws = await start()
  client = new CognitoIdentityClient({ region: aws.config.region, endpoint: aws.url })
})

afterEach(async () => {
  client.destroy()
  await aws.stop()
  await rm(dataDir, { recursive: true, force: true })
})

function getId(logins?: Record<string, string>, identityPoolId = aws.config.identityPoolId) {
  return client.send(new GetIdCommand({ IdentityPoolId: identityPoolId, Logins: logins }))
}

function loginsWith(token: string): Record<string, string> {
  return { [providerNameOf(aws)]: token }
}

/** The error name and message a client sees for a refused request. */
async function refusal(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught as Error,
  )
  if (!error) throw new Error('expected the request to be refused')
  return { name: error.name, message: error.message }
}

/** A rider signed up and signed in with SRP on a browser of their own, and the ID token of that sign-in. */
async function signedInRider(): Promise<{ browser: RiderBrowser; rider: RegisteredRider; idToken: string }> {
  const { browser, rider, session } = await signInNewRider(aws)
  return { browser, rider, idToken: session.getIdToken().getJwtToken() }
}

describe('identity pool with the official fromCognitoIdentityPool', () => {
  it('trades the ID token of a rider signed in with SRP for one-hour ASIA credentials of the authenticated role', async () => {
    const { browser, rider } = await signInNewRider(aws)
    const credentials = await riderCredentials(aws, () => browser.idToken(), rider.sub)()

    expect(credentials.identityId).toMatch(/^us-east-1:[0-9a-f-]{36}$/)
    expect(credentials.accessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/)
    expect(credentials.secretAccessKey).toBeTruthy()
    expect(credentials.sessionToken).toBeTruthy()
    expect(credentials.expiration?.getTime()).toBe(clock.now() + 3600_000)
    const session = aws.context.credentials.find(credentials.accessKeyId)
    const role = aws.context.model.roles[0]!
    expect(session).toMatchObject({
      identityId: credentials.identityId,
      identityPoolId: aws.config.identityPoolId,
      roleArn: role.arn,
      roleId: role.roleId,
      amr: ['authenticated', providerNameOf(aws), `${providerNameOf(aws)}:CognitoSignIn:${rider.sub}`],
    })
  })

  it('gives the same rider the same identity id every time and after a restart, and another rider another one', async () => {
    const { browser, rider } = await signInNewRider(aws)
    const idToken = () => browser.idToken()
    const first = await riderCredentials(aws, idToken, rider.sub)()
    const second = await riderCredentials(aws, idToken, rider.sub)()
    const other = await signInNewRider(aws)
    const ofOther = await riderCredentials(aws, () => other.browser.idToken(), other.rider.sub)()
    expect(second.identityId).toBe(first.identityId)
    expect(ofOther.identityId).not.toBe(first.identityId)

    const { userPoolId, identityPoolId } = aws.config
    await aws.stop()
    aws = await start()
    client = new CognitoIdentityClient({ region: aws.config.region, endpoint: aws.url })
    expect(aws.config).toMatchObject({ userPoolId, identityPoolId })
    const afterRestart = await riderCredentials(aws, idToken, rider.sub)()
    expect(afterRestart.identityId).toBe(first.identityId)
    // Credentials issued before the restart are still known, as STS would still honour them.
    expect(aws.context.credentials.find(first.accessKeyId)?.identityId).toBe(first.identityId)
  })

  it('answers a missing member with AWS\'s validation error, and a mistyped one with its deserializer error', async () => {
    const call = async (operation: string, body: unknown) => {
      const response = await fetch(aws.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': `AWSCognitoIdentityService.${operation}` },
        body: JSON.stringify(body),
      })
      return { status: response.status, body: (await response.json()) as unknown }
    }
    expect(await call('GetId', {})).toEqual({
      status: 400,
      body: { __type: 'InvalidParameterException', message: "1 validation error detected: Value null at 'identityPoolId' failed to satisfy constraint: Member must not be null" },
    })
    // docs/aws-behaviour.md#wrong-json-types-are-serializationexception
    expect(await call('GetCredentialsForIdentity', { IdentityId: 7 })).toEqual({
      status: 400,
      body: { __type: 'SerializationException', Message: 'NUMBER_VALUE can not be converted to a String' },
    })
    // The same rule as the user pool's, for every member: Logins as a list, a string, or with a token that is a number.
    const identityPoolId = aws.config.identityPoolId
    for (const [operation, body, message] of [
      ['GetId', { IdentityPoolId: identityPoolId, Logins: ['token'] }, 'Start of list found where not expected'],
      ['GetId', { IdentityPoolId: identityPoolId, Logins: { provider: 7 } }, 'NUMBER_VALUE can not be converted to a String'],
      ['GetCredentialsForIdentity', { IdentityId: `${aws.config.region}:x`, Logins: 'token' }, 'Expected map or null'],
    ] as const) {
      expect(await call(operation, body)).toEqual({ status: 400, body: { __type: 'SerializationException', Message: message } })
    }
  })

  it('refuses GetId without logins: the template allows no unauthenticated identities', async () => {
    expect(await refusal(getId())).toEqual({
      name: 'NotAuthorizedException',
      message: 'Unauthenticated access is not supported for this identity pool.',
    })
    expect(await refusal(riderCredentials(aws, () => '', 'x')())).toMatchObject({ name: 'NotAuthorizedException' })
  })

  it('refuses an unknown identity pool and an unknown identity', async () => {
    const token = await mintIdToken(aws)
    const unknownPool = 'us-east-1:00000000-0000-0000-0000-000000000000'
    expect(await refusal(getId(loginsWith(token), unknownPool))).toEqual({
      name: 'ResourceNotFoundException',
      message: `IdentityPool '${unknownPool}' not found.`,
    })
    const unknownIdentity = 'us-east-1:11111111-1111-1111-1111-111111111111'
    expect(
      await refusal(client.send(new GetCredentialsForIdentityCommand({ IdentityId: unknownIdentity, Logins: loginsWith(token) }))),
    ).toEqual({ name: 'ResourceNotFoundException', message: `Identity '${unknownIdentity}' not found.` })
    expect(
      await refusal(client.send(new GetCredentialsForIdentityCommand({ IdentityId: '__proto__', Logins: loginsWith(token) }))),
    ).toEqual({ name: 'ResourceNotFoundException', message: "Identity '__proto__' not found." })
  })

  it('refuses a token signed with another key, and a token whose claims were changed', async () => {
    const { privateKey } = await generateKeyPair('RS256')
    const genuine = await mintIdToken(aws)
    const [header] = genuine.split('.')
    const { kid } = JSON.parse(Buffer.from(header!, 'base64url').toString()) as { kid: string }
    const forged = await new SignJWT(JSON.parse(Buffer.from(genuine.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>)
      .setProtectedHeader({ alg: 'RS256', kid })
      .sign(privateKey)
    const [head, payload, signature] = genuine.split('.')
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>
    const tampered = [head, Buffer.from(JSON.stringify({ ...claims, sub: randomUUID() })).toString('base64url'), signature].join('.')
    const unsigned = [Buffer.from('{"alg":"none"}').toString('base64url'), payload, ''].join('.')

    for (const token of [forged, tampered, unsigned, 'not-a-jwt']) {
      expect(await refusal(getId(loginsWith(token)))).toEqual({
        name: 'NotAuthorizedException',
        message: "Invalid login token. Couldn't verify signed token.",
      })
    }
  })

  it('refuses a token of another user pool or another app client', async () => {
    const otherPool = `${aws.config.region}_OtherPool1`
    const otherProvider = `cognito-idp.${aws.config.region}.amazonaws.com/${otherPool}`
    const fromOtherPool = await mintIdToken(aws, { iss: `https://${otherProvider}` })
    expect(await refusal(getId(loginsWith(fromOtherPool)))).toEqual({
      name: 'NotAuthorizedException',
      message: "Invalid login token. Issuer doesn't match providerName",
    })
    expect(await refusal(getId({ [otherProvider]: fromOtherPool }))).toEqual({
      name: 'NotAuthorizedException',
      message: 'Token is not from a supported provider of this identity pool.',
    })
    const fromOtherClient = await mintIdToken(aws, { aud: 'otherclient0000000000000000' })
    expect(await refusal(getId(loginsWith(fromOtherClient)))).toEqual({
      name: 'NotAuthorizedException',
      message: 'Token is not from a supported provider of this identity pool.',
    })
  })

  it('refuses an access token in place of an ID token', async () => {
    const accessToken = await mintIdToken(aws, {
      aud: undefined,
      client_id: aws.config.userPoolClientId,
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
    })
    expect(await refusal(getId(loginsWith(accessToken)))).toEqual({
      name: 'NotAuthorizedException',
      message: 'Invalid login token. Missing a required claim: aud',
    })
    const idShapedAccessToken = await mintIdToken(aws, { token_use: 'access' })
    expect(await refusal(getId(loginsWith(idShapedAccessToken)))).toMatchObject({ name: 'NotAuthorizedException' })
  })

  it('refuses an expired ID token, in GetId and when the SDK refreshes credentials with a stale static token', async () => {
    const { rider, idToken: token } = await signedInRider()
    const provider = riderCredentials(aws, () => token, rider.sub)
    const { identityId } = await provider()
    const { exp } = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { exp: number }
    clock.advance(3600_000 + 1000)
    expect(await refusal(getId(loginsWith(token)))).toEqual({
      name: 'NotAuthorizedException',
      message: `Invalid login token. Token expired: ${Math.floor(clock.now() / 1000)} >= ${exp}`,
    })
    // Credentials fetched again with the dead token are refused with the same message, as the app's `logins` function
    // must avoid (docs/aws-behaviour.md#logins-return-a-fresh-id-token).
    expect(
      await refusal(client.send(new GetCredentialsForIdentityCommand({ IdentityId: identityId, Logins: loginsWith(token) }))),
    ).toMatchObject({ name: 'NotAuthorizedException', message: expect.stringMatching(/^Invalid login token\. Token expired: /) })
  })

  it('gives credentials for an identity only with a token of that identity\'s rider', async () => {
    const riderA = await signedInRider()
    const { identityId: identityOfA } = await riderCredentials(aws, () => riderA.idToken, riderA.rider.sub)()
    const { idToken: tokenOfB } = await signedInRider()
    expect(
      await refusal(client.send(new GetCredentialsForIdentityCommand({ IdentityId: identityOfA, Logins: loginsWith(tokenOfB) }))),
    ).toEqual({
      name: 'NotAuthorizedException',
      message: "Logins don't match. Please include at least one valid login for this identity or identity pool.",
    })
    expect(await refusal(client.send(new GetCredentialsForIdentityCommand({ IdentityId: identityOfA })))).toMatchObject({
      name: 'NotAuthorizedException',
    })
    const answer = await client.send(
      new GetCredentialsForIdentityCommand({ IdentityId: identityOfA, Logins: loginsWith(riderA.idToken) }),
    )
    expect(answer.IdentityId).toBe(identityOfA)
    expect(answer.Credentials?.Expiration).toEqual(new Date(clock.now() + 3600_000))
  })
})

// The template links the user pool with ServerSideTokenCheck: the identity pool asks the user pool whether a token's
// sign-in still stands. https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_CognitoIdentityProvider.html
describe('ServerSideTokenCheck', () => {
  const REVOKED = { name: 'NotAuthorizedException', message: 'Invalid login token. Token has been revoked' }

  it.each([
    ['GlobalSignOut', (browser: RiderBrowser) => browser.globalSignOut()],
    ['RevokeToken of its refresh token (signOut)', (browser: RiderBrowser) => browser.signOut()],
    ['DeleteUser', (browser: RiderBrowser) => browser.deleteUser()],
  ])('refuses an unexpired ID token whose sign-in ended with %s, in GetId and GetCredentialsForIdentity', async (_ending, end) => {
    const { browser, rider, idToken } = await signedInRider()
    const { identityId } = await riderCredentials(aws, () => idToken, rider.sub)()
    await end(browser)

    expect(await refusal(getId(loginsWith(idToken)))).toEqual(REVOKED)
    expect(await refusal(client.send(new GetCredentialsForIdentityCommand({ IdentityId: identityId, Logins: loginsWith(idToken) })))).toEqual(REVOKED)
    expect(await refusal(riderCredentials(aws, () => idToken, rider.sub)())).toEqual(REVOKED)
  })

  it('refuses only the ended sign-in: another sign-in of the rider keeps working, and a fresh one works again', async () => {
    const { browser, rider, idToken } = await signedInRider()
    const { identityId } = await riderCredentials(aws, () => idToken, rider.sub)()
    const phone = new RiderBrowser(aws)
    const onPhone = (await phone.signIn(rider.email, rider.password)).getIdToken().getJwtToken()

    await browser.signOut()
    expect(await refusal(getId(loginsWith(idToken)))).toEqual(REVOKED)
    expect((await riderCredentials(aws, () => onPhone, rider.sub)()).identityId).toBe(identityId)

    await phone.globalSignOut()
    expect(await refusal(getId(loginsWith(onPhone)))).toEqual(REVOKED)
    const fresh = (await browser.signIn(rider.email, rider.password)).getIdToken().getJwtToken()
    const credentials = await riderCredentials(aws, () => fresh, rider.sub)()
    expect(credentials.identityId).toBe(identityId)
    expect(credentials.accessKeyId).toMatch(/^ASIA/)
  })

  it('is skipped for a provider linked with ServerSideTokenCheck false: a signed-out rider\'s ID token still gets credentials', async () => {
    const text = await readFile(DEFAULT_TEMPLATE_PATH, 'utf8')
    expect(text).toContain('ServerSideTokenCheck: true')
    const templatePath = join(dataDir, 'template.yaml')
    await writeFile(templatePath, text.replace('ServerSideTokenCheck: true', 'ServerSideTokenCheck: false'))
    await aws.stop()
    client.destroy()
    aws = await startLocalAws({ port: 0, dataDir: join(dataDir, 'unchecked'), templatePath, clock, log: () => {} })
    client = new CognitoIdentityClient({ region: aws.config.region, endpoint: aws.url })
    expect(aws.context.model.identityPools[0]?.providers).toMatchObject([{ serverSideTokenCheck: false }])

    const { browser, rider, idToken } = await signedInRider()
    const accessToken = (await browser.getSession()).getAccessToken().getJwtToken()
    await browser.globalSignOut()
    // The user pool itself has ended the sign-in…
    expect(await callUserPool(aws, 'GetUser', { AccessToken: accessToken })).toMatchObject({
      status: 400,
      body: { __type: 'NotAuthorizedException', message: 'Access Token has been revoked' },
    })
    // …but the identity pool checks the token alone, as AWS does without ServerSideTokenCheck.
    const { IdentityId } = await getId(loginsWith(idToken))
    const credentials = await riderCredentials(aws, () => idToken, rider.sub)()
    expect(credentials.identityId).toBe(IdentityId)
    expect(credentials.accessKeyId).toMatch(/^ASIA/)
  })
})

describe('start-up', () => {
  it.each([
    ['an operator', 'StringLike:\n                    s3:prefix:', 'StringMatches:\n                    s3:prefix:', /unknown condition operator StringMatches/],
    ['a condition key', 'cognito-identity.amazonaws.com:aud: !Ref IdentityPool', 'cognito-identity.amazonaws.com:audience: !Ref IdentityPool', /unknown condition key cognito-identity\.amazonaws\.com:audience/],
    ['a policy variable', 'protected/${!cognito-identity.amazonaws.com:sub}/profile/*', 'protected/${!aws:SourceIdentity}/profile/*', /unknown policy variable \$\{aws:SourceIdentity\}/],
  ])('fails when a policy of the template uses %s local AWS does not know', async (_what, original, replacement, message) => {
    const text = await readFile(DEFAULT_TEMPLATE_PATH, 'utf8')
    expect(text).toContain(original)
    const templatePath = join(dataDir, 'template.yaml')
    await writeFile(templatePath, text.replace(original, replacement))
    await expect(startLocalAws({ port: 0, dataDir: join(dataDir, 'other'), templatePath, log: () => {} })).rejects.toThrow(message)
  })
})
