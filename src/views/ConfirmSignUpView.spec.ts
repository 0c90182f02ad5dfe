import { afterEach, describe, expect, it, vi } from 'vitest'
import { alertTexts, click, fillIn, getByLabel, getByRole, renderApp, statusTexts } from '../../tests/support/renderApp'
import { flushPromises } from '@vue/test-utils'
import { riderClaims } from '../../tests/support/fixtures'

afterEach(() => {
  document.body.innerHTML = ''
})

describe('ConfirmSignUpView', () => {
  it('asks for the code sent to the new account’s email', async () => {
    const { wrapper } = await renderApp('/confirm?email=ada%40example.com')

    expect(wrapper.find('h1').text()).toBe('Confirm your email')
    expect(wrapper.text()).toContain('We emailed a 6-digit code to ada@example.com.')
    expect(getByLabel(wrapper, 'Email').element.value).toBe('ada@example.com')
    expect(getByLabel(wrapper, 'Verification code').attributes('autocomplete')).toBe('one-time-code')
  })

  it('confirms and sends the rider to sign in, keeping where they were going', async () => {
    const { wrapper, router, session } = await renderApp('/confirm?email=ada%40example.com&redirect=/profile')
    vi.mocked(session.confirmSignUp).mockResolvedValue(true)

    await fillIn(wrapper, { 'Verification code': '123456' })
    await click(getByRole(wrapper, 'button', 'Confirm account'))

    expect(session.confirmSignUp).toHaveBeenCalledWith('ada@example.com', '123456')
    expect(router.currentRoute.value.name).toBe('sign-in')
    expect(router.currentRoute.value.query).toEqual({ email: 'ada@example.com', notice: 'confirmed', redirect: '/profile' })
    expect(statusTexts(wrapper)).toEqual(['Your account is confirmed. Sign in to start riding.'])
  })

  it('goes straight on, signed in, when this tab held the password from sign-up', async () => {
    const { wrapper, router, session } = await renderApp('/confirm?email=ada%40example.com&redirect=/profile')
    vi.mocked(session.confirmSignUp).mockImplementation(async () => {
      session.claims = riderClaims()
      return true
    })

    await fillIn(wrapper, { 'Verification code': '123456' })
    await click(getByRole(wrapper, 'button', 'Confirm account'))

    expect(router.currentRoute.value.fullPath).toBe('/profile')
  })

  it('forgets the held password when the rider leaves the confirmation', async () => {
    const { wrapper, router, session } = await renderApp('/confirm?email=ada%40example.com')

    await router.push('/')
    await flushPromises()

    expect(session.dropHeldPassword).toHaveBeenCalled()
    expect(wrapper.find('h1').text()).toBe('Unicorn rides, on demand.')
  })

  it('shows why a code was refused', async () => {
    const { wrapper, router, session } = await renderApp('/confirm?email=ada%40example.com')
    vi.mocked(session.confirmSignUp).mockImplementation(async () => {
      session.actionState.confirmSignUp.error = { code: 'CodeMismatchException', message: "That code isn't right. Check the latest code we sent and try again." }
      return false
    })

    await fillIn(wrapper, { 'Verification code': '000000' })
    await click(getByRole(wrapper, 'button', 'Confirm account'))

    expect(alertTexts(wrapper)).toEqual(["That code isn't right. Check the latest code we sent and try again."])
    expect(router.currentRoute.value.name).toBe('confirm-sign-up')
  })

  it('sends a new code and says where it went', async () => {
    const { wrapper, session } = await renderApp('/confirm?email=ada%40example.com&notice=unconfirmed')
    vi.mocked(session.resendSignUpCode).mockImplementation(async () => {
      session.lastCodeDelivery = { attributeName: 'email', medium: 'EMAIL', destination: 'a***@e***' }
      return true
    })
    expect(wrapper.text()).toContain("Your account isn't confirmed yet.")

    await click(getByRole(wrapper, 'button', 'Send a new code'))

    expect(session.resendSignUpCode).toHaveBeenCalledWith('ada@example.com')
    expect(statusTexts(wrapper)).toEqual(['We sent a new code to a***@e***.'])
  })

  it('asks for the email when it arrived without one', async () => {
    const { wrapper, session } = await renderApp('/confirm')

    await fillIn(wrapper, { 'Verification code': '123456' })
    await click(getByRole(wrapper, 'button', 'Confirm account'))

    expect(session.confirmSignUp).not.toHaveBeenCalled()
    expect(wrapper.text()).toContain('Enter the email address you signed up with.')
  })
})
