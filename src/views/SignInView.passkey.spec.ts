import { afterEach, describe, expect, it, vi } from 'vitest'
import { alertTexts, click, fillIn, getByRole, renderApp } from '../../tests/support/renderApp'
import { riderClaims } from '../../tests/support/fixtures'

afterEach(() => {
  document.body.innerHTML = ''
})

describe('SignInView with passkeys', () => {
  it('asks for the email first, then signs in with a passkey and goes on to the profile', async () => {
    const { wrapper, router, session } = await renderApp('/sign-in')
    vi.mocked(session.signInWithPasskey).mockImplementation(async () => {
      session.claims = riderClaims()
      return true
    })

    await click(getByRole(wrapper, 'button', 'Sign in with a passkey'))
    expect(session.signInWithPasskey).not.toHaveBeenCalled()
    expect(wrapper.text()).toContain('Enter your email address, then use your passkey.')

    await fillIn(wrapper, { Email: ' ada@example.com ' })
    await click(getByRole(wrapper, 'button', 'Sign in with a passkey'))

    expect(session.signInWithPasskey).toHaveBeenCalledWith('ada@example.com')
    expect(router.currentRoute.value.path).toBe('/profile')
  })

  it('shows why the passkey did not sign the rider in, and stays', async () => {
    const { wrapper, router, session } = await renderApp('/sign-in')
    vi.mocked(session.signInWithPasskey).mockImplementation(async () => {
      session.actionState.signInWithPasskey.error = { code: 'PasskeyCancelled', message: "The passkey prompt was closed before it finished. Try again when you're ready." }
      return false
    })

    await fillIn(wrapper, { Email: 'ada@example.com' })
    await click(getByRole(wrapper, 'button', 'Sign in with a passkey'))

    expect(alertTexts(wrapper)).toEqual(["The passkey prompt was closed before it finished. Try again when you're ready."])
    expect(router.currentRoute.value.path).toBe('/sign-in')
  })
})
