import { afterEach, describe, expect, it, vi } from 'vitest'
import { createTestingPinia } from '@pinia/testing'
import { createMemoryHistory } from 'vue-router'
import { useSessionStore } from '@/stores/session'
import { click, getByRole, renderApp } from '@/test-utils/renderApp'
import { riderClaims } from '@/test-utils/fixtures'
import { createAppRouter } from './index'

afterEach(() => {
  document.body.innerHTML = ''
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

  it('sends a signed-out visitor of /profile to sign in, to come back after', async () => {
    const { router } = await renderApp('/profile?tab=photo')

    expect(router.currentRoute.value.name).toBe('sign-in')
    expect(router.currentRoute.value.query).toEqual({ redirect: '/profile?tab=photo' })
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
