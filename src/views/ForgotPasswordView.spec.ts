import { afterEach, describe, expect, it, vi } from 'vitest'
import { alertTexts, click, fillIn, getByRole, renderApp, statusTexts } from '../../tests/support/renderApp'

afterEach(() => {
  document.body.innerHTML = ''
})

describe('ForgotPasswordView', () => {
  it('requests a code, then sets the new password and goes to sign in', async () => {
    const { wrapper, router, session } = await renderApp('/forgot-password?email=ada%40example.com')
    vi.mocked(session.forgotPassword).mockImplementation(async () => {
      session.lastCodeDelivery = { attributeName: 'email', medium: 'EMAIL', destination: 'a***@e***' }
      return true
    })
    vi.mocked(session.confirmForgotPassword).mockResolvedValue(true)
    expect(wrapper.find('h1').text()).toBe('Reset your password')

    await click(getByRole(wrapper, 'button', 'Send code'))
    expect(session.forgotPassword).toHaveBeenCalledWith('ada@example.com')
    expect(statusTexts(wrapper)).toEqual(["If that address has an account, we've sent a code to a***@e***."])

    await fillIn(wrapper, { 'Verification code': '123456', 'New password': 'Unicorn2rides' })
    await click(getByRole(wrapper, 'button', 'Set new password'))

    expect(session.confirmForgotPassword).toHaveBeenCalledWith('ada@example.com', '123456', 'Unicorn2rides')
    expect(router.currentRoute.value.name).toBe('sign-in')
    expect(statusTexts(wrapper)).toEqual(['Your password has been changed. Sign in with the new one.'])
  })

  it('shows why the reset was refused', async () => {
    const { wrapper, router, session } = await renderApp('/forgot-password?email=ada%40example.com')
    vi.mocked(session.forgotPassword).mockResolvedValue(true)
    vi.mocked(session.confirmForgotPassword).mockImplementation(async () => {
      session.actionState.confirmForgotPassword.error = { code: 'ExpiredCodeException', message: 'That code has expired or was already used. Ask for a new one.' }
      return false
    })

    await click(getByRole(wrapper, 'button', 'Send code'))
    await fillIn(wrapper, { 'Verification code': '123456', 'New password': 'Unicorn2rides' })
    await click(getByRole(wrapper, 'button', 'Set new password'))

    expect(alertTexts(wrapper)).toEqual(['That code has expired or was already used. Ask for a new one.'])
    expect(router.currentRoute.value.name).toBe('forgot-password')
  })

  it('shows why no code could be sent', async () => {
    const { wrapper, session } = await renderApp('/forgot-password')
    vi.mocked(session.forgotPassword).mockImplementation(async () => {
      session.actionState.forgotPassword.error = { code: 'LimitExceededException', message: 'Too many attempts. Please wait a few minutes, then try again.' }
      return false
    })

    await fillIn(wrapper, { Email: 'ada@example.com' })
    await click(getByRole(wrapper, 'button', 'Send code'))

    expect(alertTexts(wrapper)).toEqual(['Too many attempts. Please wait a few minutes, then try again.'])
  })
})
