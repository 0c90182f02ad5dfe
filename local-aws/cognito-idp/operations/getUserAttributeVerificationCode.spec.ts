import type { GetUserAttributeVerificationCodeCommandOutput } from '@aws-sdk/client-cognito-identity-provider'
import { describe, expect, it } from 'vitest'
import type { JsonOutput } from '../../context.ts'
import { refusal } from '../../../tests/support/awsErrors.ts'
import { UNSIGNED_REQUEST, lastMessageTo, localAwsFakes, riderWithTokens, storedUser, type LocalAwsFakes } from '../../../tests/support/localAwsFakes.ts'
import { createGetUserAttributeVerificationCode } from './getUserAttributeVerificationCode.ts'

function requestCode(fakes: LocalAwsFakes, accessToken: string, attribute: unknown = 'email') {
  return createGetUserAttributeVerificationCode(fakes)({ AccessToken: accessToken, AttributeName: attribute }, UNSIGNED_REQUEST)
}

describe('GetUserAttributeVerificationCode', () => {
  it('sends a code to the email waiting for verification rather than the current one', async () => {
    const fakes = await localAwsFakes()
    const { user, AccessToken } = await riderWithTokens(fakes, { email: 'ada@example.com' })
    fakes.store.update((draft) => void (draft.users[user.username]!.pendingAttributes.email = 'grace@example.com'))
    const answer: JsonOutput<GetUserAttributeVerificationCodeCommandOutput> = await requestCode(fakes, AccessToken)
    expect(answer).toEqual({ CodeDeliveryDetails: { Destination: 'g***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' } })
    expect(lastMessageTo(fakes, 'grace@example.com')?.code).toBe(storedUser(fakes, user.username)!.codes['verify:email']!.code)
    expect(lastMessageTo(fakes, 'ada@example.com')).toBeUndefined()
  })

  it('refuses a sixth code within the hour with LimitExceededException', async () => {
    const fakes = await localAwsFakes()
    const { AccessToken } = await riderWithTokens(fakes)
    for (let send = 0; send < 5; send++) await requestCode(fakes, AccessToken)
    expect(await refusal(requestCode(fakes, AccessToken))).toMatchObject({ code: 'LimitExceededException' })
  })

  it('refuses an attribute that cannot be verified, one the rider lacks, and a phone number without SMS configuration with InvalidParameterException', async () => {
    const fakes = await localAwsFakes()
    const { user, AccessToken } = await riderWithTokens(fakes)
    expect(await refusal(requestCode(fakes, AccessToken, 'name'))).toEqual({ code: 'InvalidParameterException', status: 400, message: 'Attribute name cannot be verified' })
    expect(await refusal(requestCode(fakes, AccessToken, 'phone_number'))).toMatchObject({
      code: 'InvalidParameterException',
      message: 'Invalid phone number provided/Unable to send the message. User pool does not have SMS configuration to send messages.',
    })
    fakes.store.update((draft) => void delete draft.users[user.username]!.attributes.phone_number)
    expect(await refusal(requestCode(fakes, AccessToken, 'phone_number'))).toMatchObject({ code: 'InvalidParameterException', message: 'User has no phone_number to verify' })
  })

  it('refuses an invalid access token with NotAuthorizedException and a name of the wrong type with SerializationException', async () => {
    const fakes = await localAwsFakes()
    expect(await refusal(requestCode(fakes, 'abc'))).toMatchObject({ code: 'NotAuthorizedException', message: 'Invalid Access Token' })
    expect(await refusal(requestCode(fakes, 'abc', ['email']))).toMatchObject({ code: 'SerializationException' })
  })
})
