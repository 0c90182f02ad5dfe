import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { riderClaims, storeSession, unsignedJwt } from '../../../tests/support/fixtures'
import { NotSignedInError } from './errors'
import { getUser } from './getUser'

vi.mock('./config', () => ({
  getAwsConfig: () => ({ userPoolId: 'eu-west-1_Riders', userPoolClientId: 'client', endpoint: 'http://127.0.0.1:4566' }),
}))

const NOW = Date.UTC(2026, 10, 26, 9, 0, 0)

/** GetUser as Cognito answers it for a rider with a photo and two-step sign-in on. */
const GET_USER_ANSWER = {
  Username: 'rider',
  UserAttributes: [
    { Name: 'sub', Value: 'rider-sub' },
    { Name: 'email', Value: 'ada@example.com' },
    { Name: 'email_verified', Value: 'true' },
    { Name: 'phone_number', Value: '+14155550123' },
    { Name: 'phone_number_verified', Value: 'false' },
    { Name: 'picture', Value: 'protected/eu-west-1:abc/profile/1.webp' },
  ],
  UserMFASettingList: ['SOFTWARE_TOKEN_MFA'],
  PreferredMfaSetting: 'SOFTWARE_TOKEN_MFA',
}

const fetchMock = vi.fn<typeof fetch>()

function answer(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/x-amz-json-1.1' } })
}

beforeEach(() => {
  vi.useFakeTimers({ now: NOW })
  vi.stubGlobal('fetch', fetchMock)
  fetchMock.mockReset()
})

afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
  localStorage.clear()
})

describe('getUser', () => {
  it('sends GetUser with the stored access token, as the user-pool library would, and reads attributes and two-step sign-in', async () => {
    storeSession(localStorage, 'client', riderClaims({ exp: NOW / 1000 + 3600 }))
    fetchMock.mockResolvedValue(answer(200, GET_USER_ANSWER))

    expect(await getUser()).toEqual({
      attributes: {
        sub: 'rider-sub',
        email: 'ada@example.com',
        email_verified: true,
        phone_number: '+14155550123',
        phone_number_verified: false,
        picture: 'protected/eu-west-1:abc/profile/1.webp',
      },
      twoStepSignIn: { isOn: true },
    })
    const [url, init] = fetchMock.mock.lastCall ?? []
    expect(url).toBe('http://127.0.0.1:4566')
    expect(init?.headers).toMatchObject({ 'X-Amz-Target': 'AWSCognitoIdentityProviderService.GetUser', 'Content-Type': 'application/x-amz-json-1.1' })
    const storedAccessToken = localStorage.getItem(`CognitoIdentityServiceProvider.client.${riderClaims()['cognito:username']}.accessToken`)
    expect(JSON.parse(String(init?.body))).toEqual({ AccessToken: storedAccessToken })
    // No refresh first: the stored tokens have an hour left.
    expect(fetchMock).toHaveBeenCalledOnce()
  })

  it('refreshes tokens with under five minutes left first (InitiateAuth REFRESH_TOKEN_AUTH), then sends the new access token', async () => {
    storeSession(localStorage, 'client', riderClaims({ exp: NOW / 1000 + 4 * 60 }))
    const exp = NOW / 1000 + 3600
    const refreshedAccess = unsignedJwt({ sub: 'rider-sub', username: riderClaims()['cognito:username'], exp })
    fetchMock
      .mockResolvedValueOnce(answer(200, { AuthenticationResult: { IdToken: unsignedJwt({ ...riderClaims({ exp }), token_use: 'id' }), AccessToken: refreshedAccess } }))
      .mockResolvedValueOnce(answer(200, { UserAttributes: [{ Name: 'sub', Value: 'rider-sub' }] }))

    expect((await getUser()).twoStepSignIn).toEqual({ isOn: false })
    const [refresh, getUserCall] = fetchMock.mock.calls.map(([, init]) => JSON.parse(String(init?.body)) as unknown)
    expect(refresh).toEqual({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: 'client', AuthParameters: { REFRESH_TOKEN: 'refresh-token' } })
    expect(getUserCall).toEqual({ AccessToken: refreshedAccess })
  })

  it('shares one request among callers while it is under way, and asks again afterwards', async () => {
    storeSession(localStorage, 'client', riderClaims({ exp: NOW / 1000 + 3600 }))
    fetchMock.mockImplementation(async () => answer(200, GET_USER_ANSWER))

    const [first, second] = await Promise.all([getUser(), getUser()])
    expect(second).toBe(first)
    expect(fetchMock).toHaveBeenCalledTimes(1)
    await getUser()
    expect(fetchMock).toHaveBeenCalledTimes(2)
  })

  it('asks anew after a write, rather than share an answer that may predate it', async () => {
    storeSession(localStorage, 'client', riderClaims({ exp: NOW / 1000 + 3600 }))
    fetchMock.mockImplementation(async () => answer(200, GET_USER_ANSWER))

    await Promise.all([getUser(), getUser({ isAfterWrite: true })])
    expect(fetchMock).toHaveBeenCalledTimes(2)
  })

  it('says NetworkError when the request cannot be sent, and NotSignedIn without a signed-in rider', async () => {
    storeSession(localStorage, 'client', riderClaims({ exp: NOW / 1000 + 3600 }))
    fetchMock.mockRejectedValue(new TypeError('Failed to fetch'))
    await expect(getUser()).rejects.toMatchObject({ code: 'NetworkError' })

    localStorage.clear()
    await expect(getUser()).rejects.toBeInstanceOf(NotSignedInError)
    await expect(getUser()).rejects.toMatchObject({ code: 'NotSignedIn' })
    expect(fetchMock).toHaveBeenCalledTimes(1)
  })

  it('rejects with the user pool’s error name and code, e.g. for a revoked access token', async () => {
    storeSession(localStorage, 'client', riderClaims({ exp: NOW / 1000 + 3600 }))
    fetchMock.mockResolvedValue(answer(400, { __type: 'NotAuthorizedException', message: 'Access Token has been revoked' }))

    await expect(getUser()).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      code: 'NotAuthorizedException',
      message: 'Access Token has been revoked',
    })
    // A failure is not shared with the next caller.
    fetchMock.mockResolvedValue(answer(200, GET_USER_ANSWER))
    expect((await getUser()).attributes.sub).toBe('rider-sub')
  })
})
