import { afterEach, describe, expect, it } from 'vitest'
import { click, getByRole, renderApp, statusTexts } from '../../tests/support/renderApp'
import { riderClaims } from '../../tests/support/fixtures'

afterEach(() => {
  document.body.innerHTML = ''
})

describe('HomeView', () => {
  it('invites a visitor to sign up or sign in', async () => {
    const { wrapper, router } = await renderApp('/')

    expect(wrapper.find('h1').text()).toBe('Unicorn rides, on demand.')
    expect(document.title).toBe('Wild Rydes: Unicorn rides on demand')

    await click(getByRole(wrapper, 'link', 'Create your account'))
    expect(router.currentRoute.value.name).toBe('sign-up')
  })

  it('sends a signed-in rider to their profile', async () => {
    const { wrapper } = await renderApp('/', { initialState: { session: { claims: riderClaims() } } })

    expect(getByRole(wrapper, 'link', 'Go to your profile').attributes('href')).toBe('/profile')
    expect(getByRole(wrapper, 'link', 'Your profile').attributes('href')).toBe('/profile')
  })

  it('confirms a deleted account', async () => {
    const { wrapper } = await renderApp('/?notice=account-deleted')

    expect(statusTexts(wrapper)).toEqual(['Your account has been deleted. Thank you for riding with Wild Rydes.'])
  })
})
