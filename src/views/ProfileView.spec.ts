import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { defineComponent, ref } from 'vue'
import { reportPhotoProgress } from '@/composables/photoFirst'
import { alertTexts, click, fillIn, getByLabel, getByRole, renderApp, statusTexts } from '../../tests/support/renderApp'
import { riderClaims } from '../../tests/support/fixtures'
import ProfileDetailsSection from '@/components/ProfileDetailsSection.vue'

/** Whether the stubbed photo section has requested the photo, and settled it (shown, failed or none). */
const isPhotoRequested = ref(true)
const isPhotoSettled = ref(false)
const ProfilePhotoSection = defineComponent({
  name: 'ProfilePhotoSection',
  setup() {
    reportPhotoProgress({ isRequested: isPhotoRequested, isSettled: isPhotoSettled })
    return () => null
  },
})

afterEach(() => {
  document.body.innerHTML = ''
  isPhotoRequested.value = true
  isPhotoSettled.value = false
})

/** The profile page of a signed-in rider; the photo and passkey sections (their own features and tests) are stubbed. */
function renderProfile(profile = {}) {
  return renderApp('/profile', {
    initialState: { session: { claims: riderClaims() }, profile },
    stubs: { ProfilePhotoSection, PasskeysSection: true },
  })
}

/** "Your details" alone: the delete dialog asks for "Your password" too. */
function detailsOf(wrapper: VueWrapper) {
  return wrapper.findComponent(ProfileDetailsSection)
}

/** The profile after a change of password that Cognito refused: the current password was wrong. */
async function renderProfileAfterWrongCurrentPassword() {
  const rendered = await renderProfile()
  const { wrapper, session } = rendered
  vi.mocked(session.changePassword).mockImplementationOnce(async () => {
    session.actionState.changePassword.error = { code: 'NotAuthorizedException', message: "Your current password isn't right." }
    return false
  })
  await fillIn(wrapper, { 'Current password': 'wrong', 'New password': 'Unicorn2rides' })
  await click(getByRole(wrapper, 'button', 'Change password'))
  expect(alertTexts(wrapper)).toEqual(["Your current password isn't right."])
  return rendered
}

describe('ProfileView', () => {
  it('shows the attributes from the claims with verified badges, then asks GetUser (details, two-step sign-in) once the photo is settled', async () => {
    const { wrapper, profile } = await renderProfile()

    expect(wrapper.find('h1').text()).toBe('Your profile')
    expect(document.title).toBe('Your profile · Wild Rydes')
    const rows = wrapper.findAll('.attribute').map((row) => `${row.find('dt').text()}: ${row.find('dd').text().replace(/\s+/g, ' ')}`)
    expect(rows).toEqual(['Name: Ada Lovelace', 'Email: ada@example.com✓ Verified', 'Phone: +1 415 555 0123! Not verified Verify phone'])
    const photoSection = wrapper.findComponent({ name: 'ProfilePhotoSection' })
    expect(photoSection.exists()).toBe(true)
    expect(profile.load).not.toHaveBeenCalled()
    expect(profile.loadTwoStepSignIn).not.toHaveBeenCalled()

    isPhotoSettled.value = true
    await flushPromises()

    expect(profile.load).toHaveBeenCalledOnce()
    expect(profile.loadTwoStepSignIn).toHaveBeenCalledOnce()
  })

  it('renders the sections below the details once the photo is requested', async () => {
    isPhotoRequested.value = false
    const { wrapper } = await renderProfile()
    // The sections' headings, and the confirmation dialogs' the account section brings.
    const headings = () => wrapper.findAll('h2').map((heading) => heading.text())
    expect(headings()).toEqual(['Your details'])

    isPhotoRequested.value = true
    await vi.waitFor(() => expect(headings()).toEqual(['Your details', 'Password', 'Two-step sign-in', 'Account', 'Sign out on every device?', 'Delete your account?']))
  })

  it('saves a new name', async () => {
    const { wrapper, profile } = await renderProfile()
    vi.mocked(profile.updateAttributes).mockResolvedValue(true)

    await click(getByRole(wrapper, 'button', 'Edit details'))
    expect(document.activeElement).toBe(getByLabel(wrapper, 'Name').element)
    await fillIn(wrapper, { Name: 'Ada King' })
    await click(getByRole(wrapper, 'button', 'Save changes'))

    expect(profile.updateAttributes).toHaveBeenCalledWith({ name: 'Ada King' }, undefined)
    expect(statusTexts(wrapper)).toContain('Your details are saved.')
  })

  it('asks for the code before a new email replaces the old one', async () => {
    const { wrapper, profile } = await renderProfile()
    vi.mocked(profile.updateAttributes).mockImplementation(async () => {
      profile.pendingVerifications = [{ attributeName: 'email', destination: 'n***@e***', newValue: 'new@example.com', sentAt: Date.now() }]
      return true
    })
    vi.mocked(profile.verifyAttribute).mockImplementation(async () => {
      profile.pendingVerifications = []
      return true
    })

    await click(getByRole(wrapper, 'button', 'Edit details'))
    await fillIn(wrapper, { Email: 'new@example.com' })
    await fillIn(detailsOf(wrapper), { 'Your password': 'Unicorn1rides' })
    await click(getByRole(wrapper, 'button', 'Save changes'))

    expect(profile.updateAttributes).toHaveBeenCalledWith({ email: 'new@example.com' }, { password: 'Unicorn1rides' })
    expect(wrapper.text()).toContain(
      'Enter the code to confirm new@example.com. We sent the code there. Until then, your email address stays ada@example.com.',
    )
    expect(document.activeElement).toBe(getByLabel(wrapper, 'Code for your email address').element)

    await fillIn(wrapper, { 'Code for your email address': '246810' })
    await click(getByRole(wrapper, 'button', 'Confirm email address'))

    expect(profile.verifyAttribute).toHaveBeenCalledWith('email', '246810')
    expect(statusTexts(wrapper)).toContain('Your email address is confirmed.')
    expect(document.activeElement).toBe(getByRole(wrapper, 'button', 'Edit details').element)
  })

  it('asks the password (and the authenticator code when two-step sign-in is on) for a new email, not for a new name', async () => {
    const { wrapper, profile } = await renderProfile({ twoStepSignIn: { isOn: true } })
    vi.mocked(profile.updateAttributes).mockResolvedValue(true)

    await click(getByRole(wrapper, 'button', 'Edit details'))
    await fillIn(wrapper, { Name: 'Ada King' })
    expect(detailsOf(wrapper).find('input[autocomplete="current-password"]').exists()).toBe(false)
    await fillIn(wrapper, { Email: 'new@example.com' })
    expect(wrapper.text()).toContain("To make sure it's you, enter your password and the code your authenticator app shows.")

    await click(getByRole(wrapper, 'button', 'Save changes'))
    expect(wrapper.text()).toContain('Enter your password.')
    expect(document.activeElement).toBe(getByLabel(detailsOf(wrapper), 'Your password').element)
    await fillIn(detailsOf(wrapper), { 'Your password': 'Unicorn1rides' })
    await click(getByRole(wrapper, 'button', 'Save changes'))
    expect(wrapper.text()).toContain('Enter the 6-digit code your authenticator app shows.')
    expect(profile.updateAttributes).not.toHaveBeenCalled()

    await fillIn(detailsOf(wrapper), { 'Authenticator code': '123 456' })
    await click(getByRole(wrapper, 'button', 'Save changes'))
    expect(profile.updateAttributes).toHaveBeenCalledWith({ name: 'Ada King', email: 'new@example.com' }, { password: 'Unicorn1rides', code: '123456' })
  })

  it('asks for the texted code once Cognito texted one (SMS two-step sign-in), and sends it with the password', async () => {
    const { wrapper, profile } = await renderProfile()
    vi.mocked(profile.updateAttributes)
      .mockImplementationOnce(async () => {
        profile.actionState.updateAttributes.error = { code: 'CodeTexted', message: 'We texted a code to +*******1234. Enter it to continue.' }
        return false
      })
      .mockResolvedValueOnce(true)

    await click(getByRole(wrapper, 'button', 'Edit details'))
    await fillIn(detailsOf(wrapper), { Email: 'new@example.com', 'Your password': 'Unicorn1rides' })
    await click(getByRole(wrapper, 'button', 'Save changes'))

    expect(profile.updateAttributes).toHaveBeenLastCalledWith({ email: 'new@example.com' }, { password: 'Unicorn1rides' })
    expect(alertTexts(wrapper)).toEqual(['We texted a code to +*******1234. Enter it to continue.'])
    expect(wrapper.text()).toContain("To make sure it's you, enter your password and the code we texted you.")
    expect(document.activeElement).toBe(getByLabel(detailsOf(wrapper), 'Texted code').element)

    await click(getByRole(wrapper, 'button', 'Save changes'))
    expect(wrapper.text()).toContain('Enter the 6-digit code we texted you.')
    await fillIn(detailsOf(wrapper), { 'Texted code': '246810' })
    await click(getByRole(wrapper, 'button', 'Save changes'))

    expect(profile.updateAttributes).toHaveBeenLastCalledWith({ email: 'new@example.com' }, { password: 'Unicorn1rides', code: '246810' })
    expect(profile.updateAttributes).toHaveBeenCalledTimes(2)
  })

  it('keeps the form and the typed email when the identity check refuses the new email', async () => {
    const { wrapper, profile } = await renderProfile()
    vi.mocked(profile.updateAttributes).mockImplementation(async () => {
      profile.actionState.updateAttributes.error = { code: 'NotAuthorizedException', message: "That password isn't right." }
      return false
    })

    await click(getByRole(wrapper, 'button', 'Edit details'))
    await fillIn(detailsOf(wrapper), { Email: 'new@example.com', 'Your password': 'Wrong1rides' })
    await click(getByRole(wrapper, 'button', 'Save changes'))

    expect(alertTexts(wrapper)).toEqual(["That password isn't right."])
    expect((getByLabel(wrapper, 'Email').element as HTMLInputElement).value).toBe('new@example.com')
    expect(getByRole(wrapper, 'button', 'Save changes').exists()).toBe(true)
  })

  it('closes the code form when the rider cancels the new email', async () => {
    const { wrapper, profile } = await renderProfile({
      pendingVerifications: [{ attributeName: 'email', destination: 'n***@e***', newValue: 'new@example.com', sentAt: Date.now() }],
    })
    vi.mocked(profile.cancelVerification).mockImplementation(() => {
      profile.pendingVerifications = []
    })

    await click(getByRole(wrapper, 'button', 'Cancel the change'))

    expect(profile.cancelVerification).toHaveBeenCalledWith('email')
    expect(wrapper.find('form[aria-label="Confirm your email address"]').exists()).toBe(false)
    expect(document.activeElement).toBe(getByRole(wrapper, 'button', 'Edit details').element)
  })

  it('shows why a change was refused', async () => {
    const { wrapper, profile } = await renderProfile()
    vi.mocked(profile.updateAttributes).mockImplementation(async () => {
      profile.actionState.updateAttributes.error = { code: 'AliasExistsException', message: 'Another account already uses this email address or phone number.' }
      return false
    })

    await click(getByRole(wrapper, 'button', 'Edit details'))
    await fillIn(detailsOf(wrapper), { Email: 'taken@example.com', 'Your password': 'Unicorn1rides' })
    await click(getByRole(wrapper, 'button', 'Save changes'))

    expect(alertTexts(wrapper)).toEqual(['Another account already uses this email address or phone number.'])
  })

  it('sends a code to verify the phone number', async () => {
    const { wrapper, profile } = await renderProfile()
    vi.mocked(profile.resendAttributeCode).mockResolvedValue(true)

    await click(getByRole(wrapper, 'button', 'Verify phone'))

    expect(profile.resendAttributeCode).toHaveBeenCalledWith('phone_number')
  })

  it('changes the password, and says so when the current one is wrong', async () => {
    const { wrapper, session } = await renderProfileAfterWrongCurrentPassword()

    vi.mocked(session.changePassword).mockImplementationOnce(async () => {
      session.actionState.changePassword.error = null
      return true
    })
    await fillIn(wrapper, { 'Current password': 'Unicorn1rides' })
    await click(getByRole(wrapper, 'button', 'Change password'))

    expect(session.changePassword).toHaveBeenLastCalledWith('Unicorn1rides', 'Unicorn2rides')
    expect(statusTexts(wrapper)).toContain('Your password has been changed.')
    expect(alertTexts(wrapper)).toEqual([])
  })

  it('drops "current password isn\'t right" when a resubmission stops at a rule, so only the rule shows', async () => {
    const { wrapper, session } = await renderProfileAfterWrongCurrentPassword()

    await fillIn(wrapper, { 'New password': 'short' })
    expect(alertTexts(wrapper)).toEqual([])
    await click(getByRole(wrapper, 'button', 'Change password'))

    expect(alertTexts(wrapper)).toEqual([])
    expect(wrapper.text()).toContain('Choose a password that meets every rule below.')
    expect(session.changePassword).toHaveBeenCalledOnce()
  })

  it('signs out and shows the sign-in page', async () => {
    const { wrapper, router, session } = await renderProfile()
    vi.mocked(session.signOut).mockImplementation(async () => {
      session.claims = null
      return true
    })

    // The account section's button; the header's account menu has one too.
    const accountSection = wrapper.get('section[aria-labelledby="account-heading"]')
    await click(accountSection.findAll('button').find((button) => button.text() === 'Sign out')!)

    expect(router.currentRoute.value.name).toBe('sign-in')
    expect(statusTexts(wrapper)).toEqual(["You're signed out. See you on the next ride!"])
  })

  it('signs out everywhere only after the rider confirms, and says it was every device', async () => {
    const { wrapper, router, session } = await renderProfile()
    vi.mocked(session.signOutEverywhere).mockImplementation(async () => {
      session.claims = null
      return true
    })

    await click(getByRole(wrapper, 'button', 'Sign out everywhere…'))
    expect(session.signOutEverywhere).not.toHaveBeenCalled()
    const dialog = wrapper.findAll<HTMLDialogElement>('dialog').find((candidate) => candidate.element.open)!
    expect(dialog.text()).toContain('Every browser and phone signed in to your account')
    await click(getByRole(wrapper, 'button', 'Sign out everywhere'))

    expect(session.signOutEverywhere).toHaveBeenCalledOnce()
    expect(router.currentRoute.value.name).toBe('sign-in')
    expect(statusTexts(wrapper)).toEqual(["You're signed out on every device. Each one will ask you to sign in again."])
  })

  it('deletes the account only after the rider confirms with their password', async () => {
    const { wrapper, router, session } = await renderProfile()
    vi.mocked(session.deleteAccount).mockImplementation(async () => {
      session.claims = null
      return true
    })

    await click(getByRole(wrapper, 'button', 'Delete account…'))
    const dialog = wrapper.findAll<HTMLDialogElement>('dialog').find((candidate) => candidate.text().includes("This can't be undone."))!
    expect(dialog.element.open).toBe(true)
    expect(dialog.text()).toContain("This can't be undone.")

    await click(dialog.findAll<HTMLElement>('button').find((button) => button.text() === 'Cancel')!)
    expect(dialog.element.open).toBe(false)
    expect(session.deleteAccount).not.toHaveBeenCalled()

    await click(getByRole(wrapper, 'button', 'Delete account…'))
    await click(getByRole(wrapper, 'button', 'Delete my account'))
    // Proving it is the rider comes first: without the password nothing is sent.
    expect(session.deleteAccount).not.toHaveBeenCalled()
    expect(dialog.text()).toContain('Enter your password.')
    expect(document.activeElement).toBe(getByLabel(wrapper, 'Your password').element)

    await fillIn(wrapper, { 'Your password': 'Unicorn1rides' })
    await click(getByRole(wrapper, 'button', 'Delete my account'))

    expect(session.deleteAccount).toHaveBeenCalledExactlyOnceWith({ password: 'Unicorn1rides' })
    expect(router.currentRoute.value.name).toBe('home')
    expect(statusTexts(wrapper)).toEqual(['Your account has been deleted. Thank you for riding with Wild Rydes.'])
  })

  it('asks for the texted code in the deletion dialog once Cognito texted one, and forgets it when the dialog opens again', async () => {
    const { wrapper, session } = await renderProfile()
    vi.mocked(session.deleteAccount).mockImplementation(async () => {
      session.actionState.deleteAccount.error = { code: 'CodeTexted', message: 'We texted a code to +*******1234. Enter it to continue.' }
      return false
    })

    await click(getByRole(wrapper, 'button', 'Delete account…'))
    await fillIn(wrapper, { 'Your password': 'Unicorn1rides' })
    await click(getByRole(wrapper, 'button', 'Delete my account'))
    const dialog = wrapper.findAll<HTMLDialogElement>('dialog').find((candidate) => candidate.text().includes("This can't be undone."))!
    expect(dialog.text()).toContain('We texted a code to +*******1234. Enter it to continue.')
    expect(document.activeElement).toBe(getByLabel(wrapper, 'Texted code').element)

    await fillIn(wrapper, { 'Texted code': '246810' })
    await click(getByRole(wrapper, 'button', 'Delete my account'))
    expect(session.deleteAccount).toHaveBeenLastCalledWith({ password: 'Unicorn1rides', code: '246810' })

    await click(dialog.findAll<HTMLElement>('button').find((button) => button.text() === 'Cancel')!)
    await click(getByRole(wrapper, 'button', 'Delete account…'))
    expect(dialog.find('input[autocomplete="one-time-code"]').exists()).toBe(false)
  })

  it('takes the rider to sign in again, with a notice that is not a success, once the session store has ended the session', async () => {
    const { wrapper, router, session } = await renderProfile()

    session.claims = null
    session.hasSessionEnded = true
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('sign-in'))

    expect(router.currentRoute.value.query).toEqual({ notice: 'session-ended', redirect: '/profile' })
    await flushPromises()
    const notice = wrapper.find('.alert-info')
    expect(notice.text()).toBe('Your session has ended. Please sign in again.')
    expect(wrapper.find('.alert-success').exists()).toBe(false)
  })

  it('tells the rider their change was not saved when the session ended under it', async () => {
    const { wrapper, router, session } = await renderProfile()

    session.claims = null
    session.hasUnsavedChange = true
    session.hasSessionEnded = true
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('sign-in'))
    await flushPromises()

    expect(wrapper.find('.alert-info').text()).toBe(
      'Your session ended before your last change was saved. Please sign in again and make it once more.',
    )
  })
})
