import type { ForgotPasswordCommandOutput } from '@aws-sdk/client-cognito-identity-provider'
import { describe, expect, it } from 'vitest'
import type { JsonOutput } from '../../context.ts'
import { refusal } from '../../../tests/support/awsErrors.ts'
import { UNSIGNED_REQUEST, addRider, lastMessageTo, localAwsFakes, storedUser, type LocalAwsFakes } from '../../../tests/support/localAwsFakes.ts'
import { createForgotPassword } from './forgotPassword.ts'

function forgot(fakes: LocalAwsFakes, input: Record<string, unknown> = {}) {
  return createForgotPassword(fakes)({ ClientId: fakes.client.id, Username: 'ada@example.com', ...input }, UNSIGNED_REQUEST)
}

describe('ForgotPassword', () => {
  it('emails a reset code, good for an hour, to the verified email', async () => {
    const fakes = await localAwsFakes()
    const user = addRider(fakes, { email: 'ada@example.com' })
    const answer: JsonOutput<ForgotPasswordCommandOutput> = await forgot(fakes)
    expect(answer).toEqual({ CodeDeliveryDetails: { Destination: 'a***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' } })
    const stored = storedUser(fakes, user.username)!.codes['forgot-password']!
    expect(stored.expiresAt).toBe(fakes.clock.now() + 3_600_000)
    expect(lastMessageTo(fakes, 'ada@example.com')).toMatchObject({ kind: 'forgot-password', code: stored.code })
  })

  it('refuses a rider without a verified email or phone number with InvalidParameterException', async () => {
    const fakes = await localAwsFakes()
    addRider(fakes, { email: 'ada@example.com', status: 'UNCONFIRMED' })
    expect(await refusal(forgot(fakes))).toEqual({
      code: 'InvalidParameterException',
      status: 400,
      message: 'Cannot reset password for the user as there is no registered/verified email or phone_number',
    })
  })

  it('refuses a rider still on a temporary password with NotAuthorizedException', async () => {
    const fakes = await localAwsFakes()
    addRider(fakes, { email: 'ada@example.com', status: 'FORCE_CHANGE_PASSWORD' })
    expect(await refusal(forgot(fakes))).toEqual({ code: 'NotAuthorizedException', status: 400, message: 'User password cannot be reset in the current state.' })
  })

  it('refuses a sixth code within the hour with LimitExceededException', async () => {
    const fakes = await localAwsFakes()
    addRider(fakes, { email: 'ada@example.com' })
    for (let send = 0; send < 5; send++) await forgot(fakes)
    expect(await refusal(forgot(fakes))).toMatchObject({ code: 'LimitExceededException' })
  })

  it('pretends to send to an unknown rider under PreventUserExistenceErrors, and answers UserNotFoundException without it', async () => {
    const hiding = await localAwsFakes()
    expect(await forgot(hiding, { Username: 'nobody@example.com' })).toEqual({
      CodeDeliveryDetails: { Destination: 'n***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' },
    })
    const telling = await localAwsFakes({ client: { preventUserExistenceErrors: false } })
    expect(await refusal(forgot(telling, { Username: 'nobody@example.com' }))).toMatchObject({ code: 'UserNotFoundException' })
  })

  it('refuses an unknown app client with ResourceNotFoundException and a malformed one with InvalidParameterException', async () => {
    const fakes = await localAwsFakes()
    expect(await refusal(forgot(fakes, { ClientId: 'unknownclient' }))).toMatchObject({ code: 'ResourceNotFoundException' })
    expect(await refusal(forgot(fakes, { ClientId: 'not a client id' }))).toMatchObject({ code: 'InvalidParameterException' })
  })
})
