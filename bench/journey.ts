import type { Locator, Page } from 'playwright-core'
import { latestCode } from '../tests/support/mailbox.ts'
import type { Rider } from '../tests/support/riders.ts'

/** The page lacks what a step needs: that part of the app is not built yet (or its markup changed). */
export class NotAvailableYet extends Error {}

const STEP_TIMEOUT_MS = 15_000

/** `locator`'s first match once visible, or NotAvailableYet naming what was looked for and where. */
async function need(locator: Locator, what: string, page: Page, timeout = 5_000): Promise<Locator> {
  const first = locator.first()
  try {
    await first.waitFor({ state: 'visible', timeout })
  } catch {
    throw new NotAvailableYet(`no ${what} on ${new URL(page.url()).pathname}`)
  }
  return first
}

/** Waits for the app to navigate to `path`, or NotAvailableYet saying which step did not get there and why. */
async function reach(page: Page, path: string, after: string): Promise<void> {
  try {
    await page.waitForURL((url) => url.pathname === path, { timeout: STEP_TIMEOUT_MS })
  } catch {
    const alerts = (await page.getByRole('alert').allInnerTexts()).map((text) => text.trim()).filter(Boolean)
    const said = alerts.length > 0 ? `; the page says "${alerts.join(' / ')}"` : ''
    throw new NotAvailableYet(`${after} did not lead to ${path} (stayed on ${new URL(page.url()).pathname}${said})`)
  }
}

// Fields are found by input type or label, and forms submitted with Enter, so that the journey does not depend on
// button texts or layout.
const passwordFields = (page: Page) => page.locator('input[type=password]')
const emailField = (page: Page) => page.locator('input[type=email]')

/** Fills the sign-up form and submits it; ends on the confirmation page. */
export async function signUp(page: Page, rider: Rider): Promise<void> {
  await page.goto('/sign-up')
  await (await need(emailField(page), 'email field', page)).fill(rider.email)
  await (await need(page.locator('input[type=tel]'), 'phone field', page)).fill(rider.phone)
  const name = page.getByRole('textbox', { name: /name/i })
  if ((await name.count()) > 0) await name.first().fill(rider.name)
  const passwords = await need(passwordFields(page), 'password field', page)
  for (const field of await passwordFields(page).all()) await field.fill(rider.password)
  await passwords.press('Enter')
  await reach(page, '/confirm', 'Signing up')
}

/** Enters the code local AWS "emailed" and submits it; ends when the app leaves the confirmation page. */
export async function confirmSignUp(page: Page, awsUrl: string, email: string): Promise<void> {
  const codeField = await need(page.getByRole('textbox', { name: /code/i }), 'code field', page)
  await codeField.fill(await latestCode(awsUrl, email, 'sign-up'))
  await codeField.press('Enter')
  try {
    await page.waitForURL((url) => url.pathname !== '/confirm', { timeout: STEP_TIMEOUT_MS })
  } catch {
    throw new NotAvailableYet('confirming the code did not leave /confirm')
  }
}

/**
 * Signs in from `/sign-in`; ends when the profile page shows the rider's email. A tab that just confirmed its own
 * sign-up is signed in already (the app signs in with the password typed there): then this only waits for the email.
 */
export async function signIn(page: Page, rider: Rider): Promise<void> {
  const path = new URL(page.url()).pathname
  if (path === '/profile') return void (await need(page.getByText(rider.email), 'rider email', page, STEP_TIMEOUT_MS))
  if (path !== '/sign-in') await page.goto('/sign-in')
  await (await need(emailField(page), 'email field', page)).fill(rider.email)
  const password = await need(passwordFields(page), 'password field', page)
  await password.fill(rider.password)
  await password.press('Enter')
  await reach(page, '/profile', 'Signing in')
  await need(page.getByText(rider.email), 'rider email', page, STEP_TIMEOUT_MS)
}

/** Waits until an image served by local AWS (the rider's photo, through a presigned URL) is displayed. */
export async function waitForPhotoFromAws(page: Page, awsUrl: string): Promise<void> {
  try {
    await page.waitForFunction(
      (origin) => [...document.images].some((image) => image.src.startsWith(origin) && image.complete && image.naturalWidth > 0),
      awsUrl,
      { timeout: STEP_TIMEOUT_MS },
    )
  } catch {
    throw new NotAvailableYet(`no photo from local AWS displayed on ${new URL(page.url()).pathname}`)
  }
}

/** Picks `photo` in the profile's file input; ends when the uploaded photo is displayed. */
export async function uploadPhoto(page: Page, awsUrl: string, photo: Buffer): Promise<void> {
  const input = page.locator('input[type=file]')
  if ((await input.count()) === 0) throw new NotAvailableYet('no file input on /profile')
  await input.first().setInputFiles({ name: 'phone-photo.jpg', mimeType: 'image/jpeg', buffer: photo })
  await waitForPhotoFromAws(page, awsUrl)
}
