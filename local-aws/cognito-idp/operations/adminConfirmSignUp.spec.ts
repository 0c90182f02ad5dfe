import { describe, expect, it } from 'vitest'
import { refusal } from '../../../tests/support/awsErrors.ts'
import { addRider, adminRequest, localAwsFakes, riderSession, storedUser, type LocalAwsFakes } from '../../../tests/support/localAwsFakes.ts'
import { createAdminConfirmSignUp } from './adminConfirmSignUp.ts'

async function adminConfirm(fakes: LocalAwsFakes, input: Record<string, unknown>, credentials = fakes.administratorKey) {
  return createAdminConfirmSignUp(fakes)(input, await adminRequest(fakes, 'AdminConfirmSignUp', input, credentials))
}

describe('AdminConfirmSignUp', () => {
  it('confirms an unconfirmed rider without verifying their email', async () => {
    const fakes = await localAwsFakes()
    const user = addRider(fakes, { email: 'ada@example.com', status: 'UNCONFIRMED' })
    fakes.clock.advance(60_000)
    expect(await adminConfirm(fakes, { UserPoolId: fakes.pool.id, Username: 'ada@example.com' })).toEqual({})
    expect(storedUser(fakes, user.username)).toMatchObject({ status: 'CONFIRMED', updatedAt: fakes.clock.now(), attributes: { email_verified: 'false' } })
  })

  it('refuses a rider who is not unconfirmed with NotAuthorizedException', async () => {
    const fakes = await localAwsFakes()
    addRider(fakes, { email: 'ada@example.com' })
    expect(await refusal(adminConfirm(fakes, { UserPoolId: fakes.pool.id, Username: 'ada@example.com' }))).toEqual({
      code: 'NotAuthorizedException',
      status: 400,
      message: 'User cannot be confirmed. Current status is CONFIRMED',
    })
  })

  it('refuses an unknown rider with UserNotFoundException and an unknown pool with ResourceNotFoundException', async () => {
    const fakes = await localAwsFakes()
    expect(await refusal(adminConfirm(fakes, { UserPoolId: fakes.pool.id, Username: 'nobody@example.com' }))).toMatchObject({ code: 'UserNotFoundException' })
    expect(await refusal(adminConfirm(fakes, { UserPoolId: 'us-east-1_Nope', Username: 'nobody@example.com' }))).toMatchObject({ code: 'ResourceNotFoundException' })
  })

  it("refuses a rider's credentials with AccessDeniedException and a missing pool id with InvalidParameterException", async () => {
    const fakes = await localAwsFakes()
    const user = addRider(fakes, { email: 'ada@example.com', status: 'UNCONFIRMED' })
    expect(await refusal(adminConfirm(fakes, { UserPoolId: fakes.pool.id, Username: 'ada@example.com' }, riderSession(fakes)))).toMatchObject({
      code: 'AccessDeniedException',
    })
    expect(storedUser(fakes, user.username)?.status).toBe('UNCONFIRMED')
    expect(await refusal(adminConfirm(fakes, { Username: 'ada@example.com' }))).toMatchObject({ code: 'InvalidParameterException' })
  })
})
