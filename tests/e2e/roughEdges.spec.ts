import type { Page } from 'playwright-core'
import { describe, expect } from 'vitest'
import { checkAccessibility, screenshot, test } from '../support/browser.ts'
import { latestCode, uniqueEmail } from '../support/mailbox.ts'
import { signIn } from '../support/pages.ts'
import { RiderBrowser, newRider, registerRider } from '../support/riders.ts'

/** A phone's width: nothing may scroll sideways. */
const PHONE = { width: 360, height: 740 }
/** Cognito's answer to a wrong password (and the like) is an HTTP 400, which Chromium logs as a console error. */
const REFUSED_WITH_400 = 'status of 400'

function pageWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth)
}

/** A unique address of exactly `length` characters. */
function emailOfLength(length: number): string {
  const short = uniqueEmail('x')
  return `${'x'.repeat(length - short.length)}${short}`
}

describe('rough edges a new rider met, in Chromium', () => {
  test('confirming in another tab opens sign-in with the email filled; a national phone number is taken', async ({ page, awsUrl }) => {
    const rider = newRider({ name: 'Grace Hopper' })
    await page.goto('/sign-up')
    await page.getByLabel('Name', { exact: true }).fill(rider.name)
    await page.getByLabel('Email', { exact: true }).fill(rider.email)
    await page.getByLabel('Country').selectOption('US')
    await page.getByLabel('Mobile phone number').fill('(415) 555-0123')
    await page.getByLabel('Password', { exact: true }).fill(rider.password)
    await page.getByRole('button', { name: 'Create account' }).click()
    await page.waitForURL((url) => url.pathname === '/confirm')
    // Cognito's masked address says where to look, once.
    await page.getByText(/We emailed a 6-digit code to g\*\*\*@e\*\*\*/).waitFor()

    // The code opened in another tab of the same browser: the password typed in the first never reaches it.
    const otherTab = await page.context().newPage()
    await otherTab.goto(`/confirm?email=${encodeURIComponent(rider.email)}`)
    await otherTab.getByLabel('Verification code').fill(await latestCode(awsUrl, rider.email, 'sign-up'))
    await otherTab.getByRole('button', { name: 'Confirm account' }).click()
    await otherTab.waitForURL((url) => url.pathname === '/sign-in')
    await otherTab.getByRole('status').filter({ hasText: 'Your account is confirmed.' }).waitFor()
    expect(await otherTab.getByLabel('Email', { exact: true }).inputValue()).toBe(rider.email)
    await signIn(otherTab, rider)
    const phone = otherTab.getByRole('region', { name: 'Your details' }).getByRole('definition').nth(2)
    await expect.poll(() => phone.innerText()).toContain('+1 415 555 0123')
  })

  test('at 360 px, server errors go once the rider edits the field or submits again, and "already exists" goes with a new email', async ({
    page,
    awsUrl,
    allowFailedRequests,
  }) => {
    await page.setViewportSize(PHONE)
    const taken = await registerRider(await RiderBrowser.at(awsUrl), newRider({ name: 'Hedy Lamarr' }))

    await page.goto('/sign-up')
    await page.getByLabel('Name', { exact: true }).fill('Hedy Again')
    await page.getByLabel('Email', { exact: true }).fill(taken.email)
    await page.getByLabel('Mobile phone number').fill('+1 415 555 0123')
    await page.getByLabel('Password', { exact: true }).fill(taken.password)
    await page.getByRole('button', { name: 'Create account' }).click()
    const exists = page.getByRole('alert').filter({ hasText: 'An account with this email already exists.' })
    await exists.waitFor()
    await page.getByLabel('Email', { exact: true }).fill(uniqueEmail('hedy-other'))
    await exists.waitFor({ state: 'detached' })

    await signIn(page, taken, '/profile')
    const passwordForm = page.getByRole('form', { name: 'Password' })
    await passwordForm.getByLabel('Current password').fill(`${taken.password}-wrong`)
    await passwordForm.getByLabel('New password', { exact: true }).fill('Unicorn-Ride-42')
    await passwordForm.getByRole('button', { name: 'Change password' }).click()
    const wrongCurrent = page.getByRole('alert').filter({ hasText: "Your current password isn't right." })
    await wrongCurrent.waitFor()
    await passwordForm.getByLabel('New password', { exact: true }).fill('short')
    await wrongCurrent.waitFor({ state: 'detached' })
    await passwordForm.getByRole('button', { name: 'Change password' }).click()
    await passwordForm.getByText('Choose a password that meets every rule below.').waitFor()
    expect(await page.getByRole('alert').filter({ hasText: "current password isn't right" }).count()).toBe(0)
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width)
    await checkAccessibility(page)

    allowFailedRequests(REFUSED_WITH_400)
  })

  test('at 360 px, a 67-character address wraps, sign-in says why a guarded page sent the rider, and the photo hint offers no drag or paste on touch', async ({
    page,
    browser,
    appUrl,
    awsUrl,
  }) => {
    await page.setViewportSize(PHONE)
    const email = emailOfLength(67)
    expect(email).toHaveLength(67)
    const rider = await registerRider(await RiderBrowser.at(awsUrl), newRider({ name: 'Mary Jackson', email }))

    await page.goto('/profile')
    await page.waitForURL((url) => url.pathname === '/sign-in')
    await page.getByRole('status').filter({ hasText: 'Sign in to see your profile.' }).waitFor()
    await signIn(page, rider)
    await page.getByText(`Signed in as ${email}`).waitFor()
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width)
    await checkAccessibility(page)
    await screenshot(page, 'profile-long-address')
    // A desktop pointer can drop and paste.
    await page.setViewportSize({ width: 1280, height: 800 })
    await page.getByText('Or drop or paste an image here.').waitFor()

    const touch = await browser!.newContext({ baseURL: appUrl, viewport: PHONE, isMobile: true, hasTouch: true })
    try {
      const phone = await touch.newPage()
      await signIn(phone, rider)
      await phone.getByRole('button', { name: 'Add a photo' }).waitFor()
      expect(await phone.getByText(/drop or paste/).count()).toBe(0)
      expect(await pageWidth(phone)).toBeLessThanOrEqual(PHONE.width)
    } finally {
      await touch.close()
    }
  })

  test('an edit cut short by the end of the session: sign-in says, neutrally, that it was not saved', async ({ page, awsUrl, allowFailedRequests }) => {
    const rider = await registerRider(await RiderBrowser.at(awsUrl), newRider({ name: 'Dorothy Vaughan' }))
    await signIn(page, rider)
    await page.getByRole('button', { name: 'Edit details' }).click()
    await page.getByRole('form', { name: 'Edit your details' }).getByLabel('Name', { exact: true }).fill('Dorothy Johnson')

    // Signed out everywhere from another device while the form is open.
    const otherDevice = await RiderBrowser.at(awsUrl)
    await otherDevice.signIn(rider.email, rider.password)
    await otherDevice.globalSignOut()
    await page.getByRole('button', { name: 'Save changes' }).click()

    await page.waitForURL((url) => url.pathname === '/sign-in' && url.searchParams.get('redirect') === '/profile')
    const notice = page.getByRole('status').filter({ hasText: 'Your session ended before your last change was saved.' })
    await notice.waitFor()
    expect(await notice.locator('.alert-info').count()).toBe(1)
    expect(await page.locator('.alert-success').count()).toBe(0)
    await checkAccessibility(page)

    allowFailedRequests(REFUSED_WITH_400)
  })
})
