import { describe, expect, it } from 'vitest'
import { refusal } from '../../../tests/support/awsErrors.ts'
import { UNSIGNED_REQUEST, localAwsFakes, riderWithTokens, signedInRider } from '../../../tests/support/localAwsFakes.ts'
import { createGetUser } from './getUser.ts'
import { createGlobalSignOut } from './globalSignOut.ts'

describe('GlobalSignOut', () => {
  it("revokes every session of the rider, on every device, and no one else's", async () => {
    const fakes = await localAwsFakes()
    const phone = await riderWithTokens(fakes)
    const laptop = await signedInRider(fakes, phone.user)
    const other = await riderWithTokens(fakes)
    expect(await createGlobalSignOut(fakes)({ AccessToken: phone.AccessToken }, UNSIGNED_REQUEST)).toEqual({})
    const sessions = Object.values(fakes.store.state.sessions)
    expect(sessions.filter((session) => session.username === phone.user.username).map((session) => session.revoked)).toEqual([true, true])
    expect(await refusal(createGetUser(fakes)({ AccessToken: laptop.AccessToken }, UNSIGNED_REQUEST))).toMatchObject({ message: 'Access Token has been revoked' })
    await expect(createGetUser(fakes)({ AccessToken: other.AccessToken }, UNSIGNED_REQUEST)).resolves.toHaveProperty('Username', other.user.username)
  })

  it('refuses an already revoked or an invalid access token with NotAuthorizedException', async () => {
    const fakes = await localAwsFakes()
    const { AccessToken } = await riderWithTokens(fakes)
    const signOut = createGlobalSignOut(fakes)
    await signOut({ AccessToken }, UNSIGNED_REQUEST)
    expect(await refusal(signOut({ AccessToken }, UNSIGNED_REQUEST))).toEqual({ code: 'NotAuthorizedException', status: 400, message: 'Access Token has been revoked' })
    expect(await refusal(signOut({ AccessToken: 'abc' }, UNSIGNED_REQUEST))).toMatchObject({ code: 'NotAuthorizedException', message: 'Invalid Access Token' })
  })

  it('refuses a missing access token with InvalidParameterException', async () => {
    const fakes = await localAwsFakes()
    expect(await refusal(createGlobalSignOut(fakes)({}, UNSIGNED_REQUEST))).toMatchObject({ code: 'InvalidParameterException' })
  })
})
