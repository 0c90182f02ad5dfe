import type { Page } from 'playwright-core'
import { describe, expect } from 'vitest'
import { checkAccessibility, test } from '../support/browser.ts'
import { latestCode, uniqueEmail } from '../support/mailbox.ts'
import { CUT_REQUEST, cutCognitoCall, editDetails, keyOf, profilePhotoOf, removePhoto, riderWithPhoto, signIn } from '../support/pages.ts'
import { RiderBrowser, newRider, registerRider, signInFromNode, type RegisteredRider } from '../support/riders.ts'

/** Cognito's answer to a wrong password or code is an HTTP 400, which Chromium logs as a console error of its own. */
const REFUSED_WITH_400 = 'status of 400'
const UNREACHABLE = "We can't reach Wild Rydes. Check your connection and try again."
const WRONG_CODE = "That code isn't right. Check the latest code we sent and try again."

async function registeredRider(awsUrl: string, name: string): Promise<RegisteredRider> {
  return registerRider(await RiderBrowser.at(awsUrl), newRider({ name }))
}

/** The "Your details" value of `term` (Name, Email, Phone), as the rider reads it. */
async function detail(page: Page, term: string): Promise<string> {
  const details = page.getByRole('region', { name: 'Your details' })
  const terms = await details.getByRole('term').allInnerTexts()
  const definitions = await details.getByRole('definition').allInnerTexts()
  return (definitions[terms.findIndex((text) => text.trim() === term)] ?? '').replace(/\s+/g, ' ').trim()
}

describe('account settings in Chromium under the production CSP', () => {
  test('a rider asks for a new sign-up code, first with the connection cut (told so), then for real, and confirms with it', async ({
    page,
    awsUrl,
    allowFailedRequests,
  }) => {
    allowFailedRequests(CUT_REQUEST)
    const rider = newRider({ name: 'Annie Easley' })
    await (await RiderBrowser.at(awsUrl)).signUp(rider)
    await page.goto(`/confirm?email=${encodeURIComponent(rider.email)}`)

    await cutCognitoCall(page, 'ResendConfirmationCode')
    await page.getByRole('button', { name: 'Send a new code' }).click()
    await page.getByRole('alert').filter({ hasText: UNREACHABLE }).waitFor()
    await page.unrouteAll()
    const requestedAt = new Date()
    await page.getByRole('button', { name: 'Send a new code' }).click()
    await page.getByText(/^We sent a new code to /).waitFor()

    await page.getByLabel('Verification code').fill(await latestCode(awsUrl, rider.email, 'sign-up', { since: requestedAt }))
    await page.getByRole('button', { name: 'Confirm account' }).click()
    await page.waitForURL((url) => url.pathname === '/sign-in')
    await page.getByRole('status').filter({ hasText: 'Your account is confirmed.' }).waitFor()
  })

  test('a network cut during sign-up and during confirmation says so and keeps what the rider typed; trying again works', async ({
    page,
    awsUrl,
    allowFailedRequests,
  }) => {
    allowFailedRequests(CUT_REQUEST)
    const rider = newRider({ name: 'Dorothy Vaughan' })
    const typed = { Name: rider.name, Email: rider.email, 'Mobile phone number': rider.phone, Password: rider.password }
    await page.goto('/sign-up')
    for (const [label, value] of Object.entries(typed)) await page.getByLabel(label, { exact: true }).fill(value)

    await cutCognitoCall(page, 'SignUp')
    await page.getByRole('button', { name: 'Create account' }).click()
    await page.getByRole('alert').filter({ hasText: UNREACHABLE }).waitFor()
    expect(new URL(page.url()).pathname).toBe('/sign-up')
    for (const [label, value] of Object.entries(typed)) expect(await page.getByLabel(label, { exact: true }).inputValue()).toBe(value)
    await page.unrouteAll()
    await page.getByRole('button', { name: 'Create account' }).click()
    await page.waitForURL((url) => url.pathname === '/confirm')

    const code = await latestCode(awsUrl, rider.email, 'sign-up')
    await page.getByLabel('Verification code').fill(code)
    await cutCognitoCall(page, 'ConfirmSignUp')
    await page.getByRole('button', { name: 'Confirm account' }).click()
    await page.getByRole('alert').filter({ hasText: UNREACHABLE }).waitFor()
    expect(new URL(page.url()).pathname).toBe('/confirm')
    expect(await page.getByLabel('Verification code').inputValue()).toBe(code)
    await page.unrouteAll()
    await page.getByRole('button', { name: 'Confirm account' }).click()
    // The tab still holds the password typed at sign-up: confirming signs the rider in.
    await page.waitForURL((url) => url.pathname === '/profile')
  })

  test('a rider changes their phone number; one that is not a number is refused with why, and the saved one stays until then', async ({ page, awsUrl }) => {
    const rider = await registeredRider(awsUrl, 'Evelyn Boyd Granville')
    await signIn(page, rider)
    const before = await detail(page, 'Phone')

    await editDetails(page, (form) => form.getByLabel('Mobile phone number').fill('+1 415 555'))
    await page.getByText('That number is too short').waitFor()
    expect(await detail(page, 'Phone')).toBe(before)

    const form = page.getByRole('form', { name: 'Edit your details' })
    await form.getByLabel('Mobile phone number').fill('+44 20 7946 0958')
    await form.getByRole('button', { name: 'Save changes' }).click()
    await page.getByRole('status').filter({ hasText: 'Your details are saved.' }).waitFor()
    await page.reload()
    await expect.poll(() => detail(page, 'Phone')).toContain('+44 20 7946 0958')
  })

  test('a wrong code for a new email address is refused, and the verified address stays the one the rider signs in with', async ({
    page,
    awsUrl,
    allowFailedRequests,
  }) => {
    allowFailedRequests(REFUSED_WITH_400)
    const rider = await registeredRider(awsUrl, 'Gladys West')
    const newEmail = uniqueEmail('gladys-new')
    await signIn(page, rider)

    await editDetails(page, async (form) => {
      await form.getByLabel('Email', { exact: true }).fill(newEmail)
      await form.getByLabel('Your password').fill(rider.password)
    })
    const codeForm = page.getByRole('form', { name: 'Confirm your email address' })
    const code = await latestCode(awsUrl, newEmail, 'verify-attribute')
    await codeForm.getByLabel('Code for your email address').fill(code.replace(/.$/, (digit) => String((Number(digit) + 1) % 10)))
    await codeForm.getByRole('button', { name: 'Confirm email address' }).click()
    await page.getByRole('alert').filter({ hasText: WRONG_CODE }).waitFor()

    expect(await detail(page, 'Email')).toBe(`${rider.email} ✓ Verified`)
    expect((await (await RiderBrowser.at(awsUrl)).signIn(rider.email, rider.password)).isValid()).toBe(true)
  })

  test('a new email with a wrong password is refused in the form: the email stays, the typed address is kept, and the right password then sends the code', async ({
    page,
    awsUrl,
    allowFailedRequests,
  }) => {
    allowFailedRequests(REFUSED_WITH_400)
    const rider = await registeredRider(awsUrl, 'Christine Darden')
    const newEmail = uniqueEmail('christine-new')
    await signIn(page, rider)

    await editDetails(page, async (form) => {
      await form.getByLabel('Email', { exact: true }).fill(newEmail)
      await form.getByText("To make sure it's you, enter your password.").waitFor()
      await form.getByLabel('Your password').fill(`${rider.password}x`)
    })
    const form = page.getByRole('form', { name: 'Edit your details' })
    await form.getByRole('alert').filter({ hasText: "That password isn't right." }).waitFor()
    await checkAccessibility(page)
    expect(await form.getByLabel('Email', { exact: true }).inputValue()).toBe(newEmail)
    expect(await page.getByRole('form', { name: 'Confirm your email address' }).count()).toBe(0)
    await expect(latestCode(awsUrl, newEmail, 'verify-attribute', { timeoutMs: 500 })).rejects.toThrow('No verify-attribute code')
    expect(await detail(page, 'Email')).toBe(`${rider.email} ✓ Verified`)

    await form.getByLabel('Your password').fill(rider.password)
    await form.getByRole('button', { name: 'Save changes' }).click()
    await page.getByRole('form', { name: 'Confirm your email address' }).getByText(`Enter the code to confirm ${newEmail}.`).waitFor()
    expect(await latestCode(awsUrl, newEmail, 'verify-attribute')).toMatch(/^\d{6}$/)
    expect(await detail(page, 'Email')).toBe(`${rider.email} ✓ Verified`)
  })

  test('a wrong password-reset code is refused, and the old password still signs in', async ({ page, awsUrl, allowFailedRequests }) => {
    allowFailedRequests(REFUSED_WITH_400)
    const rider = await registeredRider(awsUrl, 'Mary Golda Ross')
    await page.goto('/forgot-password')
    await page.getByLabel('Email', { exact: true }).fill(rider.email)
    const requestedAt = new Date()
    await page.getByRole('button', { name: 'Send code' }).click()
    const code = await latestCode(awsUrl, rider.email, 'forgot-password', { since: requestedAt })

    await page.getByLabel('Verification code').fill(code.replace(/.$/, (digit) => String((Number(digit) + 1) % 10)))
    await page.getByLabel('New password', { exact: true }).fill(`New-${rider.password}`)
    await page.getByRole('button', { name: 'Set new password' }).click()
    await page.getByRole('alert').filter({ hasText: WRONG_CODE }).waitFor()

    await signIn(page, rider)
  })

  test('a rider changes their password: the old one is refused afterwards and the new one signs in', async ({ page, awsUrl, allowFailedRequests }) => {
    allowFailedRequests(REFUSED_WITH_400)
    const rider = await registeredRider(awsUrl, 'Frances Allen')
    const newPassword = `Changed-${rider.password}`
    await signIn(page, rider)

    const passwordForm = page.getByRole('form', { name: 'Password' })
    await passwordForm.getByLabel('Current password').fill(rider.password)
    await passwordForm.getByLabel('New password', { exact: true }).fill(newPassword)
    await passwordForm.getByRole('button', { name: 'Change password' }).click()
    await page.getByRole('status').filter({ hasText: 'Your password has been changed.' }).waitFor()
    await page.getByRole('button', { name: 'Sign out', exact: true }).click()
    await page.waitForURL((url) => url.pathname === '/sign-in')

    await page.getByLabel('Email', { exact: true }).fill(rider.email)
    await page.getByLabel('Password', { exact: true }).fill(rider.password)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await page.getByRole('alert').filter({ hasText: "That email and password don't match." }).waitFor()
    await signIn(page, { email: rider.email, password: newPassword })
  })

  test('"Sign out everywhere" signs the rider out here, and their other browser is sent to sign in at its next call', async ({
    newPage,
    awsUrl,
    allowFailedRequests,
  }) => {
    allowFailedRequests(REFUSED_WITH_400)
    const rider = await registeredRider(awsUrl, 'Radia Perlman')
    const laptop = await newPage()
    const phone = await newPage()
    await signIn(laptop, rider)
    await signIn(phone, rider)
    // The phone's own calls after sign-in (GetUser) are done: its next one is the edit.
    await phone.waitForLoadState('networkidle')

    await laptop.getByRole('button', { name: 'Sign out everywhere…' }).click()
    await laptop.getByRole('dialog', { name: 'Sign out on every device?' }).getByRole('button', { name: 'Sign out everywhere', exact: true }).click()
    await laptop.waitForURL((url) => url.pathname === '/sign-in')
    await laptop.getByRole('status').filter({ hasText: "You're signed out on every device." }).waitFor()

    await editDetails(phone, (form) => form.getByLabel('Name', { exact: true }).fill('Radia J. Perlman'))
    await phone.waitForURL((url) => url.pathname === '/sign-in')
    await phone.getByRole('status').filter({ hasText: 'Your session ended before your last change was saved.' }).waitFor()
  })

  test('removing the photo with the connection cut says so, and the photo stays shown and stored', async ({ page, newPage, awsUrl, allowFailedRequests }) => {
    allowFailedRequests(CUT_REQUEST)
    const { rider, photoKey } = await riderWithPhoto(awsUrl, newPage)
    await signIn(page, rider)
    const avatar = profilePhotoOf(page, rider.name)
    await avatar.waitFor()

    await cutCognitoCall(page, 'DeleteUserAttributes')
    await removePhoto(page)
    await page.getByRole('alert').filter({ hasText: UNREACHABLE }).waitFor()

    expect(keyOf(await avatar.getAttribute('src'))).toBe(photoKey)
    const session = await signInFromNode(awsUrl, rider)
    expect(session.picture).toBe(photoKey)
    expect(await session.listKeys(`protected/${session.identityId}/profile/`)).toEqual([photoKey])
  })
})
