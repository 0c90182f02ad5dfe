import { describe, expect, it } from 'vitest'
import { refusal } from '../../../tests/support/awsErrors.ts'
import { UNSIGNED_REQUEST, addRider, localAwsFakes, storedUser, type LocalAwsFakes } from '../../../tests/support/localAwsFakes.ts'
import { issueCode } from '../codes.ts'
import type { StoredUser } from '../users.ts'
import { createConfirmSignUp } from './confirmSignUp.ts'

/** An unconfirmed rider with a sign-up code on its way to their email. */
function unconfirmedRider(fakes: LocalAwsFakes): { user: StoredUser; code: string } {
  const user = addRider(fakes, { email: 'ada@example.com', status: 'UNCONFIRMED' })
  const code = fakes.store.update((draft) => issueCode(draft.users[user.username]!, 'sign-up', fakes.clock.now(), { attribute: 'email', value: 'ada@example.com' }))
  return { user, code }
}

function confirm(fakes: LocalAwsFakes, code: string, input: Record<string, unknown> = {}) {
  return createConfirmSignUp(fakes)({ ClientId: fakes.client.id, Username: 'ada@example.com', ConfirmationCode: code, ...input }, UNSIGNED_REQUEST)
}

describe('ConfirmSignUp', () => {
  it('confirms the rider and verifies the email the code went to', async () => {
    const fakes = await localAwsFakes()
    const { user, code } = unconfirmedRider(fakes)
    expect(await confirm(fakes, code)).toEqual({})
    expect(storedUser(fakes, user.username)).toMatchObject({ status: 'CONFIRMED', attributes: { email_verified: 'true' }, codes: {} })
  })

  it('refuses a wrong code with CodeMismatchException, and the sixth guess with LimitExceededException', async () => {
    const fakes = await localAwsFakes()
    const { user, code } = unconfirmedRider(fakes)
    const wrong = code === '000000' ? '111111' : '000000'
    expect(await refusal(confirm(fakes, wrong))).toEqual({
      code: 'CodeMismatchException',
      status: 400,
      message: 'Invalid verification code provided, please try again.',
    })
    for (let guess = 0; guess < 4; guess++) await refusal(confirm(fakes, wrong))
    expect(await refusal(confirm(fakes, code))).toEqual({ code: 'LimitExceededException', status: 400, message: 'Attempt limit exceeded, please try after some time.' })
    expect(storedUser(fakes, user.username)?.status).toBe('UNCONFIRMED')
  })

  it('refuses a code older than 24 hours with ExpiredCodeException', async () => {
    const fakes = await localAwsFakes()
    const { code } = unconfirmedRider(fakes)
    fakes.clock.advance(24 * 3_600_000)
    expect(await refusal(confirm(fakes, code))).toEqual({ code: 'ExpiredCodeException', status: 400, message: 'Invalid code provided, please request a code again.' })
  })

  it('refuses a confirmed rider with NotAuthorizedException', async () => {
    const fakes = await localAwsFakes()
    addRider(fakes, { email: 'ada@example.com' })
    expect(await refusal(confirm(fakes, '123456'))).toEqual({
      code: 'NotAuthorizedException',
      status: 400,
      message: 'User cannot be confirmed. Current status is CONFIRMED',
    })
  })

  it('answers an unknown rider as a wrong code under PreventUserExistenceErrors, and with UserNotFoundException without it', async () => {
    const hiding = await localAwsFakes()
    expect(await refusal(confirm(hiding, '123456'))).toMatchObject({ code: 'CodeMismatchException' })
    const telling = await localAwsFakes({ client: { preventUserExistenceErrors: false } })
    expect(await refusal(confirm(telling, '123456'))).toEqual({
      code: 'UserNotFoundException',
      status: 400,
      message: 'Username/client id combination not found.',
    })
  })

  it('refuses an unknown app client with ResourceNotFoundException and a missing code with InvalidParameterException', async () => {
    const fakes = await localAwsFakes()
    expect(await refusal(confirm(fakes, '123456', { ClientId: 'unknownclient' }))).toMatchObject({ code: 'ResourceNotFoundException' })
    expect(await refusal(confirm(fakes, '123456', { ConfirmationCode: null }))).toEqual({
      code: 'InvalidParameterException',
      status: 400,
      message: "1 validation error detected: Value null at 'confirmationCode' failed to satisfy constraint: Member must not be null",
    })
  })
})
