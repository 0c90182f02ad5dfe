import { describe, expect, it } from 'vitest'
import { refusal } from '../../../tests/support/awsErrors.ts'
import { adminRequest, localAwsFakes, riderSession, riderWithTokens, type LocalAwsFakes } from '../../../tests/support/localAwsFakes.ts'
import { createAdminDeleteUser } from './adminDeleteUser.ts'

async function adminDeleteUser(fakes: LocalAwsFakes, input: Record<string, unknown>, credentials = fakes.administratorKey) {
  return createAdminDeleteUser(fakes)(input, await adminRequest(fakes, 'AdminDeleteUser', input, credentials))
}

describe('AdminDeleteUser', () => {
  it('deletes a rider and their sessions', async () => {
    const fakes = await localAwsFakes()
    const { user } = await riderWithTokens(fakes, { email: 'ada@example.com' })
    expect(await adminDeleteUser(fakes, { UserPoolId: fakes.pool.id, Username: 'ada@example.com' })).toEqual({})
    expect(fakes.store.state.users[user.username]).toBeUndefined()
    expect(Object.values(fakes.store.state.sessions).filter((session) => session.username === user.username)).toEqual([])
  })

  it('refuses an unknown rider with UserNotFoundException and an unknown pool with ResourceNotFoundException', async () => {
    const fakes = await localAwsFakes()
    expect(await refusal(adminDeleteUser(fakes, { UserPoolId: fakes.pool.id, Username: 'nobody@example.com' }))).toMatchObject({ code: 'UserNotFoundException' })
    expect(await refusal(adminDeleteUser(fakes, { UserPoolId: 'us-east-1_Nope', Username: 'nobody@example.com' }))).toMatchObject({ code: 'ResourceNotFoundException' })
  })

  it("refuses a rider's credentials with AccessDeniedException, deleting no one", async () => {
    const fakes = await localAwsFakes()
    const { user } = await riderWithTokens(fakes, { email: 'ada@example.com' })
    expect(await refusal(adminDeleteUser(fakes, { UserPoolId: fakes.pool.id, Username: 'ada@example.com' }, riderSession(fakes)))).toMatchObject({
      code: 'AccessDeniedException',
    })
    expect(fakes.store.state.users[user.username]).toBeDefined()
  })

  it('refuses a missing username with InvalidParameterException', async () => {
    const fakes = await localAwsFakes()
    expect(await refusal(adminDeleteUser(fakes, { UserPoolId: fakes.pool.id }))).toMatchObject({
      code: 'InvalidParameterException',
      message: "1 validation error detected: Value null at 'username' failed to satisfy constraint: Member must not be null",
    })
  })
})
