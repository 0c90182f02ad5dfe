import { afterEach, describe, expect, it, vi } from 'vitest'
import { effectScope } from 'vue'
import { createPinia, setActivePinia } from 'pinia'
import { TEST_ENV } from '../../tests/support/fixtures'
import { loadSessionStore, useIsLikelySignedIn } from './sessionLoader'

vi.mock('@/lib/aws/config', () => ({ getAwsConfig: () => ({ userPoolClientId: TEST_ENV.VITE_USER_POOL_CLIENT_ID }) }))

/** The marker amazon-cognito-identity-js leaves for a signed-in rider. */
const LAST_AUTH_USER = `CognitoIdentityServiceProvider.${TEST_ENV.VITE_USER_POOL_CLIENT_ID}.LastAuthUser`

afterEach(() => localStorage.clear())

describe('useIsLikelySignedIn', () => {
  it('goes by the stored-session marker until the session store has loaded, then by the store', async () => {
    setActivePinia(createPinia())
    const scope = effectScope()
    const isLikelySignedIn = scope.run(useIsLikelySignedIn)
    expect(isLikelySignedIn?.value).toBe(false)
    localStorage.setItem(LAST_AUTH_USER, 'rider')
    // The marker is not reactive: a new read (a new page) sees it.
    expect(scope.run(useIsLikelySignedIn)?.value).toBe(true)

    const session = await loadSessionStore()
    expect(isLikelySignedIn?.value).toBe(true)
    // The restore found the stored session over (a refresh token revoked elsewhere): the store now says so.
    session.isRestored = true
    expect(isLikelySignedIn?.value).toBe(false)
    scope.stop()
  })

  it('goes by the stored-session marker until restored, then by the restored session', async () => {
    setActivePinia(createPinia())
    localStorage.setItem(LAST_AUTH_USER, 'rider')
    const scope = effectScope()
    const isLikelySignedIn = scope.run(useIsLikelySignedIn)
    const session = await loadSessionStore()
    expect(isLikelySignedIn?.value).toBe(true)

    // A marker without tokens (nor a refresh token): nobody is signed in, and no call is made.
    expect(await session.restore()).toBe(true)

    expect(isLikelySignedIn?.value).toBe(false)
    scope.stop()
  })
})
