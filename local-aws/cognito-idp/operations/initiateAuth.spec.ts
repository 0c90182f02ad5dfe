import type { InitiateAuthCommandOutput } from '@aws-sdk/client-cognito-identity-provider'
import { describe, expect, it } from 'vitest'
import type { JsonOutput } from '../../context.ts'
import { refusal } from '../../../tests/support/awsErrors.ts'
import {
  RIDER_PASSWORD, SrpClient, UNSIGNED_REQUEST, addRider, localAwsFakes, riderWithTokens, storedUser, type LocalAwsFakes,
} from '../../../tests/support/localAwsFakes.ts'
import { SRP_N } from '../srp.ts'
import { revokeSessionsOf } from '../tokens.ts'
import { srpPoolName } from '../users.ts'
import { createInitiateAuth } from './initiateAuth.ts'

function initiateAuth(fakes: LocalAwsFakes, AuthFlow: string, AuthParameters: Record<string, unknown>, input: Record<string, unknown> = {}) {
  return createInitiateAuth(fakes.signIn)({ AuthFlow, ClientId: fakes.client.id, AuthParameters, ...input }, UNSIGNED_REQUEST)
}

function startSrp(fakes: LocalAwsFakes, username: string) {
  return initiateAuth(fakes, 'USER_SRP_AUTH', { USERNAME: username, SRP_A: new SrpClient(srpPoolName(fakes.pool)).publicValue() })
}

/** A client that also allows USER_PASSWORD_AUTH, which the template's does not. */
const PASSWORD_CLIENT = { client: { explicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_PASSWORD_AUTH'] } }

describe('InitiateAuth', () => {
  it("answers USER_SRP_AUTH with PASSWORD_VERIFIER: the rider's salt, B and their UUID username for SRP", async () => {
    const fakes = await localAwsFakes()
    const user = addRider(fakes, { email: 'ada@example.com' })
    const answer: JsonOutput<InitiateAuthCommandOutput> = await startSrp(fakes, 'ADA@example.com')
    expect(answer).toEqual({
      ChallengeName: 'PASSWORD_VERIFIER',
      ChallengeParameters: {
        SALT: user.verifier.salt,
        SECRET_BLOCK: expect.any(String),
        SRP_B: expect.stringMatching(/^[0-9a-f]+$/),
        USERNAME: user.username,
        USER_ID_FOR_SRP: user.username,
      },
    })
  })

  it('answers an unknown rider with the same made-up salt and id every time under PreventUserExistenceErrors', async () => {
    const fakes = await localAwsFakes()
    const first = await startSrp(fakes, 'nobody@example.com')
    const second = await startSrp(fakes, 'Nobody@example.com')
    expect(first.ChallengeName).toBe('PASSWORD_VERIFIER')
    expect(second.ChallengeParameters).toMatchObject({ SALT: first.ChallengeParameters!.SALT, USER_ID_FOR_SRP: first.ChallengeParameters!.USER_ID_FOR_SRP })
  })

  it('refuses an unknown rider with UserNotFoundException when the client tells', async () => {
    const fakes = await localAwsFakes({ client: { preventUserExistenceErrors: false } })
    expect(await refusal(startSrp(fakes, 'nobody@example.com'))).toEqual({ code: 'UserNotFoundException', status: 400, message: 'User does not exist.' })
  })

  it('answers REFRESH_TOKEN_AUTH with new ID and access tokens, and no refresh token', async () => {
    const fakes = await localAwsFakes()
    const { RefreshToken } = await riderWithTokens(fakes)
    const answer = await initiateAuth(fakes, 'REFRESH_TOKEN_AUTH', { REFRESH_TOKEN: RefreshToken })
    expect(answer).toEqual({
      AuthenticationResult: { AccessToken: expect.any(String), IdToken: expect.any(String), ExpiresIn: fakes.client.accessTokenValiditySeconds, TokenType: 'Bearer' },
      ChallengeParameters: {},
    })
  })

  it('refuses an unknown, a revoked and an expired refresh token with NotAuthorizedException', async () => {
    const fakes = await localAwsFakes()
    const { user, RefreshToken } = await riderWithTokens(fakes)
    expect(await refusal(initiateAuth(fakes, 'REFRESH_TOKEN_AUTH', { REFRESH_TOKEN: 'made-up' }))).toEqual({
      code: 'NotAuthorizedException',
      status: 400,
      message: 'Invalid Refresh Token',
    })
    fakes.clock.advance(fakes.client.refreshTokenValiditySeconds * 1000)
    expect(await refusal(initiateAuth(fakes, 'REFRESH_TOKEN_AUTH', { REFRESH_TOKEN: RefreshToken }))).toMatchObject({ message: 'Refresh Token has expired' })
    fakes.store.update((draft) => revokeSessionsOf(draft, user.username))
    expect(await refusal(initiateAuth(fakes, 'REFRESH_TOKEN_AUTH', { REFRESH_TOKEN: RefreshToken }))).toMatchObject({ message: 'Refresh Token has been revoked' })
  })

  it('signs in with USER_PASSWORD_AUTH where the client allows it', async () => {
    const fakes = await localAwsFakes(PASSWORD_CLIENT)
    addRider(fakes, { email: 'ada@example.com' })
    const answer = await initiateAuth(fakes, 'USER_PASSWORD_AUTH', { USERNAME: 'ada@example.com', PASSWORD: RIDER_PASSWORD })
    expect(answer.AuthenticationResult).toMatchObject({ AccessToken: expect.any(String), RefreshToken: expect.any(String), TokenType: 'Bearer' })
  })

  it('refuses a wrong password with NotAuthorizedException, counting towards the lockout', async () => {
    const fakes = await localAwsFakes(PASSWORD_CLIENT)
    const user = addRider(fakes, { email: 'ada@example.com' })
    const signIn = (PASSWORD: string) => initiateAuth(fakes, 'USER_PASSWORD_AUTH', { USERNAME: 'ada@example.com', PASSWORD })
    expect(await refusal(signIn('Wrong-password-1'))).toEqual({ code: 'NotAuthorizedException', status: 400, message: 'Incorrect username or password.' })
    for (let attempt = 0; attempt < 4; attempt++) await refusal(signIn('Wrong-password-1'))
    expect(storedUser(fakes, user.username)?.lockout?.failures).toBe(5)
    expect(await refusal(signIn(RIDER_PASSWORD))).toMatchObject({ code: 'NotAuthorizedException', message: 'Password attempts exceeded' })
    fakes.clock.advance(1000)
    await expect(signIn(RIDER_PASSWORD)).resolves.toHaveProperty('AuthenticationResult')
  })

  it('refuses an unconfirmed rider with UserNotConfirmedException, and an unknown one as a wrong password', async () => {
    const fakes = await localAwsFakes(PASSWORD_CLIENT)
    addRider(fakes, { email: 'ada@example.com', status: 'UNCONFIRMED' })
    expect(await refusal(initiateAuth(fakes, 'USER_PASSWORD_AUTH', { USERNAME: 'ada@example.com', PASSWORD: 'Anything-1' }))).toEqual({
      code: 'UserNotConfirmedException',
      status: 400,
      message: 'User is not confirmed.',
    })
    expect(await refusal(initiateAuth(fakes, 'USER_PASSWORD_AUTH', { USERNAME: 'nobody@example.com', PASSWORD: 'Anything-1' }))).toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    })
  })

  it('refuses an unknown flow, a flow the client does not allow, a missing parameter and a bad SRP_A with InvalidParameterException', async () => {
    const fakes = await localAwsFakes()
    expect(await refusal(initiateAuth(fakes, 'MAGIC_LINK', {}))).toMatchObject({
      code: 'InvalidParameterException',
      message: expect.stringMatching(/^1 validation error detected: Value 'MAGIC_LINK' at 'authFlow' failed to satisfy constraint/),
    })
    expect(await refusal(initiateAuth(fakes, 'USER_PASSWORD_AUTH', { USERNAME: 'a@example.com', PASSWORD: 'x' }))).toEqual({
      code: 'InvalidParameterException',
      status: 400,
      message: 'USER_PASSWORD_AUTH flow not enabled for this client',
    })
    expect(await refusal(initiateAuth(fakes, 'USER_SRP_AUTH', { USERNAME: 'a@example.com' }))).toMatchObject({ message: 'Missing required parameter SRP_A' })
    expect(await refusal(initiateAuth(fakes, 'USER_SRP_AUTH', { USERNAME: 'a@example.com', SRP_A: SRP_N.toString(16) }))).toMatchObject({
      code: 'InvalidParameterException',
      message: 'SRP_A cannot be 0 modulo N',
    })
  })

  it('refuses an unknown app client with ResourceNotFoundException and parameters of the wrong type with SerializationException', async () => {
    const fakes = await localAwsFakes()
    expect(await refusal(initiateAuth(fakes, 'USER_SRP_AUTH', {}, { ClientId: 'unknownclient' }))).toMatchObject({ code: 'ResourceNotFoundException' })
    expect(await refusal(initiateAuth(fakes, 'USER_SRP_AUTH', { USERNAME: 7 }))).toMatchObject({ code: 'SerializationException' })
  })
})
