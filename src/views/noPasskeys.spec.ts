import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { renderApp } from '../../tests/support/renderApp'
import { riderClaims } from '../../tests/support/fixtures'

// A stack deployed without passkeys: the app reads its configuration once per module graph, so this file has its own.
vi.stubEnv('VITE_PASSKEYS', 'false')

afterEach(() => {
  document.body.innerHTML = ''
})

describe('a stack without passkeys', () => {
  it('offers no passkey sign-in', async () => {
    const { wrapper } = await renderApp('/sign-in')

    expect(wrapper.find('h1').text()).toBe('Sign in')
    expect(wrapper.findAll('button').map((button) => button.text())).not.toContain('Sign in with a passkey')
  })

  it('shows no passkeys on the profile', async () => {
    const { wrapper } = await renderApp('/profile', { initialState: { session: { claims: riderClaims() } }, stubs: { ProfilePhotoSection: true } })
    await flushPromises()

    expect(wrapper.find('h1').text()).toBe('Your profile')
    expect(wrapper.findAll('h2').map((heading) => heading.text())).not.toContain('Passkeys')
  })
})
