import type { ResendConfirmationCodeCommandOutput } from '@aws-sdk/client-cognito-identity-provider'
import { describe, expect, it } from 'vitest'
import type { JsonOutput } from '../../context.ts'
import { refusal } from '../../../tests/support/awsErrors.ts'
import { UNSIGNED_REQUEST, addRider, lastMessageTo, localAwsFakes, storedUser, type LocalAwsFakes } from '../../../tests/support/localAwsFakes.ts'
import { createResendConfirmationCode } from './resendConfirmationCode.ts'

function resend(fakes: LocalAwsFakes, input: Record<string, unknown> = {}) {
  return createResendConfirmationCode(fakes)({ ClientId: fakes.client.id, Username: 'ada@example.com', ...input }, UNSIGNED_REQUEST)
}

describe('ResendConfirmationCode', () => {
  it("sends a new sign-up code to an unconfirmed rider's email", async () => {
    const fakes = await localAwsFakes()
    const user = addRider(fakes, { email: 'ada@example.com', status: 'UNCONFIRMED' })
    const answer: JsonOutput<ResendConfirmationCodeCommandOutput> = await resend(fakes)
    expect(answer).toEqual({ CodeDeliveryDetails: { Destination: 'a***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' } })
    const code = storedUser(fakes, user.username)!.codes['sign-up']!.code
    expect(lastMessageTo(fakes, 'ada@example.com')).toMatchObject({ kind: 'sign-up', code, body: expect.stringContaining(code) })
  })

  it('refuses a sixth code within the hour with LimitExceededException', async () => {
    const fakes = await localAwsFakes()
    addRider(fakes, { email: 'ada@example.com', status: 'UNCONFIRMED' })
    for (let send = 0; send < 5; send++) await resend(fakes)
    expect(await refusal(resend(fakes))).toEqual({ code: 'LimitExceededException', status: 400, message: 'Attempt limit exceeded, please try after some time.' })
    fakes.clock.advance(3_600_000)
    await expect(resend(fakes)).resolves.toHaveProperty('CodeDeliveryDetails')
  })

  it('refuses a confirmed rider with InvalidParameterException', async () => {
    const fakes = await localAwsFakes()
    addRider(fakes, { email: 'ada@example.com' })
    expect(await refusal(resend(fakes))).toEqual({ code: 'InvalidParameterException', status: 400, message: 'User is already confirmed.' })
  })

  it('pretends to send to an unknown rider under PreventUserExistenceErrors, and answers UserNotFoundException without it', async () => {
    const hiding = await localAwsFakes()
    expect(await resend(hiding, { Username: 'nobody@example.com' })).toEqual({
      CodeDeliveryDetails: { Destination: 'n***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' },
    })
    expect(hiding.outbox.messages).toEqual([])
    const telling = await localAwsFakes({ client: { preventUserExistenceErrors: false } })
    expect(await refusal(resend(telling, { Username: 'nobody@example.com' }))).toMatchObject({ code: 'UserNotFoundException' })
  })

  it('refuses an unknown app client with ResourceNotFoundException and a missing username with InvalidParameterException', async () => {
    const fakes = await localAwsFakes()
    expect(await refusal(resend(fakes, { ClientId: 'unknownclient' }))).toMatchObject({ code: 'ResourceNotFoundException' })
    expect(await refusal(resend(fakes, { Username: undefined }))).toMatchObject({
      code: 'InvalidParameterException',
      message: "1 validation error detected: Value null at 'username' failed to satisfy constraint: Member must not be null",
    })
  })
})
