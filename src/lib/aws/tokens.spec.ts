import { afterEach, describe, expect, it, vi } from 'vitest'
import { riderClaims, storeSession, TEST_ENV, unsignedJwt } from '../../../tests/support/fixtures'
import {
  clearTokens,
  currentClaims,
  hasStoredTokens,
  isLikelySignedIn,
  onSignedOut,
  readStoredSession,
  refreshSession,
  storedRiderSub,
  storeTokens,
} from './tokens'
import { sendUserPoolRequest } from './userPoolClient'

vi.mock('./config', () => ({ getAwsConfig: () => ({ userPoolClientId: TEST_ENV.VITE_USER_POOL_CLIENT_ID }) }))
vi.mock('./userPoolClient', () => ({ sendUserPoolRequest: vi.fn() }))

const PREFIX = `CognitoIdentityServiceProvider.${TEST_ENV.VITE_USER_POOL_CLIENT_ID}`

const NOW = Date.UTC(2026, 10, 26, 9, 0, 0)
const NOW_SECONDS = NOW / 1000

function store(claims = riderClaims({ exp: NOW_SECONDS + 3600 }), options?: Parameters<typeof storeSession>[3]): void {
  storeSession(localStorage, TEST_ENV.VITE_USER_POOL_CLIENT_ID, claims, options)
}

afterEach(() => {
  localStorage.clear()
  vi.mocked(sendUserPoolRequest).mockReset()
})

/** What Cognito answers a sign-in or a refresh with, for `claims`' rider; no refresh token unless given. */
function authenticationResult(claims = riderClaims({ exp: NOW_SECONDS + 3600, iat: NOW_SECONDS }), refreshToken?: string) {
  const username = claims['cognito:username']
  return {
    IdToken: unsignedJwt({ ...claims, token_use: 'id' }),
    AccessToken: unsignedJwt({ sub: claims.sub, username, exp: claims.exp, iat: claims.iat, token_use: 'access' }),
    ...(refreshToken ? { RefreshToken: refreshToken } : {}),
  }
}

describe('readStoredSession', () => {
  it('reads the stored tokens and claims while both tokens are valid, without the user-pool library', () => {
    store()
    expect(hasStoredTokens()).toBe(true)
    expect(readStoredSession(NOW)).toMatchObject({
      claims: riderClaims({ exp: NOW_SECONDS + 3600 }),
      secondsLeft: 3600,
      idToken: expect.stringMatching(/^ey/),
      accessToken: expect.stringMatching(/^ey/),
    })
  })

  it('decodes a name in any script', () => {
    store(riderClaims({ exp: NOW_SECONDS + 3600, name: 'José Ñandú 李' }))
    expect(readStoredSession(NOW)?.claims.name).toBe('José Ñandú 李')
  })

  it('finds no valid session in an expired ID token or access token', () => {
    store(riderClaims({ exp: NOW_SECONDS }))
    expect(readStoredSession(NOW)).toBeUndefined()
    store(riderClaims({ exp: NOW_SECONDS + 3600 }), { accessTokenExp: NOW_SECONDS - 1 })
    expect(readStoredSession(NOW)).toBeUndefined()
  })

  it('counts the time left by the token that expires first', () => {
    store(riderClaims({ exp: NOW_SECONDS + 3600 }), { accessTokenExp: NOW_SECONDS + 600 })
    expect(readStoredSession(NOW)?.secondsLeft).toBe(600)
  })

  it('judges expiry on Cognito’s clock, as the library does with the clock drift it stored at sign-in', () => {
    // This device's clock runs 10 minutes ahead of Cognito's: drift = local − server = +600 s.
    store(riderClaims({ exp: NOW_SECONDS - 60 }), { clockDrift: 600 })
    expect(readStoredSession(NOW)?.secondsLeft).toBe(540)
  })

  it('finds nothing without a stored rider, or in tokens that are not JWTs', () => {
    expect(hasStoredTokens()).toBe(false)
    expect(readStoredSession(NOW)).toBeUndefined()
    store()
    const prefix = `CognitoIdentityServiceProvider.${TEST_ENV.VITE_USER_POOL_CLIENT_ID}.${riderClaims()['cognito:username']}`
    localStorage.setItem(`${prefix}.idToken`, 'not-a-token')
    expect(readStoredSession(NOW)).toBeUndefined()
    expect(storedRiderSub()).toBeUndefined()
    localStorage.setItem(`${prefix}.idToken`, 'a.!!!.b')
    expect(readStoredSession(NOW)).toBeUndefined()
  })
})

describe('currentClaims', () => {
  it('answers from valid stored tokens, and refreshes them (InitiateAuth REFRESH_TOKEN_AUTH) only when they are not', async () => {
    vi.useFakeTimers({ now: NOW, toFake: ['Date'] })
    try {
      store()
      expect(await currentClaims()).toEqual(riderClaims({ exp: NOW_SECONDS + 3600 }))
      expect(sendUserPoolRequest).not.toHaveBeenCalled()

      store(riderClaims({ exp: NOW_SECONDS - 1 }))
      vi.mocked(sendUserPoolRequest).mockResolvedValueOnce({ AuthenticationResult: authenticationResult(riderClaims({ exp: NOW_SECONDS + 3599 })) })
      expect(await currentClaims()).toEqual(riderClaims({ exp: NOW_SECONDS + 3599 }))
      expect(sendUserPoolRequest).toHaveBeenCalledWith('InitiateAuth', {
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        ClientId: TEST_ENV.VITE_USER_POOL_CLIENT_ID,
        AuthParameters: { REFRESH_TOKEN: 'refresh-token' },
      })
      // The refresh answer has no refresh token: the stored one stays.
      expect(localStorage.getItem(`${PREFIX}.${riderClaims()['cognito:username']}.refreshToken`)).toBe('refresh-token')
    } finally {
      vi.useRealTimers()
    }
  })

  it('forgets tokens whose refresh token the user pool refused, and finds nobody signed in', async () => {
    store(riderClaims({ exp: NOW_SECONDS - 1 }))
    const listener = vi.fn()
    const remove = onSignedOut(listener)
    vi.mocked(sendUserPoolRequest).mockRejectedValueOnce(Object.assign(new Error('Refresh Token has been revoked'), { name: 'NotAuthorizedException', code: 'NotAuthorizedException' }))

    expect(await currentClaims()).toBeNull()

    expect(hasStoredTokens()).toBe(false)
    expect(listener).toHaveBeenCalledOnce()
    remove()
    await expect(refreshSession()).rejects.toMatchObject({ name: 'NotSignedInError', code: 'NotSignedIn' })
  })

  it('lets any other refresh failure propagate, keeping the tokens', async () => {
    store(riderClaims({ exp: NOW_SECONDS - 1 }))
    vi.mocked(sendUserPoolRequest).mockRejectedValueOnce(Object.assign(new Error('Network error'), { name: 'NetworkError', code: 'NetworkError' }))

    await expect(currentClaims()).rejects.toMatchObject({ code: 'NetworkError' })
    expect(hasStoredTokens()).toBe(true)
  })
})

describe('storeTokens', () => {
  it('stores a sign-in’s tokens where and as amazon-cognito-identity-js stores them', () => {
    vi.useFakeTimers({ now: NOW + 30_000, toFake: ['Date'] })
    try {
      const claims = riderClaims({ exp: NOW_SECONDS + 3600, iat: NOW_SECONDS })
      const result = authenticationResult(claims, 'new-refresh-token')

      expect(storeTokens(result)).toEqual(claims)

      const user = claims['cognito:username']
      expect(localStorage.getItem(`${PREFIX}.LastAuthUser`)).toBe(user)
      expect(localStorage.getItem(`${PREFIX}.${user}.idToken`)).toBe(result.IdToken)
      expect(localStorage.getItem(`${PREFIX}.${user}.accessToken`)).toBe(result.AccessToken)
      expect(localStorage.getItem(`${PREFIX}.${user}.refreshToken`)).toBe('new-refresh-token')
      // CognitoUserSession.calculateClockDrift: now − the earliest `iat`, in seconds.
      expect(localStorage.getItem(`${PREFIX}.${user}.clockDrift`)).toBe('30')
      expect(readStoredSession(NOW + 30_000)?.claims).toEqual(claims)
    } finally {
      vi.useRealTimers()
    }
  })

  it('refuses an answer without tokens, storing nothing', () => {
    expect(() => storeTokens({})).toThrow('The user pool answered without an ID token and an access token')
    expect(hasStoredTokens()).toBe(false)
  })
})

describe('clearTokens', () => {
  it('removes every key the library stores for the rider, and only those', () => {
    store()
    localStorage.setItem('wildrydes:phone-display:someone', '"+1"')
    clearTokens()
    expect(Object.keys(localStorage)).toEqual(['wildrydes:phone-display:someone'])
  })
})

describe('isLikelySignedIn', () => {
  it('goes by the stored tokens until the session is restored, then by the restored session', () => {
    expect(isLikelySignedIn()).toBe(false)
    store()
    expect(isLikelySignedIn()).toBe(true)
    expect(isLikelySignedIn({ isSignedIn: false, isRestored: false })).toBe(true)
    expect(isLikelySignedIn({ isSignedIn: false, isRestored: true })).toBe(false)
    expect(isLikelySignedIn({ isSignedIn: true, isRestored: true })).toBe(true)
  })
})

describe('storedRiderSub', () => {
  it('names the stored rider even when the tokens have expired: a hint, not a session', () => {
    store(riderClaims({ exp: NOW_SECONDS - 3600 }))
    expect(readStoredSession(NOW)).toBeUndefined()
    expect(storedRiderSub()).toBe(riderClaims().sub)
  })
})

describe('onSignedOut', () => {
  it('tells every listener until it is removed', () => {
    const listener = vi.fn()
    const remove = onSignedOut(listener)
    clearTokens()
    remove()
    clearTokens()
    expect(listener).toHaveBeenCalledOnce()
  })
})
