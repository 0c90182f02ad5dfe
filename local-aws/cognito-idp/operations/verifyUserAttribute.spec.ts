import { describe, expect, it } from 'vitest'
import { refusal } from '../../../tests/support/awsErrors.ts'
import { UNSIGNED_REQUEST, addRider, localAwsFakes, riderWithTokens, signedInRider, storedUser, type LocalAwsFakes } from '../../../tests/support/localAwsFakes.ts'
import { issueCode } from '../codes.ts'
import type { StoredUser } from '../users.ts'
import { createVerifyUserAttribute } from './verifyUserAttribute.ts'

/** A rider whose new email waits for the code just sent to it. */
async function riderChangingEmail(fakes: LocalAwsFakes, newEmail = 'grace@example.com') {
  const rider = await riderWithTokens(fakes, { email: 'ada@example.com' })
  const code = fakes.store.update((draft) => {
    const user = draft.users[rider.user.username]!
    user.pendingAttributes.email = newEmail
    return issueCode(user, 'verify:email', fakes.clock.now(), { attribute: 'email', value: newEmail })
  })
  return { ...rider, code }
}

function verify(fakes: LocalAwsFakes, accessToken: string, code: string, attribute = 'email') {
  return createVerifyUserAttribute(fakes)({ AccessToken: accessToken, AttributeName: attribute, Code: code }, UNSIGNED_REQUEST)
}

const wrongCode = (code: string) => (code === '000000' ? '111111' : '000000')
const emailOf = (fakes: LocalAwsFakes, user: StoredUser) => storedUser(fakes, user.username)?.attributes

describe('VerifyUserAttribute', () => {
  it('makes the waiting email the verified one the rider signs in with', async () => {
    const fakes = await localAwsFakes()
    const { user, AccessToken, code } = await riderChangingEmail(fakes)
    expect(await verify(fakes, AccessToken, code)).toEqual({})
    expect(emailOf(fakes, user)).toMatchObject({ email: 'grace@example.com', email_verified: 'true' })
    expect(fakes.store.findUser('grace@example.com')?.username).toBe(user.username)
  })

  it('refuses a wrong code with CodeMismatchException and the sixth guess with LimitExceededException', async () => {
    const fakes = await localAwsFakes()
    const { user, AccessToken, code } = await riderChangingEmail(fakes)
    expect(await refusal(verify(fakes, AccessToken, wrongCode(code)))).toMatchObject({ code: 'CodeMismatchException' })
    for (let guess = 0; guess < 4; guess++) await refusal(verify(fakes, AccessToken, wrongCode(code)))
    expect(await refusal(verify(fakes, AccessToken, code))).toMatchObject({ code: 'LimitExceededException' })
    expect(emailOf(fakes, user)?.email).toBe('ada@example.com')
  })

  it('refuses a code older than a day with ExpiredCodeException', async () => {
    const fakes = await localAwsFakes()
    const { user, code } = await riderChangingEmail(fakes)
    fakes.clock.advance(24 * 3_600_000)
    const { AccessToken } = await signedInRider(fakes, user)
    expect(await refusal(verify(fakes, AccessToken, code))).toEqual({
      code: 'ExpiredCodeException',
      status: 400,
      message: 'Invalid code provided, please request a code again.',
    })
  })

  it('refuses an email another rider took meanwhile with AliasExistsException', async () => {
    const fakes = await localAwsFakes()
    const { user, AccessToken, code } = await riderChangingEmail(fakes)
    addRider(fakes, { email: 'grace@example.com' })
    expect(await refusal(verify(fakes, AccessToken, code))).toEqual({
      code: 'AliasExistsException',
      status: 400,
      message: 'An account with the given email already exists.',
    })
    expect(emailOf(fakes, user)?.email).toBe('ada@example.com')
  })

  it('refuses an attribute that cannot be verified and a missing code with InvalidParameterException', async () => {
    const fakes = await localAwsFakes()
    const { AccessToken } = await riderWithTokens(fakes)
    expect(await refusal(verify(fakes, AccessToken, '123456', 'name'))).toEqual({
      code: 'InvalidParameterException',
      status: 400,
      message: 'Attribute name cannot be verified',
    })
    expect(await refusal(createVerifyUserAttribute(fakes)({ AccessToken, AttributeName: 'email' }, UNSIGNED_REQUEST))).toMatchObject({ code: 'InvalidParameterException' })
  })

  it('refuses an invalid access token with NotAuthorizedException', async () => {
    const fakes = await localAwsFakes()
    expect(await refusal(verify(fakes, 'abc', '123456'))).toMatchObject({ code: 'NotAuthorizedException', message: 'Invalid Access Token' })
  })
})
