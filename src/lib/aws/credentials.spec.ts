import type { CognitoIdentityCredentials, FromCognitoIdentityPoolParameters } from '@aws-sdk/credential-provider-cognito-identity'
import { fromCognitoIdentityPool } from '@aws-sdk/credential-provider-cognito-identity'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { riderClaims, storeSession, unsignedJwt } from '../../../tests/support/fixtures'
import { getRiderCredentials } from './credentials'
import { clearTokens } from './tokens'
import { sendUserPoolRequest } from './userPoolClient'

vi.mock('@aws-sdk/credential-provider-cognito-identity', () => ({ fromCognitoIdentityPool: vi.fn() }))
vi.mock('./config', () => ({
  getAwsConfig: () => ({
    region: 'eu-west-1',
    userPoolId: 'eu-west-1_Riders',
    userPoolClientId: 'client',
    identityPoolId: 'eu-west-1:pool',
    photoBucket: 'photos',
    endpoint: 'http://127.0.0.1:4566',
  }),
}))
vi.mock('./userPoolClient', () => ({ sendUserPoolRequest: vi.fn() }))

const HOUR = 3_600_000
const NOW = Date.UTC(2026, 10, 26, 9, 0, 0)

/** Every fetch the SDK provider makes (GetId + GetCredentialsForIdentity), answered in order. */
let fetches: number
let expirations: number[]

/** Stores rider `sub`'s tokens on this device, valid for `seconds`, as sign-in leaves them. */
function signInAs(sub: string, seconds = 3600): void {
  storeSession(localStorage, 'client', riderClaims({ sub, 'cognito:username': sub, exp: Math.floor(Date.now() / 1000) + seconds }))
}

function storedIdToken(username: string): string | null {
  return localStorage.getItem(`CognitoIdentityServiceProvider.client.${username}.idToken`)
}

function lastProviderParameters(): FromCognitoIdentityPoolParameters {
  const call = vi.mocked(fromCognitoIdentityPool).mock.lastCall
  if (!call) throw new Error('fromCognitoIdentityPool was not called')
  return call[0]
}

beforeEach(() => {
  vi.useFakeTimers({ now: NOW })
  fetches = 0
  expirations = []
  vi.mocked(fromCognitoIdentityPool).mockImplementation(({ userIdentifier }) => async () => {
    fetches += 1
    const expiration = expirations.shift() ?? Date.now() + HOUR
    return {
      identityId: `eu-west-1:identity-of-${userIdentifier}`,
      accessKeyId: `ASIA${fetches}`,
      secretAccessKey: 'secret',
      expiration: new Date(expiration),
    } satisfies CognitoIdentityCredentials
  })
  signInAs('rider-a')
})

afterEach(() => {
  clearTokens()
  localStorage.clear()
  vi.clearAllMocks()
  vi.useRealTimers()
})

describe('getRiderCredentials', () => {
  it('asks the identity pool with a fresh ID token on every fetch, keyed by the rider', async () => {
    await getRiderCredentials()
    const parameters = lastProviderParameters()
    expect(parameters).toMatchObject({
      identityPoolId: 'eu-west-1:pool',
      userIdentifier: 'rider-a',
      clientConfig: { region: 'eu-west-1', endpoint: 'http://127.0.0.1:4566' },
    })
    expect(parameters.client).toBeUndefined()
    const login = parameters.logins?.['cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Riders']
    expect(typeof login).toBe('function')
    const provide = login as () => Promise<string>
    const first = storedIdToken('rider-a')
    expect(await provide()).toBe(first)
    signInAs('rider-a', 3000)
    const second = storedIdToken('rider-a')
    expect(await provide()).toBe(second)
    expect(second).not.toBe(first)
  })

  it('hands over the stored ID token while it has more than five minutes left, without loading the user-pool library', async () => {
    signInAs('rider-s', 6 * 60)
    const rider = await getRiderCredentials()
    expect(rider.sub).toBe('rider-s')
    const login = lastProviderParameters().logins?.['cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Riders'] as () => Promise<string>
    expect(await login()).toBe(storedIdToken('rider-s'))
    expect(sendUserPoolRequest).not.toHaveBeenCalled()

    // Within five minutes of its expiry it is refreshed (the SDK would otherwise send a dying token).
    vi.advanceTimersByTime(61_000)
    const exp = Math.floor(Date.now() / 1000) + 3600
    const refreshed = unsignedJwt({ ...riderClaims({ sub: 'rider-s', exp }), token_use: 'id' })
    vi.mocked(sendUserPoolRequest).mockResolvedValueOnce({
      AuthenticationResult: { IdToken: refreshed, AccessToken: unsignedJwt({ sub: 'rider-s', username: 'rider-s', exp }) },
    })
    expect(await login()).toBe(refreshed)
    expect(sendUserPoolRequest).toHaveBeenCalledWith('InitiateAuth', {
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      ClientId: 'client',
      AuthParameters: { REFRESH_TOKEN: 'refresh-token' },
    })
  })

  it('gives the identity id from the credentials, sharing one fetch with every caller', async () => {
    const rider = await getRiderCredentials()
    const [identityId, credentials] = await Promise.all([rider.identityId(), rider.provider(), rider.provider()])
    expect(identityId).toBe('eu-west-1:identity-of-rider-a')
    expect(credentials.accessKeyId).toBe('ASIA1')
    expect(await getRiderCredentials()).toBe(rider)
    expect(fetches).toBe(1)
  })

  it('fetches again when the credentials held expire within five minutes', async () => {
    expirations = [NOW + 10 * 60_000]
    const rider = await getRiderCredentials()
    expect((await rider.provider()).accessKeyId).toBe('ASIA1')
    vi.advanceTimersByTime(4 * 60_000)
    expect((await rider.provider()).accessKeyId).toBe('ASIA1')
    vi.advanceTimersByTime(2 * 60_000)
    const [first, second] = await Promise.all([rider.provider(), rider.provider()])
    expect([first.accessKeyId, second.accessKeyId]).toEqual(['ASIA2', 'ASIA2'])
    expect(fetches).toBe(2)
  })

  it('does not keep a failed fetch', async () => {
    vi.mocked(fromCognitoIdentityPool).mockImplementationOnce(() => {
      let calls = 0
      return async () => {
        calls += 1
        if (calls === 1) throw Object.assign(new Error('Invalid login token. Token expired'), { name: 'NotAuthorizedException' })
        return { identityId: 'eu-west-1:identity-of-rider-a', accessKeyId: 'ASIA-retry', secretAccessKey: 'secret' }
      }
    })
    const rider = await getRiderCredentials()
    await expect(rider.provider()).rejects.toThrow('Invalid login token')
    expect((await rider.provider()).accessKeyId).toBe('ASIA-retry')
  })

  it('drops the rider on sign-out, so the next rider gets their own provider and identity', async () => {
    const first = await getRiderCredentials()
    clearTokens()
    signInAs('rider-b')
    const second = await getRiderCredentials()
    expect(second).not.toBe(first)
    expect(lastProviderParameters().userIdentifier).toBe('rider-b')
    expect(await second.identityId()).toBe('eu-west-1:identity-of-rider-b')
  })

  it('never serves one rider with another rider’s provider, even without a sign-out event', async () => {
    const first = await getRiderCredentials()
    signInAs('rider-b')
    const second = await getRiderCredentials()
    expect(second).not.toBe(first)
    expect(second.sub).toBe('rider-b')
  })

  it('refuses when nobody is signed in', async () => {
    clearTokens()
    await expect(getRiderCredentials()).rejects.toMatchObject({ name: 'NotSignedInError', code: 'NotSignedIn' })
  })
})
