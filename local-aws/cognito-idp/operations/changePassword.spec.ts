import { describe, expect, it } from 'vitest'
import { refusal } from '../../../tests/support/awsErrors.ts'
import { RIDER_PASSWORD, UNSIGNED_REQUEST, localAwsFakes, riderWithTokens, storedUser, type LocalAwsFakes } from '../../../tests/support/localAwsFakes.ts'
import { passwordMatchesVerifier } from '../srp.ts'
import { srpPoolName, type StoredUser } from '../users.ts'
import { createChangePassword } from './changePassword.ts'

const NEW_PASSWORD = 'Fresh-saddle-7'

function hasPassword(fakes: LocalAwsFakes, user: StoredUser, password: string): boolean {
  return passwordMatchesVerifier(srpPoolName(fakes.pool), user.username, password, storedUser(fakes, user.username)!.verifier)
}

describe('ChangePassword', () => {
  it("changes the signed-in rider's password", async () => {
    const fakes = await localAwsFakes()
    const { user, AccessToken } = await riderWithTokens(fakes)
    const answer = await createChangePassword(fakes)({ AccessToken, PreviousPassword: RIDER_PASSWORD, ProposedPassword: NEW_PASSWORD }, UNSIGNED_REQUEST)
    expect(answer).toEqual({})
    expect(hasPassword(fakes, user, NEW_PASSWORD)).toBe(true)
  })

  it('refuses a wrong current password with NotAuthorizedException, then locks the rider out after five', async () => {
    const fakes = await localAwsFakes()
    const { user, AccessToken } = await riderWithTokens(fakes)
    const change = createChangePassword(fakes)
    const wrong = { AccessToken, PreviousPassword: 'Not-my-password-1', ProposedPassword: NEW_PASSWORD }
    expect(await refusal(change(wrong, UNSIGNED_REQUEST))).toEqual({ code: 'NotAuthorizedException', status: 400, message: 'Incorrect username or password.' })
    for (let attempt = 0; attempt < 4; attempt++) await refusal(change(wrong, UNSIGNED_REQUEST))
    expect(await refusal(change({ ...wrong, PreviousPassword: RIDER_PASSWORD }, UNSIGNED_REQUEST))).toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Password attempts exceeded',
    })
    expect(hasPassword(fakes, user, RIDER_PASSWORD)).toBe(true)
  })

  it("refuses a new password below the pool's policy with InvalidPasswordException", async () => {
    const fakes = await localAwsFakes()
    const { AccessToken } = await riderWithTokens(fakes)
    expect(await refusal(createChangePassword(fakes)({ AccessToken, PreviousPassword: RIDER_PASSWORD, ProposedPassword: 'nocapitals1' }, UNSIGNED_REQUEST))).toEqual({
      code: 'InvalidPasswordException',
      status: 400,
      message: 'Password did not conform with policy: Password must have uppercase characters',
    })
  })

  it('refuses an invalid access token with NotAuthorizedException and a missing password with InvalidParameterException', async () => {
    const fakes = await localAwsFakes()
    const change = createChangePassword(fakes)
    expect(await refusal(change({ AccessToken: 'abc', PreviousPassword: RIDER_PASSWORD, ProposedPassword: NEW_PASSWORD }, UNSIGNED_REQUEST))).toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Invalid Access Token',
    })
    expect(await refusal(change({ AccessToken: 'abc', PreviousPassword: RIDER_PASSWORD }, UNSIGNED_REQUEST))).toEqual({
      code: 'InvalidParameterException',
      status: 400,
      message: "1 validation error detected: Value null at 'proposedPassword' failed to satisfy constraint: Member must not be null",
    })
  })
})
