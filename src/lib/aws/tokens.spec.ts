import { afterEach, describe, expect, it, vi } from 'vitest'
import { riderClaims, storeSession, TEST_ENV } from '../../../tests/support/fixtures'
import { hasStoredSession } from './libraryStorage'
import { currentClaims, notifySignedOut, onSignedOut, readStoredSession, storedRiderSub } from './storedSession'
import { getCurrentSession } from './userPool'

vi.mock('./config', () => ({ getAwsConfig: () => ({ userPoolClientId: TEST_ENV.VITE_USER_POOL_CLIENT_ID }) }))
vi.mock('./userPool', () => ({ getCurrentSession: vi.fn() }))

const NOW = Date.UTC(2026, 10, 26, 9, 0, 0)
const NOW_SECONDS = NOW / 1000

function store(claims = riderClaims({ exp: NOW_SECONDS + 3600 }), options?: Parameters<typeof storeSession>[3]): void {
  storeSession(localStorage, TEST_ENV.VITE_USER_POOL_CLIENT_ID, claims, options)
}

afterEach(() => localStorage.clear())

describe('readStoredSession', () => {
  it('reads the stored tokens and claims while both tokens are valid, without the user-pool library', () => {
    store()
    expect(hasStoredSession()).toBe(true)
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

  it('leaves an expired ID token or access token to the library, which refreshes them', () => {
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
    expect(hasStoredSession()).toBe(false)
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
  it('answers from valid stored tokens, and asks the library (which refreshes them) only when they are not', async () => {
    vi.useFakeTimers({ now: NOW, toFake: ['Date'] })
    try {
      store()
      expect(await currentClaims()).toEqual(riderClaims({ exp: NOW_SECONDS + 3600 }))
      expect(getCurrentSession).not.toHaveBeenCalled()

      store(riderClaims({ exp: NOW_SECONDS - 1 }))
      vi.mocked(getCurrentSession).mockResolvedValueOnce(riderClaims({ exp: NOW_SECONDS + 3599 }))
      expect(await currentClaims()).toEqual(riderClaims({ exp: NOW_SECONDS + 3599 }))
    } finally {
      vi.useRealTimers()
    }
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
    notifySignedOut()
    remove()
    notifySignedOut()
    expect(listener).toHaveBeenCalledOnce()
  })
})
