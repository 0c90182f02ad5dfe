import { describe, expect, it } from 'vitest'
import { refusal } from '../../../tests/support/awsErrors.ts'
import { UNSIGNED_REQUEST, localAwsFakes, riderWithTokens } from '../../../tests/support/localAwsFakes.ts'
import { createDeleteUser } from './deleteUser.ts'

describe('DeleteUser', () => {
  it('deletes the signed-in rider with their sessions', async () => {
    const fakes = await localAwsFakes()
    const { user, AccessToken } = await riderWithTokens(fakes, { email: 'ada@example.com' })
    expect(await createDeleteUser(fakes)({ AccessToken }, UNSIGNED_REQUEST)).toEqual({})
    expect(fakes.store.findUser('ada@example.com')).toBeUndefined()
    expect(Object.values(fakes.store.state.sessions).filter((session) => session.username === user.username)).toEqual([])
  })

  it("refuses the deleted rider's token, an expired token and a malformed one with NotAuthorizedException", async () => {
    const fakes = await localAwsFakes()
    const { AccessToken } = await riderWithTokens(fakes)
    const deleteUser = createDeleteUser(fakes)
    await deleteUser({ AccessToken }, UNSIGNED_REQUEST)
    expect(await refusal(deleteUser({ AccessToken }, UNSIGNED_REQUEST))).toEqual({ code: 'NotAuthorizedException', status: 400, message: 'Access Token has been revoked' })
    const second = await riderWithTokens(fakes)
    fakes.clock.advance(fakes.client.accessTokenValiditySeconds * 1000)
    expect(await refusal(deleteUser({ AccessToken: second.AccessToken }, UNSIGNED_REQUEST))).toMatchObject({ message: 'Access Token has expired' })
    expect(fakes.store.state.users[second.user.username]).toBeDefined()
  })

  it('refuses a missing access token with InvalidParameterException', async () => {
    const fakes = await localAwsFakes()
    expect(await refusal(createDeleteUser(fakes)({ AccessToken: null }, UNSIGNED_REQUEST))).toMatchObject({ code: 'InvalidParameterException' })
  })
})
