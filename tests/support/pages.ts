import type { Locator, Page } from 'playwright-core'
import { makePhotoJpeg } from './photo.ts'
import { RiderBrowser, newRider, registerRider, type RegisteredRider, type Rider } from './riders.ts'

/** Opens "Edit details" on the profile, lets `edit` fill the form, and saves it; returns the form. */
export async function editDetails(page: Page, edit: (form: Locator) => Promise<void>): Promise<Locator> {
  await page.getByRole('button', { name: 'Edit details' }).click()
  const form = page.getByRole('form', { name: 'Edit your details' })
  await edit(form)
  await form.getByRole('button', { name: 'Save changes' }).click()
  return form
}

/** The notice the profile page shows once an upload is saved. */
export const PHOTO_SAVED = 'Your new photo is saved.'

/**
 * Signs in on `/sign-in` as a rider does (the labelled fields, the "Sign in" button) and waits for the page it lands
 * on: `/profile` unless the sign-in page carries another `redirect`.
 */
export async function signIn(page: Page, rider: Pick<Rider, 'email' | 'password'>, landsOn = '/profile'): Promise<void> {
  if (new URL(page.url(), 'http://x').pathname !== '/sign-in') await page.goto('/sign-in')
  await page.getByLabel('Email', { exact: true }).fill(rider.email)
  await page.getByLabel('Password', { exact: true }).fill(rider.password)
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await page.waitForURL((url) => url.pathname === landsOn)
}

/**
 * The browser's errors but its own "Failed to load resource" console lines for requests a test made fail on purpose,
 * e.g. `'status of 400'` for a wrong password or `'net::ERR_INTERNET_DISCONNECTED'` for a cut upload.
 */
export function unexpectedBrowserErrors(browserErrors: readonly string[], ...deliberateFailures: string[]): string[] {
  return browserErrors.filter(
    (error) =>
      !(error.startsWith('console.error: Failed to load resource:') && deliberateFailures.some((failure) => error.includes(failure))),
  )
}

/** The profile page's avatar once the photo of the rider called `name` shows (the `<img>`, by its alt text). */
export function profilePhotoOf(page: Page, name: string): Locator {
  return page.getByRole('img', { name: `Profile photo of ${name}`, exact: true })
}

/** The S3 key a (presigned) photo URL points at: its path without the bucket. */
export function keyOf(url: string | null): string {
  if (!url) throw new Error('The avatar has no src')
  return decodeURIComponent(new URL(url).pathname).split('/').slice(2).join('/')
}

/** Picks a file as a rider does: the button opens the file chooser, the file is chosen there. */
export async function pickPhoto(page: Page, file: { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: /^(Add a photo|Change photo)$/ }).click(),
  ])
  await chooser.setFiles(file)
}

/** Presses "Remove photo…" and confirms in its dialog. */
export async function removePhoto(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Remove photo…' }).click()
  await page.getByRole('dialog', { name: 'Remove your photo?' }).getByRole('button', { name: 'Remove photo', exact: true }).click()
}

/** Whether the element has keyboard focus. */
export function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => element === document.activeElement)
}

/**
 * A registered rider (named Ada Lovelace) whose photo was uploaded through the app on another browser (their phone),
 * for the tests whose subject comes after a first upload; with the key the photo is stored under.
 */
export async function riderWithPhoto(awsUrl: string, newPage: () => Promise<Page>): Promise<{ rider: RegisteredRider; photoKey: string }> {
  const rider = await registerRider(await RiderBrowser.at(awsUrl), newRider({ name: 'Ada Lovelace' }))
  const phone = await newPage()
  await phone.goto('/sign-in')
  const photo = await makePhotoJpeg(phone, { width: 800, height: 600 })
  await signIn(phone, rider)
  await pickPhoto(phone, { name: 'IMG_2040.jpg', mimeType: 'image/jpeg', buffer: photo })
  await phone.getByRole('status').filter({ hasText: PHOTO_SAVED }).waitFor()
  const photoKey = keyOf(await profilePhotoOf(phone, rider.name).getAttribute('src'))
  await phone.context().close()
  return { rider, photoKey }
}

/** The connection drops whenever the page calls this Cognito operation (e.g. `DeleteUserAttributes`), until unrouted. */
export async function cutCognitoCall(page: Page, operation: string): Promise<void> {
  await page.route('**/*', (route, request) =>
    (request.headers()['x-amz-target'] ?? '').endsWith(`.${operation}`) ? route.abort('internetdisconnected') : route.fallback(),
  )
}

/** Chromium's console line for a request the test cut. */
export const CUT_REQUEST = 'net::ERR_INTERNET_DISCONNECTED'
