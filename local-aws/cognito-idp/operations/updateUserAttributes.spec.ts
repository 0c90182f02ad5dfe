import type { UpdateUserAttributesCommandOutput } from '@aws-sdk/client-cognito-identity-provider'
import { describe, expect, it } from 'vitest'
import type { JsonOutput } from '../../context.ts'
import { refusal } from '../../../tests/support/awsErrors.ts'
import { UNSIGNED_REQUEST, addRider, lastMessageTo, localAwsFakes, riderWithTokens, storedUser, type LocalAwsFakes } from '../../../tests/support/localAwsFakes.ts'
import { createUpdateUserAttributes } from './updateUserAttributes.ts'

function update(fakes: LocalAwsFakes, accessToken: string, attributes: unknown) {
  return createUpdateUserAttributes(fakes)({ AccessToken: accessToken, UserAttributes: attributes }, UNSIGNED_REQUEST)
}

describe('UpdateUserAttributes', () => {
  it('updates plain attributes at once, without a code', async () => {
    const fakes = await localAwsFakes()
    const { user, AccessToken } = await riderWithTokens(fakes)
    const answer: JsonOutput<UpdateUserAttributesCommandOutput> = await update(fakes, AccessToken, [{ Name: 'name', Value: 'Grace' }, { Name: 'picture', Value: 'p.webp' }])
    expect(answer).toEqual({})
    expect(storedUser(fakes, user.username)?.attributes).toMatchObject({ name: 'Grace', picture: 'p.webp' })
    expect(fakes.outbox.messages).toEqual([])
  })

  it('keeps a new email aside, the old one still verified, and sends its code to the new address', async () => {
    const fakes = await localAwsFakes()
    const { user, AccessToken } = await riderWithTokens(fakes, { email: 'ada@example.com' })
    expect(await update(fakes, AccessToken, [{ Name: 'email', Value: 'grace@example.com' }])).toEqual({
      CodeDeliveryDetailsList: [{ Destination: 'g***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' }],
    })
    const stored = storedUser(fakes, user.username)!
    expect(stored.attributes).toMatchObject({ email: 'ada@example.com', email_verified: 'true' })
    expect(stored.pendingAttributes).toEqual({ email: 'grace@example.com' })
    expect(lastMessageTo(fakes, 'grace@example.com')).toMatchObject({ kind: 'verify-attribute', code: stored.codes['verify:email']!.code })
  })

  it('refuses an email another rider signs in with with AliasExistsException', async () => {
    const fakes = await localAwsFakes()
    addRider(fakes, { email: 'grace@example.com' })
    const { user, AccessToken } = await riderWithTokens(fakes, { email: 'ada@example.com' })
    expect(await refusal(update(fakes, AccessToken, [{ Name: 'email', Value: 'Grace@example.com' }]))).toEqual({
      code: 'AliasExistsException',
      status: 400,
      message: 'An account with the given email already exists.',
    })
    expect(storedUser(fakes, user.username)?.pendingAttributes).toEqual({})
  })

  it('refuses a malformed value, an unknown attribute and a missing list with InvalidParameterException', async () => {
    const fakes = await localAwsFakes()
    const { AccessToken } = await riderWithTokens(fakes)
    expect(await refusal(update(fakes, AccessToken, [{ Name: 'email', Value: 'not-an-email' }]))).toEqual({
      code: 'InvalidParameterException',
      status: 400,
      message: 'Invalid email address format.',
    })
    expect(await refusal(update(fakes, AccessToken, [{ Name: 'shoe_size', Value: '42' }]))).toMatchObject({
      code: 'InvalidParameterException',
      message: 'Attributes did not conform to the schema: Type for attribute {shoe_size} could not be determined',
    })
    expect(await refusal(update(fakes, AccessToken, undefined))).toMatchObject({ code: 'InvalidParameterException' })
  })

  it('refuses a phone number to verify in a pool without SMS configuration with InvalidParameterException', async () => {
    const fakes = await localAwsFakes({ pool: { autoVerifiedAttributes: ['email', 'phone_number'] } })
    const { AccessToken } = await riderWithTokens(fakes)
    expect(await refusal(update(fakes, AccessToken, [{ Name: 'phone_number', Value: '+15555550199' }]))).toMatchObject({
      code: 'InvalidParameterException',
      message: 'Invalid phone number provided/Unable to send the message. User pool does not have SMS configuration to send messages.',
    })
  })

  it('refuses an attribute the client may not write and an invalid access token with NotAuthorizedException', async () => {
    const fakes = await localAwsFakes()
    const { AccessToken } = await riderWithTokens(fakes)
    expect(await refusal(update(fakes, AccessToken, [{ Name: 'sub', Value: 'mine' }]))).toMatchObject({
      code: 'NotAuthorizedException',
      message: 'A client attempted to write unauthorized attribute',
    })
    expect(await refusal(update(fakes, 'abc', [{ Name: 'name', Value: 'Grace' }]))).toMatchObject({ code: 'NotAuthorizedException', message: 'Invalid Access Token' })
  })

  it('refuses a list of the wrong JSON type with SerializationException', async () => {
    const fakes = await localAwsFakes()
    const { AccessToken } = await riderWithTokens(fakes)
    expect(await refusal(update(fakes, AccessToken, { name: 'Grace' }))).toEqual({
      code: 'SerializationException',
      status: 400,
      message: 'Start of structure or map found where not expected.',
    })
  })
})
