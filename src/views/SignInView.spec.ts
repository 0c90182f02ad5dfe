import { afterEach, describe, expect, it, vi } from 'vitest'
import { alertTexts, click, fillIn, getByLabel, getByRole, renderApp, statusTexts } from '../../tests/support/renderApp'
import { riderClaims } from '../../tests/support/fixtures'

afterEach(() => {
  document.body.innerHTML = ''
})

describe('SignInView', () => {
  it('renders a labelled sign-in form', async () => {
    const { wrapper } = await renderApp('/sign-in')

    expect(wrapper.find('h1').text()).toBe('Sign in')
    expect(getByLabel(wrapper, 'Email').attributes('autocomplete')).toBe('username')
    expect(getByLabel(wrapper, 'Password').attributes('type')).toBe('password')
    expect(document.title).toBe('Sign in · Wild Rydes')
  })

  it('signs in and lands on the page first asked for', async () => {
    const { wrapper, router, session } = await renderApp('/sign-in?redirect=/profile%3Ftab%3Dphoto')
    vi.mocked(session.signIn).mockImplementation(async () => {
      session.claims = riderClaims()
      return true
    })

    await fillIn(wrapper, { Email: ' ada@example.com ', Password: 'Unicorn1rides' })
    await click(getByRole(wrapper, 'button', 'Sign in'))

    expect(session.signIn).toHaveBeenCalledWith('ada@example.com', 'Unicorn1rides')
    expect(router.currentRoute.value.fullPath).toBe('/profile?tab=photo')
  })

  it('goes to the profile when the redirect points off-site', async () => {
    const { wrapper, router, session } = await renderApp('/sign-in?redirect=https://evil.example')
    vi.mocked(session.signIn).mockImplementation(async () => {
      session.claims = riderClaims()
      return true
    })

    await fillIn(wrapper, { Email: 'ada@example.com', Password: 'Unicorn1rides' })
    await click(getByRole(wrapper, 'button', 'Sign in'))

    expect(router.currentRoute.value.fullPath).toBe('/profile')
  })

  it('shows why a sign-in was refused', async () => {
    const { wrapper, router, session } = await renderApp('/sign-in')
    vi.mocked(session.signIn).mockImplementation(async () => {
      session.actionState.signIn.error = { code: 'NotAuthorizedException', message: "That email and password don't match. Check them and try again." }
      return false
    })

    await fillIn(wrapper, { Email: 'ada@example.com', Password: 'wrong' })
    await click(getByRole(wrapper, 'button', 'Sign in'))

    expect(alertTexts(wrapper)).toEqual(["That email and password don't match. Check them and try again."])
    expect(router.currentRoute.value.name).toBe('sign-in')
  })

  it('checks the fields before asking Cognito', async () => {
    const { wrapper, session } = await renderApp('/sign-in')

    await fillIn(wrapper, { Email: 'not-an-email' })
    await click(getByRole(wrapper, 'button', 'Sign in'))

    expect(session.signIn).not.toHaveBeenCalled()
    expect(wrapper.text()).toContain('Enter your email address.')
    expect(getByLabel(wrapper, 'Email').attributes('aria-invalid')).toBe('true')
    expect(document.activeElement).toBe(getByLabel(wrapper, 'Email').element)
  })

  it('takes an unconfirmed rider to the confirm page, keeping where they were going', async () => {
    const { wrapper, router, session } = await renderApp('/sign-in?redirect=/profile')
    vi.mocked(session.signIn).mockImplementation(async () => {
      session.actionState.signIn.error = { code: 'UserNotConfirmedException', message: 'Please confirm your email address first: enter the code we sent you.' }
      return false
    })

    await fillIn(wrapper, { Email: 'ada@example.com', Password: 'Unicorn1rides' })
    await click(getByRole(wrapper, 'button', 'Sign in'))

    expect(router.currentRoute.value.name).toBe('confirm-sign-up')
    expect(router.currentRoute.value.query).toEqual({ email: 'ada@example.com', notice: 'unconfirmed', redirect: '/profile' })
    expect(wrapper.text()).toContain("Your account isn't confirmed yet.")
  })

  it('asks a rider created by an administrator for their own password, then signs them in', async () => {
    const { wrapper, router, session } = await renderApp('/sign-in')
    vi.mocked(session.signIn).mockImplementation(async () => {
      session.newPasswordStep = { email: 'ada@example.com', requiredAttributes: ['name'] }
      return true
    })
    vi.mocked(session.completeNewPassword).mockImplementation(async () => {
      session.newPasswordStep = null
      session.claims = riderClaims()
      return true
    })

    await fillIn(wrapper, { Email: 'ada@example.com', Password: 'Temp0rary!' })
    await click(getByRole(wrapper, 'button', 'Sign in'))
    expect(wrapper.find('h1').text()).toBe('Choose your password')
    expect(document.activeElement).toBe(getByLabel(wrapper, 'New password').element)

    await fillIn(wrapper, { 'New password': 'Unicorn1rides', Name: 'Ada Lovelace' })
    await click(getByRole(wrapper, 'button', 'Save password and continue'))

    expect(session.completeNewPassword).toHaveBeenCalledWith('Unicorn1rides', { name: 'Ada Lovelace' })
    expect(router.currentRoute.value.name).toBe('profile')
  })

  it('says the account is confirmed when the confirm page sent the rider here', async () => {
    const { wrapper } = await renderApp('/sign-in?email=ada%40example.com&notice=confirmed')

    expect(statusTexts(wrapper)).toEqual(['Your account is confirmed. Sign in to start riding.'])
    expect(getByLabel(wrapper, 'Email').element.value).toBe('ada@example.com')
  })

  it('shows "Signing in…" while Cognito answers', async () => {
    const { wrapper, session } = await renderApp('/sign-in')
    let answer: (succeeded: boolean) => void = () => {}
    vi.mocked(session.signIn).mockImplementation(() => {
      session.actionState.signIn.isPending = true
      return new Promise((resolve) => (answer = resolve))
    })

    await fillIn(wrapper, { Email: 'ada@example.com', Password: 'Unicorn1rides' })
    await click(getByRole(wrapper, 'button', 'Sign in'))

    const button = getByRole(wrapper, 'button', 'Signing in…')
    expect(button.attributes('aria-busy')).toBe('true')
    answer(false)
  })
})
