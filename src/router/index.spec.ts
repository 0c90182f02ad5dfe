import { afterEach, describe, expect, it, vi } from 'vitest'
import { createTestingPinia } from '@pinia/testing'
import { flushPromises } from '@vue/test-utils'
import { createMemoryHistory } from 'vue-router'
import { useSessionStore } from '@/stores/session'
import { click, getByRole, renderApp, statusTexts } from '../../tests/support/renderApp'
import { riderClaims, TEST_ENV } from '../../tests/support/fixtures'
import { createAppRouter } from './index'

/** The marker amazon-cognito-identity-js leaves for a signed-in rider (see tokenStorage.ts). */
const LAST_AUTH_USER = `CognitoIdentityServiceProvider.${TEST_ENV.VITE_USER_POOL_CLIENT_ID}.LastAuthUser`

afterEach(() => {
  document.body.innerHTML = ''
  localStorage.clear()
})

describe('createAppRouter', () => {
  it('restores the stored session before the first route resolves', async () => {
    const pinia = createTestingPinia({ createSpy: vi.fn })
    const session = useSessionStore(pinia)
    vi.mocked(session.restore).mockImplementation(async () => {
      session.claims = riderClaims()
      return true
    })
    const router = createAppRouter(createMemoryHistory())

    await router.push('/profile')

    expect(session.restore).toHaveBeenCalled()
    expect(router.currentRoute.value.name).toBe('profile')
  })

  it('shows a public page without waiting for the stored session, and restores it once the page is painted', async () => {
    const pinia = createTestingPinia({ createSpy: vi.fn })
    const session = useSessionStore(pinia)
    vi.mocked(session.restore).mockReturnValue(new Promise<boolean>(() => {}))
    const router = createAppRouter(createMemoryHistory())

    await router.push('/')

    expect(router.currentRoute.value.name).toBe('home')
    expect(session.restore).not.toHaveBeenCalled()
    await vi.waitFor(() => expect(session.restore).toHaveBeenCalled())
  })

  it('shows a returning rider’s header from the stored session until the restore says otherwise', async () => {
    localStorage.setItem(LAST_AUTH_USER, riderClaims().sub)
    const { wrapper, session } = await renderApp('/')

    expect(getByRole(wrapper, 'link', 'Your profile').attributes('href')).toBe('/profile')
    expect(getByRole(wrapper, 'link', 'Go to your profile').attributes('href')).toBe('/profile')

    // The refresh token was revoked elsewhere: the restore finds no session.
    session.isRestored = true
    await flushPromises()
    expect(getByRole(wrapper, 'link', 'Create your account').attributes('href')).toBe('/sign-up')
    expect(wrapper.get('nav').findAll('a').map((link) => link.text())).toEqual(['Sign in', 'Sign up'])
  })

  it('sends a signed-out visitor of /profile to sign in, to come back after', async () => {
    const { router, wrapper } = await renderApp('/profile?tab=photo')

    expect(router.currentRoute.value.name).toBe('sign-in')
    expect(router.currentRoute.value.query).toEqual({ notice: 'sign-in-required', redirect: '/profile?tab=photo' })
    expect(statusTexts(wrapper)).toEqual(['Sign in to see your profile.'])
  })

  it.each(['/sign-in', '/sign-up', '/forgot-password', '/confirm'])('sends a signed-in rider from %s to their profile', async (path) => {
    const { router } = await renderApp(path, { initialState: { session: { claims: riderClaims() } } })

    expect(router.currentRoute.value.name).toBe('profile')
  })

  it('shows a not-found page for unknown paths', async () => {
    const { wrapper } = await renderApp('/unicorns/are/real')

    expect(wrapper.find('h1').text()).toBe('Page not found')
    expect(document.title).toBe('Page not found · Wild Rydes')
  })

  it('moves focus to the new page’s heading after a navigation, and names the page in the title', async () => {
    const { wrapper } = await renderApp('/')

    await click(getByRole(wrapper, 'link', 'Create your account'))

    const heading = wrapper.find('main h1')
    expect(heading.text()).toBe('Create your account')
    expect(document.activeElement).toBe(heading.element)
    expect(heading.attributes('tabindex')).toBe('-1')
    expect(document.title).toBe('Create your account · Wild Rydes')
  })
})
