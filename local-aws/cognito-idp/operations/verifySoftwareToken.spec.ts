import type { VerifySoftwareTokenCommandOutput } from '@aws-sdk/client-cognito-identity-provider'
import { describe, expect, it } from 'vitest'
import type { JsonOutput } from '../../context.ts'
import { refusal } from '../../../tests/support/awsErrors.ts'
import { UNSIGNED_REQUEST, authenticatorCode, localAwsFakes, riderWithTokens, storedUser, type LocalAwsFakes } from '../../../tests/support/localAwsFakes.ts'
import { associateSoftwareToken } from '../softwareToken.ts'
import { createVerifySoftwareToken } from './verifySoftwareToken.ts'

function verify(fakes: LocalAwsFakes, input: Record<string, unknown>) {
  return createVerifySoftwareToken({ ...fakes.signIn, authenticate: fakes.authenticate })(input, UNSIGNED_REQUEST)
}

/** A signed-in rider whose authenticator app has just been given a secret. */
async function riderAssociating(fakes: LocalAwsFakes) {
  const rider = await riderWithTokens(fakes)
  const secret = fakes.store.update((draft) => associateSoftwareToken(draft.users[rider.user.username]!))
  return { ...rider, secret }
}

describe('VerifySoftwareToken', () => {
  it("makes the pending secret the rider's token with the authenticator's name, the code used up", async () => {
    const fakes = await localAwsFakes()
    const { user, AccessToken, secret } = await riderAssociating(fakes)
    const answer: JsonOutput<VerifySoftwareTokenCommandOutput> = await verify(fakes, { AccessToken, UserCode: authenticatorCode(fakes, secret), FriendlyDeviceName: 'Phone' })
    expect(answer).toEqual({ Status: 'SUCCESS' })
    const mfa = storedUser(fakes, user.username)?.softwareTokenMfa
    expect(mfa?.token).toMatchObject({ secret, friendlyDeviceName: 'Phone', lastUsedStep: Math.floor(fakes.clock.now() / 30_000) })
    expect(mfa).not.toHaveProperty('pending')
  })

  it('refuses a wrong code with EnableSoftwareTokenMFAException, leaving the secret pending for another try', async () => {
    const fakes = await localAwsFakes()
    const { user, AccessToken, secret } = await riderAssociating(fakes)
    const code = authenticatorCode(fakes, secret)
    expect(await refusal(verify(fakes, { AccessToken, UserCode: code === '000000' ? '111111' : '000000' }))).toEqual({
      code: 'EnableSoftwareTokenMFAException',
      status: 400,
      message: 'Code mismatch and fail enable Software Token MFA',
    })
    expect(storedUser(fakes, user.username)?.softwareTokenMfa?.pending?.secret).toBe(secret)
    await expect(verify(fakes, { AccessToken, UserCode: code })).resolves.toEqual({ Status: 'SUCCESS' })
  })

  it('refuses a rider who has no pending secret with SoftwareTokenMFANotFoundException', async () => {
    const fakes = await localAwsFakes()
    const { AccessToken } = await riderWithTokens(fakes)
    expect(await refusal(verify(fakes, { AccessToken, UserCode: '123456' }))).toEqual({
      code: 'SoftwareTokenMFANotFoundException',
      status: 400,
      message: 'Software Token MFA does not exist for the user.',
    })
  })

  it('refuses a code that is not six digits, a name over 131 characters and neither token nor session with InvalidParameterException', async () => {
    const fakes = await localAwsFakes()
    const { AccessToken } = await riderAssociating(fakes)
    expect(await refusal(verify(fakes, { AccessToken, UserCode: '12345a' }))).toMatchObject({ code: 'InvalidParameterException' })
    expect(await refusal(verify(fakes, { AccessToken, UserCode: '123456', FriendlyDeviceName: 'x'.repeat(132) }))).toMatchObject({
      code: 'InvalidParameterException',
      message: "1 validation error detected: Value at 'friendlyDeviceName' failed to satisfy constraint: Member must have length less than or equal to 131",
    })
    expect(await refusal(verify(fakes, { UserCode: '123456' }))).toMatchObject({ message: 'Either AccessToken or Session must be provided' })
  })

  it('refuses an invalid access token or session with NotAuthorizedException and a name of the wrong type with SerializationException', async () => {
    const fakes = await localAwsFakes()
    expect(await refusal(verify(fakes, { AccessToken: 'abc', UserCode: '123456' }))).toMatchObject({ code: 'NotAuthorizedException', message: 'Invalid Access Token' })
    expect(await refusal(verify(fakes, { Session: 'made-up-session', UserCode: '123456' }))).toMatchObject({ code: 'NotAuthorizedException', message: 'Invalid session for the user.' })
    expect(await refusal(verify(fakes, { AccessToken: 'abc', UserCode: '123456', FriendlyDeviceName: 7 }))).toMatchObject({ code: 'SerializationException' })
  })
})
