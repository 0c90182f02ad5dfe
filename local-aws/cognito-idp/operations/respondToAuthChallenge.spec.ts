import type { RespondToAuthChallengeCommandOutput } from '@aws-sdk/client-cognito-identity-provider'
import { describe, expect, it } from 'vitest'
import type { JsonOutput } from '../../context.ts'
import { refusal } from '../../../tests/support/awsErrors.ts'
import {
  RIDER_PASSWORD, SrpClient, UNSIGNED_REQUEST, addAuthenticator, addRider, authenticatorCode, challengeParameters, localAwsFakes, storedUser,
  type LocalAwsFakes, type NewRider,
} from '../../../tests/support/localAwsFakes.ts'
import { srpPoolName } from '../users.ts'
import { createAssociateSoftwareToken } from './associateSoftwareToken.ts'
import { createInitiateAuth } from './initiateAuth.ts'
import { createRespondToAuthChallenge } from './respondToAuthChallenge.ts'
import { createVerifySoftwareToken } from './verifySoftwareToken.ts'

function respond(fakes: LocalAwsFakes, ChallengeName: string, ChallengeResponses: Record<string, string>, Session?: string) {
  return createRespondToAuthChallenge(fakes.signIn)({ ClientId: fakes.client.id, ChallengeName, ChallengeResponses, Session }, UNSIGNED_REQUEST)
}

/** InitiateAuth USER_SRP_AUTH, then the client's answer to PASSWORD_VERIFIER with the password typed. */
async function srpAnswer(fakes: LocalAwsFakes, email: string, password: string) {
  const client = new SrpClient(srpPoolName(fakes.pool))
  const started = await createInitiateAuth(fakes.signIn)(
    { AuthFlow: 'USER_SRP_AUTH', ClientId: fakes.client.id, AuthParameters: { USERNAME: email, SRP_A: client.publicValue() } },
    UNSIGNED_REQUEST,
  )
  return client.answer(challengeParameters(started), password)
}

async function signInWithSrp(fakes: LocalAwsFakes, rider: NewRider & { email: string }, password = RIDER_PASSWORD) {
  return respond(fakes, 'PASSWORD_VERIFIER', await srpAnswer(fakes, rider.email, password))
}

describe('RespondToAuthChallenge', () => {
  it('answers a right SRP proof with tokens and a refresh token', async () => {
    const fakes = await localAwsFakes()
    addRider(fakes, { email: 'ada@example.com' })
    const answer: JsonOutput<RespondToAuthChallengeCommandOutput> = await signInWithSrp(fakes, { email: 'ada@example.com' })
    expect(answer).toEqual({
      AuthenticationResult: {
        AccessToken: expect.any(String),
        IdToken: expect.any(String),
        RefreshToken: expect.any(String),
        ExpiresIn: fakes.client.accessTokenValiditySeconds,
        TokenType: 'Bearer',
      },
      ChallengeParameters: {},
    })
  })

  it('refuses a wrong password with NotAuthorizedException, and the same secret block twice as an invalid session', async () => {
    const fakes = await localAwsFakes()
    const user = addRider(fakes, { email: 'ada@example.com' })
    const responses = await srpAnswer(fakes, 'ada@example.com', 'Wrong-password-1')
    expect(await refusal(respond(fakes, 'PASSWORD_VERIFIER', responses))).toEqual({ code: 'NotAuthorizedException', status: 400, message: 'Incorrect username or password.' })
    expect(storedUser(fakes, user.username)?.lockout?.failures).toBe(1)
    expect(await refusal(respond(fakes, 'PASSWORD_VERIFIER', responses))).toMatchObject({ code: 'NotAuthorizedException', message: 'Invalid session for the user.' })
  })

  it('refuses a proof answered after three minutes with NotAuthorizedException', async () => {
    const fakes = await localAwsFakes()
    addRider(fakes, { email: 'ada@example.com' })
    const responses = await srpAnswer(fakes, 'ada@example.com', RIDER_PASSWORD)
    fakes.clock.advance(3 * 60_000)
    expect(await refusal(respond(fakes, 'PASSWORD_VERIFIER', responses))).toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Invalid session for the user, session is expired.',
    })
  })

  it('refuses an unconfirmed rider with UserNotConfirmedException', async () => {
    const fakes = await localAwsFakes()
    addRider(fakes, { email: 'ada@example.com', status: 'UNCONFIRMED' })
    expect(await refusal(signInWithSrp(fakes, { email: 'ada@example.com' }))).toEqual({ code: 'UserNotConfirmedException', status: 400, message: 'User is not confirmed.' })
  })

  it('refuses a malformed timestamp, an unknown challenge and missing responses with InvalidParameterException', async () => {
    const fakes = await localAwsFakes()
    addRider(fakes, { email: 'ada@example.com' })
    const responses = await srpAnswer(fakes, 'ada@example.com', RIDER_PASSWORD)
    expect(await refusal(respond(fakes, 'PASSWORD_VERIFIER', { ...responses, TIMESTAMP: '2026-12-01T08:00:00Z' }))).toEqual({
      code: 'InvalidParameterException',
      status: 400,
      message: 'TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.',
    })
    expect(await refusal(respond(fakes, 'PASSWORD_CHALLENGE', {}))).toMatchObject({
      code: 'InvalidParameterException',
      message: expect.stringMatching(/^1 validation error detected: Value 'PASSWORD_CHALLENGE' at 'challengeName'/),
    })
    expect(await refusal(respond(fakes, 'PASSWORD_VERIFIER', {}))).toMatchObject({ message: 'Missing required parameter USERNAME' })
    expect(await refusal(respond(fakes, 'SMS_MFA', {}))).toMatchObject({ code: 'InvalidParameterException', message: 'SMS_MFA is not a challenge of this sign-in' })
  })

  it('refuses an unknown app client with ResourceNotFoundException', async () => {
    const fakes = await localAwsFakes()
    expect(await refusal(createRespondToAuthChallenge(fakes.signIn)({ ClientId: 'unknownclient', ChallengeName: 'PASSWORD_VERIFIER' }, UNSIGNED_REQUEST))).toMatchObject({
      code: 'ResourceNotFoundException',
    })
  })

  describe('NEW_PASSWORD_REQUIRED', () => {
    async function temporaryPasswordChallenge(fakes: LocalAwsFakes) {
      const user = addRider(fakes, { email: 'ada@example.com', password: 'Temp-pass-123', status: 'FORCE_CHANGE_PASSWORD' })
      fakes.store.update((draft) => {
        delete draft.users[user.username]!.attributes.phone_number
        draft.users[user.username]!.temporaryPasswordExpiresAt = fakes.clock.now() + 7 * 86_400_000
      })
      return { user, answer: await signInWithSrp(fakes, { email: 'ada@example.com' }, 'Temp-pass-123') }
    }

    it('asks a rider on a temporary password for a new one and the required attributes they lack, then signs them in', async () => {
      const fakes = await localAwsFakes()
      const { user, answer } = await temporaryPasswordChallenge(fakes)
      expect(answer).toMatchObject({ ChallengeName: 'NEW_PASSWORD_REQUIRED', ChallengeParameters: { requiredAttributes: '["userAttributes.phone_number"]' } })
      const responses = { USERNAME: user.username, NEW_PASSWORD: 'Fresh-saddle-7', 'userAttributes.phone_number': '+15555550100' }
      expect(await respond(fakes, 'NEW_PASSWORD_REQUIRED', responses, answer.Session)).toHaveProperty('AuthenticationResult.RefreshToken')
      expect(storedUser(fakes, user.username)).toMatchObject({ status: 'CONFIRMED', attributes: { phone_number: '+15555550100' } })
    })

    it("refuses a new password below the policy with InvalidPasswordException and a missing attribute with InvalidParameterException, keeping the session", async () => {
      const fakes = await localAwsFakes()
      const { user, answer } = await temporaryPasswordChallenge(fakes)
      const base = { USERNAME: user.username, NEW_PASSWORD: 'Fresh-saddle-7' }
      expect(await refusal(respond(fakes, 'NEW_PASSWORD_REQUIRED', { ...base, NEW_PASSWORD: 'short' }, answer.Session))).toMatchObject({ code: 'InvalidPasswordException' })
      expect(await refusal(respond(fakes, 'NEW_PASSWORD_REQUIRED', base, answer.Session))).toEqual({
        code: 'InvalidParameterException',
        status: 400,
        message: 'Invalid attributes given, phone_number is missing',
      })
      expect(storedUser(fakes, user.username)?.status).toBe('FORCE_CHANGE_PASSWORD')
    })

    it('refuses a temporary password older than the pool allows with NotAuthorizedException', async () => {
      const fakes = await localAwsFakes()
      addRider(fakes, { email: 'ada@example.com', password: 'Temp-pass-123', status: 'FORCE_CHANGE_PASSWORD' })
      fakes.store.update((draft) => {
        for (const user of Object.values(draft.users)) user.temporaryPasswordExpiresAt = fakes.clock.now() + 7 * 86_400_000
      })
      fakes.clock.advance(7 * 86_400_000)
      expect(await refusal(signInWithSrp(fakes, { email: 'ada@example.com' }, 'Temp-pass-123'))).toEqual({
        code: 'NotAuthorizedException',
        status: 400,
        message: 'Temporary password has expired and must be reset by an administrator.',
      })
    })
  })

  describe('SOFTWARE_TOKEN_MFA', () => {
    async function mfaChallenge(fakes: LocalAwsFakes) {
      const user = addRider(fakes, { email: 'ada@example.com' })
      const secret = addAuthenticator(fakes, user)
      const answer = await signInWithSrp(fakes, { email: 'ada@example.com' })
      return { user, secret, answer }
    }

    it("asks for the authenticator's code after the password, and signs in with it", async () => {
      const fakes = await localAwsFakes()
      const { user, secret, answer } = await mfaChallenge(fakes)
      expect(answer).toMatchObject({ ChallengeName: 'SOFTWARE_TOKEN_MFA', ChallengeParameters: { USER_ID_FOR_SRP: user.username, FRIENDLY_DEVICE_NAME: 'Phone' } })
      const code = authenticatorCode(fakes, secret)
      expect(await respond(fakes, 'SOFTWARE_TOKEN_MFA', { USERNAME: 'ada@example.com', SOFTWARE_TOKEN_MFA_CODE: code }, answer.Session)).toHaveProperty(
        'AuthenticationResult.AccessToken',
      )
    })

    it('refuses a wrong code with CodeMismatchException (the session stays open) and a used one with ExpiredCodeException', async () => {
      const fakes = await localAwsFakes()
      const { secret, answer } = await mfaChallenge(fakes)
      const code = authenticatorCode(fakes, secret)
      const wrong = code === '000000' ? '111111' : '000000'
      expect(await refusal(respond(fakes, 'SOFTWARE_TOKEN_MFA', { USERNAME: 'ada@example.com', SOFTWARE_TOKEN_MFA_CODE: wrong }, answer.Session))).toEqual({
        code: 'CodeMismatchException',
        status: 400,
        message: 'Invalid code received for user',
      })
      await respond(fakes, 'SOFTWARE_TOKEN_MFA', { USERNAME: 'ada@example.com', SOFTWARE_TOKEN_MFA_CODE: code }, answer.Session)
      const again = await signInWithSrp(fakes, { email: 'ada@example.com' })
      expect(await refusal(respond(fakes, 'SOFTWARE_TOKEN_MFA', { USERNAME: 'ada@example.com', SOFTWARE_TOKEN_MFA_CODE: code }, again.Session))).toEqual({
        code: 'ExpiredCodeException',
        status: 400,
        message: 'Your software token has already been used once.',
      })
    })

    it("refuses another rider's name with NotAuthorizedException", async () => {
      const fakes = await localAwsFakes()
      const { secret, answer } = await mfaChallenge(fakes)
      addRider(fakes, { email: 'grace@example.com' })
      const responses = { USERNAME: 'grace@example.com', SOFTWARE_TOKEN_MFA_CODE: authenticatorCode(fakes, secret) }
      expect(await refusal(respond(fakes, 'SOFTWARE_TOKEN_MFA', responses, answer.Session))).toMatchObject({
        code: 'NotAuthorizedException',
        message: 'Incorrect username or password.',
      })
    })
  })

  describe('MFA_SETUP', () => {
    it('signs in a rider who set up their authenticator during the sign-in of a pool that requires MFA', async () => {
      const fakes = await localAwsFakes({ pool: { mfaConfiguration: 'ON' } })
      const user = addRider(fakes, { email: 'ada@example.com' })
      const challenged = await signInWithSrp(fakes, { email: 'ada@example.com' })
      expect(challenged).toMatchObject({ ChallengeName: 'MFA_SETUP', ChallengeParameters: { MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA"]' } })
      const associated = await createAssociateSoftwareToken({ ...fakes.signIn, authenticate: fakes.authenticate })({ Session: challenged.Session }, UNSIGNED_REQUEST)
      const verified = await createVerifySoftwareToken({ ...fakes.signIn, authenticate: fakes.authenticate })(
        { Session: associated.Session, UserCode: authenticatorCode(fakes, associated.SecretCode!) },
        UNSIGNED_REQUEST,
      )
      const answer = await respond(fakes, 'MFA_SETUP', { USERNAME: 'ada@example.com' }, verified.Session)
      expect(answer).toHaveProperty('AuthenticationResult.RefreshToken')
      expect(storedUser(fakes, user.username)?.softwareTokenMfa).toMatchObject({ isEnabled: true, isPreferred: true })
    })

    it('refuses to finish before the authenticator is verified with InvalidParameterException', async () => {
      const fakes = await localAwsFakes({ pool: { mfaConfiguration: 'ON' } })
      addRider(fakes, { email: 'ada@example.com' })
      const answer = await signInWithSrp(fakes, { email: 'ada@example.com' })
      expect(await refusal(respond(fakes, 'MFA_SETUP', { USERNAME: 'ada@example.com' }, answer.Session))).toEqual({
        code: 'InvalidParameterException',
        status: 400,
        message: 'User has not verified software token mfa',
      })
    })
  })
})
