import { request } from 'node:http'
import { describe, expect, it } from 'vitest'
import { createHmac } from 'node:crypto'
import { CognitoIdentityProviderClient, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider'
import AuthenticationHelper from 'amazon-cognito-identity-js/lib/AuthenticationHelper.js'
import BigInteger from 'amazon-cognito-identity-js/lib/BigInteger.js'
import DateHelper from 'amazon-cognito-identity-js/lib/DateHelper.js'
import { RiderBrowser, registerRider } from '../support/riders.ts'
import { callUserPool } from '../support/localAws.ts'
import { useTestAws } from '../support/localAwsHooks.ts'

// The user pool at the wire: what a malformed or incomplete request gets, and that the server keeps serving after it.

const local = useTestAws()

async function isStillServing(): Promise<boolean> {
  const { status, body } = await callUserPool(local.aws, 'SignUp', { ClientId: 'nope', Username: 'a@example.com', Password: 'Unicorn-Ride-9' })
  return status === 400 && body.__type === 'ResourceNotFoundException'
}

describe('malformed requests', () => {
  it('answers bad JSON with SerializationException', async () => {
    expect(await callUserPool(local.aws, 'SignUp', '{"ClientId": ')).toEqual({ status: 400, body: { __type: 'SerializationException', Message: 'The request body is not valid JSON' } })
    expect(await isStillServing()).toBe(true)
  })

  it('answers an unknown target with UnknownOperationException', async () => {
    const { status, body } = await callUserPool(local.aws, 'AdminDisableUser', {})
    expect(status).toBe(400)
    expect(body.__type).toBe('UnknownOperationException')
    expect(await isStillServing()).toBe(true)
  })

  it.each(['constructor', 'toString', 'hasOwnProperty', '__proto__'])('answers the inherited name %s as an unknown operation', async (name) => {
    expect(await callUserPool(local.aws, name, { ClientId: 'x' })).toEqual({
      status: 400,
      body: { __type: 'UnknownOperationException', message: `Unknown operation AWSCognitoIdentityProviderService.${name}` },
    })
  })

  it.each([
    ['SignUp', { Username: 'a@example.com', Password: 'Unicorn-Ride-9' }, "1 validation error detected: Value null at 'clientId' failed to satisfy constraint: Member must not be null"],
    ['ConfirmSignUp', { ClientId: 'x', Username: 'a@example.com' }, "1 validation error detected: Value null at 'confirmationCode' failed to satisfy constraint: Member must not be null"],
    ['InitiateAuth', { ClientId: 'x' }, "1 validation error detected: Value null at 'authFlow' failed to satisfy constraint: Member must not be null"],
    ['GetUser', {}, "1 validation error detected: Value null at 'accessToken' failed to satisfy constraint: Member must not be null"],
    ['SignUp', { ClientId: 'x', Username: 'a@example.com', Password: ' padded ' }, "1 validation error detected: Value at 'password' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[\\S]+.*[\\S]+$"],
  ])('answers %s %j, a missing or malformed member, with InvalidParameterException', async (operation, body, message) => {
    expect(await callUserPool(local.aws, operation, body)).toEqual({ status: 400, body: { __type: 'InvalidParameterException', message } })
  })

  // AWS's deserializer refuses a member of the wrong JSON type before validation (docs/aws-behaviour.md#wrong-json-types-are-serializationexception).
  it.each([
    ['SignUp', { ClientId: 42, Username: 'a@example.com', Password: 'Unicorn-Ride-9' }, 'NUMBER_VALUE can not be converted to a String'],
    ['SignUp', { ClientId: 'x', Username: 'a@example.com', Password: 'Unicorn-Ride-9', UserAttributes: [{ Name: 'name', Value: true }] }, 'TRUE_VALUE can not be converted to a String'],
    ['ConfirmSignUp', { ClientId: 'x', Username: 'a@example.com', ConfirmationCode: { verificationCode: '172476' } }, 'Start of structure or map found where not expected.'],
    ['UpdateUserAttributes', { AccessToken: 'a.b.c', UserAttributes: 'name=Ada' }, 'Expected list or null'],
    ['UpdateUserAttributes', { AccessToken: 'a.b.c', UserAttributes: ['name=Ada'] }, 'Expected map or null'],
    ['InitiateAuth', { ClientId: 'x', AuthFlow: 'USER_SRP_AUTH', AuthParameters: ['USERNAME'] }, 'Start of list found where not expected'],
    ['DeleteUserAttributes', { AccessToken: 'a.b.c', UserAttributeNames: [1] }, 'NUMBER_VALUE can not be converted to a String'],
    ['SetUserMFAPreference', { AccessToken: 'a.b.c', SoftwareTokenMfaSettings: { Enabled: 'yes' } }, 'VALUE_STRING can not be converted to a Boolean'],
    ['SetUserMFAPreference', { AccessToken: 'a.b.c', SMSMfaSettings: [true] }, 'Start of list found where not expected'],
    ['VerifySoftwareToken', { AccessToken: 'a.b.c', UserCode: '123456', FriendlyDeviceName: 7 }, 'NUMBER_VALUE can not be converted to a String'],
  ])('answers %s %j, a member of the wrong JSON type, with SerializationException', async (operation, body, message) => {
    expect(await callUserPool(local.aws, operation, body)).toEqual({ status: 400, body: { __type: 'SerializationException', Message: message } })
  })

  it('surfaces the SerializationException message through the official SDK client', async () => {
    const client = new CognitoIdentityProviderClient({ region: local.aws.config.region, endpoint: local.aws.url, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } })
    const refused = await client
      .send(new SignUpCommand({ ClientId: local.aws.config.userPoolClientId, Username: 'a@example.com', Password: 'Unicorn-Ride-9', UserAttributes: [{ Name: 'name', Value: 7 as unknown as string }] }))
      .then(() => undefined, (error: unknown) => error as Error & { $metadata: { httpStatusCode?: number } })
    expect(refused).toMatchObject({ name: 'SerializationException', message: 'NUMBER_VALUE can not be converted to a String', $metadata: { httpStatusCode: 400 } })
  })

  it('answers missing auth parameters and an unknown flow as Cognito does', async () => {
    const clientId = local.aws.config.userPoolClientId
    expect((await callUserPool(local.aws, 'InitiateAuth', { ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: 'a@example.com' } })).body)
      .toEqual({ __type: 'InvalidParameterException', message: 'Missing required parameter SRP_A' })
    expect((await callUserPool(local.aws, 'InitiateAuth', { ClientId: clientId, AuthFlow: 'MAGIC_LINK', AuthParameters: {} })).body.message)
      .toMatch(/^1 validation error detected: Value 'MAGIC_LINK' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set/)
    expect((await callUserPool(local.aws, 'InitiateAuth', { ClientId: clientId, AuthFlow: 'CUSTOM_AUTH', AuthParameters: {} })).body)
      .toEqual({ __type: 'InvalidParameterException', message: 'CUSTOM_AUTH flow not enabled for this client' })
  })

  it('answers an unknown client id with ResourceNotFoundException', async () => {
    expect(await callUserPool(local.aws, 'ForgotPassword', { ClientId: 'nope', Username: 'a@example.com' })).toEqual({
      status: 400,
      body: { __type: 'ResourceNotFoundException', message: 'User pool client nope does not exist.' },
    })
  })
})

describe('request size', () => {
  /** Sends headers and only part of the body, and returns the answer the server gives before the body is complete. */
  function sendPartOfBody(headers: Record<string, string | number>, chunk: Buffer, chunks: number): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const url = new URL(local.aws.url)
      const outgoing = request({
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path: '/',
        headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'AWSCognitoIdentityProviderService.SignUp', ...headers },
      })
      outgoing.on('response', (response) => {
        let body = ''
        response.on('data', (data: Buffer) => (body += data.toString()))
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }))
      })
      // The connection is closed under the unfinished upload; that is the point.
      outgoing.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' || error.code === 'EPIPE' ? undefined : reject(error)))
      for (let index = 0; index < chunks; index++) outgoing.write(chunk)
      // Never end the request: a server that buffered the whole body would never answer.
    })
  }

  it('refuses a declared body over 1 MB before reading it', async () => {
    const answer = await sendPartOfBody({ 'Content-Length': 50 * 1024 * 1024 }, Buffer.alloc(1024, 0x20), 1)
    expect(answer.status).toBe(413)
    expect(JSON.parse(answer.body)).toMatchObject({ __type: 'RequestEntityTooLargeException' })
    expect(await isStillServing()).toBe(true)
  })

  it('refuses a chunked body once it passes 1 MB, without waiting for its end', async () => {
    const answer = await sendPartOfBody({ 'Transfer-Encoding': 'chunked' }, Buffer.alloc(64 * 1024, 0x20), 17)
    expect(answer.status).toBe(413)
    expect(await isStillServing()).toBe(true)
  })
})

describe('SRP at the wire', () => {
  /** Starts an SRP sign-in as the client does; returns the challenge parameters. */
  async function startSrp(email: string): Promise<Record<string, string>> {
    const { body } = await callUserPool(local.aws, 'InitiateAuth', {
      AuthFlow: 'USER_SRP_AUTH', ClientId: local.aws.config.userPoolClientId, AuthParameters: { USERNAME: email, SRP_A: 'abcdef0123456789' },
    })
    return body.ChallengeParameters as Record<string, string>
  }

  function answer(parameters: Record<string, string>, overrides: Record<string, string> = {}) {
    return callUserPool(local.aws, 'RespondToAuthChallenge', {
      ChallengeName: 'PASSWORD_VERIFIER',
      ClientId: local.aws.config.userPoolClientId,
      ChallengeResponses: {
        USERNAME: parameters.USER_ID_FOR_SRP,
        PASSWORD_CLAIM_SECRET_BLOCK: parameters.SECRET_BLOCK,
        TIMESTAMP: new DateHelper().getNowString(),
        PASSWORD_CLAIM_SIGNATURE: Buffer.alloc(32).toString('base64'),
        ...overrides,
      },
    })
  }

  it('answers PASSWORD_VERIFIER with the parameters the client reads, USER_ID_FOR_SRP being the internal username', async () => {
    const rider = await registerRider(new RiderBrowser(local.aws))
    const parameters = await startSrp(rider.email)
    expect(Object.keys(parameters).sort()).toEqual(['SALT', 'SECRET_BLOCK', 'SRP_B', 'USERNAME', 'USER_ID_FOR_SRP'])
    expect(parameters.USER_ID_FOR_SRP).toBe(rider.sub)
    expect(parameters.SRP_B).toMatch(/^[0-9a-f]+$/)
  })

  it('uses a secret block once, and only within three minutes', async () => {
    const rider = await registerRider(new RiderBrowser(local.aws))
    const parameters = await startSrp(rider.email)
    expect((await answer(parameters)).body).toEqual({ __type: 'NotAuthorizedException', message: 'Incorrect username or password.' })
    expect((await answer(parameters)).body).toEqual({ __type: 'NotAuthorizedException', message: 'Invalid session for the user.' })
    const later = await startSrp(rider.email)
    local.clock.advance(3 * 60_000)
    expect((await answer(later)).body).toEqual({ __type: 'NotAuthorizedException', message: 'Invalid session for the user, session is expired.' })
  })

  /** An SRP sign-in with the rider's real password, its claim signed over `timestamp` as given. */
  async function signInWithTimestamp(email: string, password: string, timestamp: string) {
    const poolName = local.aws.config.userPoolId.split('_')[1]!
    const helper = new AuthenticationHelper(poolName)
    const largeA = await new Promise<BigInteger>((resolve, reject) => helper.getLargeAValue((error, value) => (error ? reject(error) : resolve(value))))
    const { body } = await callUserPool(local.aws, 'InitiateAuth', {
      AuthFlow: 'USER_SRP_AUTH', ClientId: local.aws.config.userPoolClientId, AuthParameters: { USERNAME: email, SRP_A: largeA.toString(16) },
    })
    const parameters = body.ChallengeParameters as Record<string, string>
    const key = await new Promise<Uint8Array>((resolve, reject) =>
      helper.getPasswordAuthenticationKey(parameters.USER_ID_FOR_SRP!, password, new BigInteger(parameters.SRP_B!, 16), new BigInteger(parameters.SALT!, 16), (error, value) =>
        error ? reject(error) : resolve(value),
      ),
    )
    const signature = createHmac('sha256', key)
      .update(Buffer.concat([Buffer.from(poolName), Buffer.from(parameters.USER_ID_FOR_SRP!), Buffer.from(parameters.SECRET_BLOCK!, 'base64'), Buffer.from(timestamp)]))
      .digest('base64')
    return answer(parameters, { TIMESTAMP: timestamp, PASSWORD_CLAIM_SIGNATURE: signature })
  }

  it('accepts only the canonical spelling of the timestamp, as Cognito signs it (docs/aws-behaviour.md#srp-timestamp-format)', async () => {
    const rider = await registerRider(new RiderBrowser(local.aws))
    const canonical = 'Fri Mar 6 07:54:35 UTC 2026'
    const refused = { __type: 'NotAuthorizedException', message: 'Incorrect username or password.' }
    expect((await signInWithTimestamp(rider.email, rider.password, 'Fri Mar 06 07:54:35 UTC 2026')).body).toEqual(refused)
    expect((await signInWithTimestamp(rider.email, rider.password, 'Sat Mar 6 07:54:35 UTC 2026')).body).toEqual(refused)
    const signedIn = await signInWithTimestamp(rider.email, rider.password, canonical)
    expect(signedIn.status).toBe(200)
    expect(signedIn.body.AuthenticationResult).toMatchObject({ TokenType: 'Bearer' })
  })

  it('refuses a timestamp not in the client\'s format', async () => {
    const rider = await registerRider(new RiderBrowser(local.aws))
    const parameters = await startSrp(rider.email)
    expect((await answer(parameters, { TIMESTAMP: new Date().toISOString() })).body).toEqual({
      __type: 'InvalidParameterException',
      message: 'TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.',
    })
  })
})
