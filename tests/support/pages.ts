import type { Locator, Page } from 'playwright-core'
import type { Rider } from './riders.ts'

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

/** Whether the element has keyboard focus. */
export function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => element === document.activeElement)
}
