import type { Page } from 'playwright-core'
import { describe, expect } from 'vitest'
import { checkAccessibility, screenshot, test } from '../support/browser.ts'
import { latestCode, uniqueEmail } from '../support/mailbox.ts'
import { editDetails, isFocused, signIn } from '../support/pages.ts'
import { fetchLocalAwsEndpoint } from '../support/localAws.ts'
import { RiderBrowser, inviteRider, newRider, registerRider, type Rider } from '../support/riders.ts'

/** Cognito's answer to a wrong password or code is an HTTP 400, which Chromium logs as a console error of its own. */
const REFUSED_WITH_400 = 'status of 400'

/** The password checklist as a rider reads it: each rule and whether it is met ("(done)") or not ("(not yet)"). */
async function passwordChecklist(page: Page): Promise<Record<string, boolean>> {
  const items = await page.getByRole('list', { name: 'Password requirements' }).getByRole('listitem').allTextContents()
  return Object.fromEntries(
    items.map((text) => {
      const [, rule = text, state] = /^\W*(.+?)\s*\((done|not yet)\)$/.exec(text.replace(/\s+/g, ' ').trim()) ?? []
      return [rule, state === 'done']
    }),
  )
}

/** The "Your details" list of the profile page, term → definition, e.g. `{ Email: 'ada@… ✓ Verified' }`. */
async function profileDetails(page: Page): Promise<Record<string, string>> {
  const details = page.getByRole('region', { name: 'Your details' })
  await details.getByRole('definition').first().waitFor()
  const terms = await details.getByRole('term').allInnerTexts()
  const definitions = await details.getByRole('definition').allInnerTexts()
  return Object.fromEntries(terms.map((term, index) => [term.trim(), (definitions[index] ?? '').replace(/\s+/g, ' ').trim()]))
}

/** A phone number as riders type it, with spaces: the app stores it in E.164. */
const TYPED_PHONE = '+1 415 555 0123'

/** Waits for a message in an `aria-live` region (`role=alert` for errors, `role=status` for notices). */
async function announced(page: Page, role: 'alert' | 'status', text: string): Promise<void> {
  await page.getByRole(role).filter({ hasText: text }).waitFor()
}

async function signUpThroughForm(page: Page, rider: Rider): Promise<void> {
  await page.goto('/sign-up')
  await page.getByLabel('Name', { exact: true }).fill(rider.name)
  await page.getByLabel('Email', { exact: true }).fill(rider.email)
  await page.getByLabel('Mobile phone number').fill(rider.phone)
  await page.getByLabel('Password', { exact: true }).fill(rider.password)
  await page.getByRole('button', { name: 'Create account' }).click()
  await page.waitForURL((url) => url.pathname === '/confirm')
}

describe('the rider journey in Chromium', () => {
  test('a new rider signs up, confirms, signs in, edits their name, stays signed in across a reload, signs out, and gets back to /profile by signing in', async ({
    page,
    awsUrl,
  }) => {
    const rider = newRider({ name: 'Ada Lovelace', phone: TYPED_PHONE })

    await page.goto('/')
    await checkAccessibility(page)
    await screenshot(page, 'journey-home')
    await page.getByRole('link', { name: 'Create your account' }).click()
    await page.waitForURL((url) => url.pathname === '/sign-up')
    await page.getByRole('heading', { level: 1, name: 'Create your account' }).waitFor()

    await page.getByLabel('Name', { exact: true }).fill(rider.name)
    await page.getByLabel('Email', { exact: true }).fill(rider.email)
    await page.getByLabel('Mobile phone number').fill(rider.phone)
    const password = page.getByLabel('Password', { exact: true })
    expect(Object.values(await passwordChecklist(page))).not.toContain(true)
    await password.fill('unicorn')
    expect(await passwordChecklist(page)).toEqual({
      'At least 8 characters': false,
      'A lowercase letter': true,
      'An uppercase letter': false,
      'A number': false,
    })
    await password.fill(rider.password)
    expect(await passwordChecklist(page)).toEqual({
      'At least 8 characters': true,
      'A lowercase letter': true,
      'An uppercase letter': true,
      'A number': true,
    })
    await checkAccessibility(page)
    await screenshot(page, 'journey-sign-up')
    await page.getByRole('button', { name: 'Create account' }).click()

    await page.waitForURL((url) => url.pathname === '/confirm')
    await page.getByRole('heading', { level: 1, name: 'Confirm your email' }).waitFor()
    await checkAccessibility(page)
    await screenshot(page, 'journey-confirm-sign-up')
    await page.getByLabel('Verification code').fill(await latestCode(awsUrl, rider.email, 'sign-up'))
    await page.getByRole('button', { name: 'Confirm account' }).click()

    // Confirmed in the tab that signed up: signed in with the password typed there, no second typing.
    await page.waitForURL((url) => url.pathname === '/profile')
    await page.getByRole('heading', { level: 1, name: 'Your profile' }).waitFor()
    const details = await profileDetails(page)
    expect(details).toMatchObject({ Name: rider.name })
    expect(details.Email).toMatch(new RegExp(`^${rider.email.replace(/[.+]/g, '\\$&')} .*Verified$`))
    expect(details.Email).not.toContain('Not verified')
    // Stored in E.164 (+14155550123), shown for people.
    expect(details.Phone).toContain('+1 415 555 0123')
    await checkAccessibility(page)
    await screenshot(page, 'journey-profile')

    await page.getByRole('button', { name: 'Edit details' }).click()
    const editForm = page.getByRole('form', { name: 'Edit your details' })
    expect(await editForm.getByLabel('Name', { exact: true }).inputValue()).toBe(rider.name)
    await checkAccessibility(page)
    await screenshot(page, 'journey-profile-editing')
    await editForm.getByLabel('Name', { exact: true }).fill('Ada King')
    await editForm.getByRole('button', { name: 'Save changes' }).click()
    await announced(page, 'status', 'Your details are saved.')
    expect((await profileDetails(page)).Name).toBe('Ada King')

    await page.reload()
    await page.getByRole('heading', { level: 1, name: 'Your profile' }).waitFor()
    expect(new URL(page.url()).pathname).toBe('/profile')
    expect((await profileDetails(page)).Name).toBe('Ada King')

    await page.getByRole('button', { name: 'Sign out', exact: true }).click()
    await page.waitForURL((url) => url.pathname === '/sign-in')
    await announced(page, 'status', "You're signed out.")
    await checkAccessibility(page)
    await screenshot(page, 'journey-sign-in')

    await page.goto('/profile')
    await page.waitForURL((url) => url.pathname === '/sign-in' && url.searchParams.get('redirect') === '/profile')
    await signIn(page, rider)
    expect((await profileDetails(page)).Name).toBe('Ada King')
  })

  test('a wrong confirmation code and a wrong password each say what went wrong, and the right ones then work', async ({
    page,
    awsUrl,
    browserErrors,
    allowFailedRequests,
  }) => {
    const rider = newRider({ name: 'Grace Hopper', phone: TYPED_PHONE })
    await signUpThroughForm(page, rider)
    const code = await latestCode(awsUrl, rider.email, 'sign-up')
    const wrongCode = code.replace(/.$/, (digit) => String((Number(digit) + 1) % 10))

    await page.getByLabel('Verification code').fill(wrongCode)
    await page.getByRole('button', { name: 'Confirm account' }).click()
    await announced(page, 'alert', "That code isn't right. Check the latest code we sent and try again.")
    await checkAccessibility(page)
    await screenshot(page, 'journey-confirm-sign-up-wrong-code')
    await page.getByLabel('Verification code').fill(code)
    await page.getByRole('button', { name: 'Confirm account' }).click()
    await page.waitForURL((url) => url.pathname === '/profile')
    await page.getByRole('button', { name: 'Sign out', exact: true }).click()
    await page.waitForURL((url) => url.pathname === '/sign-in')

    await page.getByLabel('Email', { exact: true }).fill(rider.email)
    await page.getByLabel('Password', { exact: true }).fill(`${rider.password}-wrong`)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await announced(page, 'alert', "That email and password don't match. Check them and try again.")
    expect(new URL(page.url()).pathname).toBe('/sign-in')
    await checkAccessibility(page)
    await screenshot(page, 'journey-sign-in-wrong-password')
    await signIn(page, rider)

    expect(browserErrors.filter((error) => error.includes(REFUSED_WITH_400))).toHaveLength(2)
    allowFailedRequests(REFUSED_WITH_400)
  })

  test('a rider an administrator invited signs in with the emailed temporary password, chooses their own and gives their name, then signs in with it', async ({
    page,
    newPage,
    awsUrl,
    allowFailedRequests,
  }) => {
    const rider = newRider({ name: 'Mary Jackson' })
    await inviteRider(await fetchLocalAwsEndpoint(awsUrl), rider, 'Temporary-Pass-1')
    const temporaryPassword = await latestCode(awsUrl, rider.email, 'invitation')

    await page.goto('/sign-in')
    await page.getByLabel('Email', { exact: true }).fill(rider.email)
    await page.getByLabel('Password', { exact: true }).fill(temporaryPassword)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await page.getByRole('heading', { level: 1, name: 'Choose your password' }).waitFor()
    expect(new URL(page.url()).pathname).toBe('/sign-in')
    await checkAccessibility(page)
    await screenshot(page, 'journey-new-password-required')

    await page.getByLabel('New password', { exact: true }).fill(rider.password)
    await page.getByLabel('Name', { exact: true }).fill(rider.name)
    await page.getByRole('button', { name: 'Save password and continue' }).click()
    await page.waitForURL((url) => url.pathname === '/profile')
    expect(await profileDetails(page)).toMatchObject({ Name: rider.name, Email: expect.stringContaining(rider.email) })

    // Another browser: the chosen password is the rider's now, and the temporary one is gone.
    const elsewhere = await newPage()
    await elsewhere.goto('/sign-in')
    await elsewhere.getByLabel('Email', { exact: true }).fill(rider.email)
    await elsewhere.getByLabel('Password', { exact: true }).fill(temporaryPassword)
    await elsewhere.getByRole('button', { name: 'Sign in', exact: true }).click()
    await announced(elsewhere, 'alert', "That email and password don't match. Check them and try again.")
    await signIn(elsewhere, rider)

    allowFailedRequests(REFUSED_WITH_400)
  })

  test('a rider who never confirmed and mistypes their password is sent to confirm, as on AWS, and can then sign in', async ({
    page,
    awsUrl,
    browserErrors,
    allowFailedRequests,
  }) => {
    const rider = newRider({ name: 'Dorothy Vaughan' })
    await (await RiderBrowser.at(awsUrl)).signUp(rider)

    await page.goto('/sign-in')
    await page.getByLabel('Email', { exact: true }).fill(rider.email)
    await page.getByLabel('Password', { exact: true }).fill(`${rider.password}-typo`)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    // Cognito answers UserNotConfirmedException whatever the password (docs/aws-behaviour.md#unconfirmed-riders-are-told-so-whatever-the-password).
    await page.waitForURL((url) => url.pathname === '/confirm')
    await page.getByText("Your account isn't confirmed yet.").waitFor()
    await page.getByLabel('Verification code').fill(await latestCode(awsUrl, rider.email, 'sign-up'))
    await page.getByRole('button', { name: 'Confirm account' }).click()
    // Confirming signs in with the password this tab holds: the mistyped one is refused, so sign-in opens instead.
    await page.waitForURL((url) => url.pathname === '/sign-in')
    await signIn(page, rider)
    await page.getByRole('heading', { level: 1, name: 'Your profile' }).waitFor()

    expect(browserErrors.filter((error) => error.includes(REFUSED_WITH_400))).toHaveLength(2)
    allowFailedRequests(REFUSED_WITH_400)
  })

  test('a rider who forgot their password resets it with the emailed code and signs in with the new one', async ({
    page,
    awsUrl,
  }) => {
    const rider = newRider({ name: 'Katherine Johnson' })
    await registerRider(await RiderBrowser.at(awsUrl), rider)
    const newPassword = `New-${rider.password}`

    await page.goto('/sign-in')
    await page.getByLabel('Email', { exact: true }).fill(rider.email)
    await page.getByRole('link', { name: 'Forgot your password?' }).click()
    await page.waitForURL((url) => url.pathname === '/forgot-password')
    expect(await page.getByLabel('Email', { exact: true }).inputValue()).toBe(rider.email)
    await checkAccessibility(page)
    await screenshot(page, 'journey-forgot-password')
    const requestedAt = new Date()
    await page.getByRole('button', { name: 'Send code' }).click()

    await page.getByLabel('Verification code').waitFor()
    await checkAccessibility(page)
    await screenshot(page, 'journey-forgot-password-reset')
    await page.getByLabel('Verification code').fill(await latestCode(awsUrl, rider.email, 'forgot-password', { since: requestedAt }))
    await page.getByLabel('New password', { exact: true }).fill(newPassword)
    await page.getByRole('button', { name: 'Set new password' }).click()

    await page.waitForURL((url) => url.pathname === '/sign-in')
    await announced(page, 'status', 'Your password has been changed.')
    await signIn(page, { email: rider.email, password: newPassword })
    await page.getByRole('heading', { level: 1, name: 'Your profile' }).waitFor()
  })

  test('a rider who changes their email still finds the code form after a reload, confirms the new address, and signs in with it', async ({
    page,
    awsUrl,
  }) => {
    const rider = newRider({ name: 'Hedy Lamarr' })
    const newEmail = uniqueEmail('hedy-new')
    await registerRider(await RiderBrowser.at(awsUrl), rider)
    await signIn(page, rider)

    await editDetails(page, async (form) => {
      await form.getByLabel('Email', { exact: true }).fill(newEmail)
      // A new email asks the rider to prove it is them first.
      await form.getByLabel('Your password').fill(rider.password)
    })
    await announced(page, 'status', 'Confirm your new email address with the code we sent')

    // GetUser does not return the pending address: only the app remembers it across the reload
    // (docs/aws-behaviour.md#email-changes-wait-for-verification).
    await page.reload()
    await page.getByRole('heading', { level: 1, name: 'Your profile' }).waitFor()
    const codeForm = page.getByRole('form', { name: 'Confirm your email address' })
    await codeForm.getByText(`Enter the code to confirm ${newEmail}.`).waitFor()
    expect((await profileDetails(page)).Email).toBe(`${rider.email} ✓ Verified`)
    await checkAccessibility(page)
    await screenshot(page, 'journey-profile-email-pending-after-reload')

    await codeForm.getByLabel('Code for your email address').fill(await latestCode(awsUrl, newEmail, 'verify-attribute'))
    await codeForm.getByRole('button', { name: 'Confirm email address' }).click()
    await announced(page, 'status', 'Your email address is confirmed.')
    expect(await codeForm.count()).toBe(0)
    await expect.poll(async () => (await profileDetails(page)).Email).toBe(`${newEmail} ✓ Verified`)

    await page.getByRole('button', { name: 'Sign out', exact: true }).click()
    await page.waitForURL((url) => url.pathname === '/sign-in')
    await signIn(page, { email: newEmail, password: rider.password })
    expect((await profileDetails(page)).Email).toBe(`${newEmail} ✓ Verified`)
  })

  test('the sign-in form works from the keyboard alone, and focus starts at the profile heading', async ({ page, awsUrl }) => {
    const rider = newRider({ name: 'Mary Jackson' })
    await registerRider(await RiderBrowser.at(awsUrl), rider)
    await page.goto('/sign-in')
    const email = page.getByLabel('Email', { exact: true })

    // From the top of the page, past the skip link and the header's links, to the form.
    for (let presses = 0; presses < 10 && !(await isFocused(email)); presses += 1) await page.keyboard.press('Tab')
    expect(await isFocused(email)).toBe(true)
    await page.keyboard.type(rider.email)
    await page.keyboard.press('Tab')
    expect(await isFocused(page.getByLabel('Password', { exact: true }))).toBe(true)
    await page.keyboard.type(rider.password)
    await page.keyboard.press('Enter')

    await page.waitForURL((url) => url.pathname === '/profile')
    const heading = page.getByRole('heading', { level: 1, name: 'Your profile' })
    await expect.poll(() => isFocused(heading)).toBe(true)
  })

  test('at 360 px wide the profile page fits without horizontal scrolling', async ({ page, awsUrl }) => {
    const rider = newRider({ name: 'Dorothy Vaughan' })
    await registerRider(await RiderBrowser.at(awsUrl), rider)
    await page.setViewportSize({ width: 360, height: 740 })
    await signIn(page, rider)
    await page.getByRole('heading', { level: 1, name: 'Your profile' }).waitFor()
    await profileDetails(page)

    const scrollWidth = await page.evaluate(() => document.scrollingElement?.scrollWidth ?? Number.POSITIVE_INFINITY)
    expect(scrollWidth).toBeLessThanOrEqual(360)
  })

  test('an unknown address shows the not-found page', async ({ page }) => {
    await page.goto('/no-such-page')
    await page.getByRole('heading', { level: 1 }).waitFor()
    await checkAccessibility(page)
    await screenshot(page, 'journey-not-found')
  })
})
