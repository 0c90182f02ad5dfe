import { describe, expect, it } from 'vitest'
import { refusal } from '../../../tests/support/awsErrors.ts'
import { UNSIGNED_REQUEST, localAwsFakes, riderWithTokens, storedUser, type LocalAwsFakes } from '../../../tests/support/localAwsFakes.ts'
import { createDeleteUserAttributes } from './deleteUserAttributes.ts'

function deleteAttributes(fakes: LocalAwsFakes, accessToken: string, names: unknown) {
  return createDeleteUserAttributes(fakes)({ AccessToken: accessToken, UserAttributeNames: names }, UNSIGNED_REQUEST)
}

describe('DeleteUserAttributes', () => {
  it('deletes an optional attribute', async () => {
    const fakes = await localAwsFakes()
    const { user, AccessToken } = await riderWithTokens(fakes, { attributes: { picture: 'me.webp' } })
    expect(await deleteAttributes(fakes, AccessToken, ['picture'])).toEqual({})
    expect(storedUser(fakes, user.username)?.attributes).not.toHaveProperty('picture')
  })

  it('refuses a required attribute with InvalidParameterException, deleting nothing', async () => {
    const fakes = await localAwsFakes()
    const { user, AccessToken } = await riderWithTokens(fakes, { attributes: { picture: 'me.webp' } })
    expect(await refusal(deleteAttributes(fakes, AccessToken, ['picture', 'name']))).toEqual({
      code: 'InvalidParameterException',
      status: 400,
      message: 'Attributes did not conform to the schema: name: The attribute is required',
    })
    expect(storedUser(fakes, user.username)?.attributes).toMatchObject({ picture: 'me.webp', name: 'Ada' })
  })

  it('refuses an attribute the client may not write and an invalid access token with NotAuthorizedException', async () => {
    const fakes = await localAwsFakes()
    const { AccessToken } = await riderWithTokens(fakes)
    expect(await refusal(deleteAttributes(fakes, AccessToken, ['email_verified']))).toMatchObject({
      code: 'NotAuthorizedException',
      message: 'A client attempted to write unauthorized attribute',
    })
    expect(await refusal(deleteAttributes(fakes, 'abc', ['picture']))).toMatchObject({ code: 'NotAuthorizedException', message: 'Invalid Access Token' })
  })

  it('refuses a missing list with InvalidParameterException and a list of numbers with SerializationException', async () => {
    const fakes = await localAwsFakes()
    const { AccessToken } = await riderWithTokens(fakes)
    expect(await refusal(deleteAttributes(fakes, AccessToken, undefined))).toMatchObject({ code: 'InvalidParameterException' })
    expect(await refusal(deleteAttributes(fakes, AccessToken, [1]))).toEqual({ code: 'SerializationException', status: 400, message: 'NUMBER_VALUE can not be converted to a String' })
  })
})
