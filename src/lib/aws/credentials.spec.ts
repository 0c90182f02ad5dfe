import type { CognitoIdentityCredentials, FromCognitoIdentityPoolParameters } from '@aws-sdk/credential-provider-cognito-identity'
import { fromCognitoIdentityPool } from '@aws-sdk/credential-provider-cognito-identity'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { riderClaims, storeSession } from '../../../tests/support/fixtures'
import { getRiderCredentials } from './credentials'
import { notifySignedOut } from './storedSession'
import { getCurrentSession, getFreshTokens } from './userPool'

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
vi.mock('./userPool', () => ({ getCurrentSession: vi.fn(), getFreshTokens: vi.fn() }))

const HOUR = 3_600_000
const NOW = Date.UTC(2026, 10, 26, 9, 0, 0)

/** Every fetch the SDK provider makes (GetId + GetCredentialsForIdentity), answered in order. */
let fetches: number
let expirations: number[]

function signInAs(sub: string): void {
  vi.mocked(getCurrentSession).mockResolvedValue({ sub } as Awaited<ReturnType<typeof getCurrentSession>>)
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
  notifySignedOut()
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
    vi.mocked(getFreshTokens)
      .mockResolvedValueOnce({ idToken: 'token-1', accessToken: 'access-1' })
      .mockResolvedValueOnce({ idToken: 'token-2', accessToken: 'access-2' })
    const provide = login as () => Promise<string>
    expect([await provide(), await provide()]).toEqual(['token-1', 'token-2'])
  })

  it('hands over the stored ID token while it has more than five minutes left, without loading the user-pool library', async () => {
    storeSession(localStorage, 'client', riderClaims({ sub: 'rider-s', exp: NOW / 1000 + 6 * 60 }))
    vi.mocked(getCurrentSession).mockClear()
    const rider = await getRiderCredentials()
    expect(rider.sub).toBe('rider-s')
    const login = lastProviderParameters().logins?.['cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Riders'] as () => Promise<string>
    const stored = localStorage.getItem(`CognitoIdentityServiceProvider.client.${riderClaims()['cognito:username']}.idToken`)
    expect(await login()).toBe(stored)
    expect(getCurrentSession).not.toHaveBeenCalled()
    expect(getFreshTokens).not.toHaveBeenCalled()

    // Within five minutes of its expiry the library refreshes it (the SDK would otherwise send a dying token).
    vi.advanceTimersByTime(61_000)
    vi.mocked(getFreshTokens).mockResolvedValueOnce({ idToken: 'refreshed-token', accessToken: 'refreshed-access' })
    expect(await login()).toBe('refreshed-token')
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
    notifySignedOut()
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
    vi.mocked(getCurrentSession).mockResolvedValue(null)
    await expect(getRiderCredentials()).rejects.toMatchObject({ name: 'NotSignedInError', code: 'NotSignedIn' })
  })
})
