import type { GetUserCommandOutput } from '@aws-sdk/client-cognito-identity-provider'
import { describe, expect, it } from 'vitest'
import type { JsonOutput } from '../../context.ts'
import { refusal } from '../../../tests/support/awsErrors.ts'
import { UNSIGNED_REQUEST, addAuthenticator, localAwsFakes, riderWithTokens, type LocalAwsFakes } from '../../../tests/support/localAwsFakes.ts'
import { deleteStoredUser } from '../users.ts'
import { revokeSessionsOf } from '../tokens.ts'
import { createGetUser } from './getUser.ts'

function getUser(fakes: LocalAwsFakes, accessToken: unknown) {
  return createGetUser(fakes)({ AccessToken: accessToken }, UNSIGNED_REQUEST)
}

describe('GetUser', () => {
  it('answers the username, the attributes the app client may read (sub first) and the factor turned on', async () => {
    const fakes = await localAwsFakes()
    const { user, AccessToken } = await riderWithTokens(fakes, { email: 'ada@example.com', attributes: { picture: 'me.webp' } })
    const answer: JsonOutput<GetUserCommandOutput> = await getUser(fakes, AccessToken)
    expect(answer.Username).toBe(user.username)
    expect(answer.UserAttributes?.[0]).toEqual({ Name: 'sub', Value: user.sub })
    expect(Object.fromEntries(answer.UserAttributes!.map(({ Name, Value }) => [Name, Value]))).toEqual({
      sub: user.sub,
      email: 'ada@example.com',
      email_verified: 'true',
      phone_number: '+15555550100',
      phone_number_verified: 'false',
      name: 'Ada',
      picture: 'me.webp',
    })
    expect(answer).not.toHaveProperty('UserMFASettingList')
    addAuthenticator(fakes, user)
    expect(await getUser(fakes, AccessToken)).toMatchObject({ UserMFASettingList: ['SOFTWARE_TOKEN_MFA'], PreferredMfaSetting: 'SOFTWARE_TOKEN_MFA' })
  })

  it('refuses a token that is not one of the pool\'s access tokens with NotAuthorizedException', async () => {
    const fakes = await localAwsFakes()
    const { IdToken } = await riderWithTokens(fakes)
    expect(await refusal(getUser(fakes, IdToken))).toEqual({ code: 'NotAuthorizedException', status: 400, message: 'Invalid Access Token' })
    expect(await refusal(getUser(fakes, 'not.a.token'))).toMatchObject({ code: 'NotAuthorizedException', message: 'Invalid Access Token' })
  })

  it('refuses an expired access token and one whose session was signed out with NotAuthorizedException', async () => {
    const fakes = await localAwsFakes()
    const { user, AccessToken } = await riderWithTokens(fakes)
    fakes.store.update((draft) => revokeSessionsOf(draft, user.username))
    expect(await refusal(getUser(fakes, AccessToken))).toMatchObject({ code: 'NotAuthorizedException', message: 'Access Token has been revoked' })
    fakes.clock.advance(fakes.client.accessTokenValiditySeconds * 1000 + 1000)
    expect(await refusal(getUser(fakes, AccessToken))).toMatchObject({ code: 'NotAuthorizedException', message: 'Access Token has expired' })
  })

  it('refuses a deleted rider\'s token with NotAuthorizedException, and a missing token with InvalidParameterException', async () => {
    const fakes = await localAwsFakes()
    const { user, AccessToken } = await riderWithTokens(fakes)
    fakes.store.update((draft) => deleteStoredUser(draft, user.username))
    expect(await refusal(getUser(fakes, AccessToken))).toMatchObject({ code: 'NotAuthorizedException', message: 'Access Token has been revoked' })
    expect(await refusal(getUser(fakes, undefined))).toMatchObject({
      code: 'InvalidParameterException',
      message: "1 validation error detected: Value null at 'accessToken' failed to satisfy constraint: Member must not be null",
    })
  })

  it('refuses a token of the wrong JSON type with SerializationException', async () => {
    const fakes = await localAwsFakes()
    expect(await refusal(getUser(fakes, 42))).toEqual({ code: 'SerializationException', status: 400, message: 'NUMBER_VALUE can not be converted to a String' })
  })
})
