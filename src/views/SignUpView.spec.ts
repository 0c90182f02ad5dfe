import { afterEach, describe, expect, it, vi } from 'vitest'
import { alertTexts, click, fillIn, getByLabel, getByRole, renderApp } from '../../tests/support/renderApp'

afterEach(() => {
  document.body.innerHTML = ''
})

const rider = { Name: ' Ada Lovelace ', Email: 'ada@example.com', 'Mobile phone number': '+1 (415) 555-0123', Password: 'Unicorn1rides' }

describe('SignUpView', () => {
  it('renders labelled fields with a phone hint and the pool’s password rules', async () => {
    const { wrapper } = await renderApp('/sign-up')

    expect(wrapper.find('h1').text()).toBe('Create your account')
    expect(getByLabel(wrapper, 'Mobile phone number').attributes('type')).toBe('tel')
    expect(wrapper.text()).toContain("Choose your country and type the number as you'd dial it there, or start with + and the country code.")
    // jsdom's browser language is en-US.
    expect((getByLabel(wrapper, 'Country').element as unknown as HTMLSelectElement).value).toBe('US')
    expect(wrapper.findAll('[aria-label="Password requirements"] li').map((item) => item.text())).toEqual([
      '• At least 8 characters (not yet)',
      '• A lowercase letter (not yet)',
      '• An uppercase letter (not yet)',
      '• A number (not yet)',
    ])
  })

  it('ticks the password rules as the rider types', async () => {
    const { wrapper } = await renderApp('/sign-up')

    await fillIn(wrapper, { Password: 'unicorn' })

    const items = wrapper.findAll('[aria-label="Password requirements"] li').map((item) => item.text())
    expect(items).toEqual(['• At least 8 characters (not yet)', '✓ A lowercase letter (done)', '• An uppercase letter (not yet)', '• A number (not yet)'])
  })

  it('creates the account with an E.164 phone number and goes to the confirm page', async () => {
    const { wrapper, router, session } = await renderApp('/sign-up')
    vi.mocked(session.signUp).mockResolvedValue(true)

    await fillIn(wrapper, rider)
    await click(getByRole(wrapper, 'button', 'Create account'))

    expect(session.signUp).toHaveBeenCalledWith({ email: 'ada@example.com', password: 'Unicorn1rides', phoneNumber: '+14155550123', name: 'Ada Lovelace' })
    expect(router.currentRoute.value.name).toBe('confirm-sign-up')
    expect(router.currentRoute.value.query).toEqual({ email: 'ada@example.com' })
  })

  it('takes a national number in the chosen country', async () => {
    const { wrapper, session } = await renderApp('/sign-up')
    vi.mocked(session.signUp).mockResolvedValue(true)

    await fillIn(wrapper, { ...rider, 'Mobile phone number': '(415) 555-0123' })
    await click(getByRole(wrapper, 'button', 'Create account'))

    expect(session.signUp).toHaveBeenCalledWith(expect.objectContaining({ phoneNumber: '+14155550123' }))
  })

  it('points at a phone number too short for the country, and a weak password, before asking Cognito', async () => {
    const { wrapper, session } = await renderApp('/sign-up')

    await fillIn(wrapper, { ...rider, 'Mobile phone number': '555 0123', Password: 'unicorn' })
    await click(getByRole(wrapper, 'button', 'Create account'))

    expect(session.signUp).not.toHaveBeenCalled()
    expect(wrapper.text()).toContain('That number is too short for United States (+1).')
    expect(wrapper.text()).toContain('Choose a password that meets every rule below.')
    expect(document.activeElement).toBe(getByLabel(wrapper, 'Mobile phone number').element)
  })

  it('shows Cognito’s refusal, with a way to sign in when the email is taken', async () => {
    const { wrapper, session } = await renderApp('/sign-up')
    vi.mocked(session.signUp).mockImplementation(async () => {
      session.actionState.signUp.error = {
        code: 'UsernameExistsException',
        message: 'An account with this email already exists. Sign in, or reset your password if you forgot it.',
      }
      return false
    })

    await fillIn(wrapper, rider)
    await click(getByRole(wrapper, 'button', 'Create account'))

    expect(alertTexts(wrapper)).toEqual(['An account with this email already exists. Sign in, or reset your password if you forgot it. Sign in instead'])
    expect(getByRole(wrapper, 'link', 'Sign in instead').attributes('href')).toBe('/sign-in?email=ada@example.com')
  })

  it('drops "already exists" once the rider changes the email', async () => {
    const { wrapper, session } = await renderApp('/sign-up')
    vi.mocked(session.signUp).mockImplementation(async () => {
      session.actionState.signUp.error = { code: 'UsernameExistsException', message: 'An account with this email already exists.' }
      return false
    })
    await fillIn(wrapper, rider)
    await click(getByRole(wrapper, 'button', 'Create account'))
    expect(alertTexts(wrapper)).toHaveLength(1)

    await fillIn(wrapper, { Email: 'ada.lovelace@example.com' })

    expect(alertTexts(wrapper)).toEqual([])
  })

  it('keeps where the rider was headed on its "Sign in" link', async () => {
    const { wrapper, router } = await renderApp('/sign-up?redirect=/profile%3Ftab%3Dphoto')
    const signInLink = wrapper.find('.page-links a')

    expect(signInLink.text()).toBe('Sign in')
    expect(signInLink.attributes('href')).toBe('/sign-in?redirect=/profile?tab=photo')
    await click(signInLink)
    expect(router.currentRoute.value.name).toBe('sign-in')
    expect(router.currentRoute.value.query).toEqual({ redirect: '/profile?tab=photo' })
  })

  it('drops an off-site redirect from its "Sign in" link', async () => {
    const { wrapper } = await renderApp('/sign-up?redirect=https://evil.example')

    expect(wrapper.find('.page-links a').attributes('href')).toBe('/sign-in')
  })
})
