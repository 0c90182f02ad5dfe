import { describe, expect, it } from 'vitest'
import { refusal } from '../../../tests/support/awsErrors.ts'
import { UNSIGNED_REQUEST, addRider, localAwsFakes, storedUser, type LocalAwsFakes } from '../../../tests/support/localAwsFakes.ts'
import { issueCode } from '../codes.ts'
import { recordFailure } from '../lockout.ts'
import { passwordMatchesVerifier } from '../srp.ts'
import { srpPoolName, type StoredUser } from '../users.ts'
import { createConfirmForgotPassword } from './confirmForgotPassword.ts'

const NEW_PASSWORD = 'Fresh-saddle-7'

/** A rider who asked for a reset code. */
function riderWithResetCode(fakes: LocalAwsFakes): { user: StoredUser; code: string } {
  const user = addRider(fakes, { email: 'ada@example.com' })
  const code = fakes.store.update((draft) => issueCode(draft.users[user.username]!, 'forgot-password', fakes.clock.now(), { attribute: 'email', value: 'ada@example.com' }))
  return { user, code }
}

function reset(fakes: LocalAwsFakes, code: string, input: Record<string, unknown> = {}) {
  return createConfirmForgotPassword(fakes)(
    { ClientId: fakes.client.id, Username: 'ada@example.com', ConfirmationCode: code, Password: NEW_PASSWORD, ...input },
    UNSIGNED_REQUEST,
  )
}

function hasPassword(fakes: LocalAwsFakes, user: StoredUser, password: string): boolean {
  return passwordMatchesVerifier(srpPoolName(fakes.pool), user.username, password, storedUser(fakes, user.username)!.verifier)
}

describe('ConfirmForgotPassword', () => {
  it('sets the new password with the reset code and lifts a lockout', async () => {
    const fakes = await localAwsFakes()
    const { user, code } = riderWithResetCode(fakes)
    fakes.store.update((draft) => void (draft.users[user.username]!.lockout = recordFailure(undefined, fakes.clock.now())))
    expect(await reset(fakes, code)).toEqual({})
    expect(hasPassword(fakes, user, NEW_PASSWORD)).toBe(true)
    expect(storedUser(fakes, user.username)).not.toHaveProperty('lockout')
    expect(storedUser(fakes, user.username)!.codes).toEqual({})
  })

  it('refuses a wrong code with CodeMismatchException and leaves the password alone', async () => {
    const fakes = await localAwsFakes()
    const { user, code } = riderWithResetCode(fakes)
    expect(await refusal(reset(fakes, code === '000000' ? '111111' : '000000'))).toMatchObject({ code: 'CodeMismatchException' })
    expect(hasPassword(fakes, user, NEW_PASSWORD)).toBe(false)
  })

  it('refuses a code older than an hour with ExpiredCodeException', async () => {
    const fakes = await localAwsFakes()
    const { code } = riderWithResetCode(fakes)
    fakes.clock.advance(3_600_000)
    expect(await refusal(reset(fakes, code))).toMatchObject({ code: 'ExpiredCodeException' })
  })

  it('refuses the sixth guess with LimitExceededException', async () => {
    const fakes = await localAwsFakes()
    const { code } = riderWithResetCode(fakes)
    for (let guess = 0; guess < 5; guess++) await refusal(reset(fakes, code === '000000' ? '111111' : '000000'))
    expect(await refusal(reset(fakes, code))).toMatchObject({ code: 'LimitExceededException' })
  })

  it("refuses a password below the pool's policy with InvalidPasswordException, keeping the code", async () => {
    const fakes = await localAwsFakes()
    const { code } = riderWithResetCode(fakes)
    expect(await refusal(reset(fakes, code, { Password: 'short1A' }))).toEqual({
      code: 'InvalidPasswordException',
      status: 400,
      message: 'Password did not conform with policy: Password not long enough',
    })
    await expect(reset(fakes, code)).resolves.toEqual({})
  })

  it('answers an unknown rider as a wrong code under PreventUserExistenceErrors, and with UserNotFoundException without it', async () => {
    const hiding = await localAwsFakes()
    expect(await refusal(reset(hiding, '123456'))).toMatchObject({ code: 'CodeMismatchException' })
    const telling = await localAwsFakes({ client: { preventUserExistenceErrors: false } })
    expect(await refusal(reset(telling, '123456'))).toMatchObject({ code: 'UserNotFoundException' })
  })

  it('refuses an unknown app client with ResourceNotFoundException and a missing password with InvalidParameterException', async () => {
    const fakes = await localAwsFakes()
    expect(await refusal(reset(fakes, '123456', { ClientId: 'unknownclient' }))).toMatchObject({ code: 'ResourceNotFoundException' })
    expect(await refusal(reset(fakes, '123456', { Password: null }))).toMatchObject({ code: 'InvalidParameterException' })
  })
})
