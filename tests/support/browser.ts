import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import axe from 'axe-core'
import type { BrowserContext, Page } from 'playwright-core'
import { expect, inject, test as base } from 'vitest'
import { CHROMIUM_INSTALL_HINT, launchChromium, watchForTrouble } from './chromium.ts'
import { unexpectedBrowserErrors } from './pages.ts'

const SCREENSHOT_DIR = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url))

/** Desktop first; {@link screenshot} also takes the phone width. */
const DESKTOP = { width: 1280, height: 800 }
const PHONE = { width: 390, height: 844 }

/**
 * Vitest's `test` with browser fixtures. Each test gets its own browser context (fresh storage, base URL = the app),
 * so `page.goto('/sign-in')` works; every page's console errors and uncaught exceptions land in `browserErrors`, and
 * its Content-Security-Policy violations (Trusted Types included) in `cspViolations`. When the test ends both must be
 * empty, but for Chromium's own "Failed to load resource" lines of the requests the test declared with
 * `allowFailedRequests` (e.g. `'status of 400'` for a wrong password).
 * Without a Chromium the test is skipped (globalSetup has said so, loudly, or failed under CI).
 */
export const test = base
  // Vitest reads a fixture's dependencies from its first parameter, which must be a destructuring pattern.
  .extend('browser', { scope: 'file' }, async ({}, { onCleanup }) => {
    const executablePath = inject('chromiumPath')
    if (!executablePath) return undefined
    const browser = await launchChromium(executablePath)
    onCleanup(() => browser.close())
    return browser
  })
  .extend('appUrl', inject('appUrl'))
  .extend('awsUrl', inject('awsUrl'))
  .extend('browserErrors', (): string[] => [])
  .extend('cspViolations', (): string[] => [])
  .extend('failedRequestsAllowed', (): string[] => [])
  .extend('allowFailedRequests', ({ failedRequestsAllowed }) => (...failures: string[]): void => void failedRequestsAllowed.push(...failures))
  .extend('newPage', async ({ browser, appUrl, browserErrors, cspViolations, failedRequestsAllowed, skip }, { onCleanup }) => {
    if (!browser) return skip(`no Chromium: ${CHROMIUM_INSTALL_HINT}`)
    const contexts: BrowserContext[] = []
    onCleanup(async () => {
      await Promise.all(contexts.map((context) => context.close()))
      // The app is served with the production Content-Security-Policy: whatever it blocked, the app did and should not.
      // A test that provokes a violation on purpose empties the list once it has checked it.
      expect(cspViolations, 'Content-Security-Policy violations').toEqual([])
      expect(unexpectedBrowserErrors(browserErrors, ...failedRequestsAllowed), 'console errors and uncaught exceptions').toEqual([])
    })
    /** A page in a new browser context: another rider, or the same rider after closing the browser. */
    return async (): Promise<Page> => {
      const context = await browser.newContext({ baseURL: appUrl, viewport: DESKTOP })
      contexts.push(context)
      await watchForTrouble(context, { errors: browserErrors, cspViolations })
      return context.newPage()
    }
  })
  .extend('page', ({ newPage }) => newPage())

/**
 * Full-page screenshots at 1280 and 390 px into `test-results/screenshots/{name}-{width}.png`, for a human to review;
 * the page keeps its viewport.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  const viewport = page.viewportSize()
  for (const size of [DESKTOP, PHONE]) {
    await page.setViewportSize(size)
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-${size.width}.png`), fullPage: true, animations: 'disabled' })
  }
  if (viewport) await page.setViewportSize(viewport)
}

type AxeInPage = { run(context: Document, options: axe.RunOptions): Promise<axe.AxeResults> }

/** Fails the test when axe-core finds a serious or critical violation on the page as it is now; lists each one. */
export async function checkAccessibility(page: Page): Promise<void> {
  // Evaluated over the DevTools protocol, so a Content-Security-Policy that forbids inline scripts does not block it.
  await page.evaluate(axe.source)
  const violations = await page.evaluate(async () => {
    const inPage = (window as unknown as { axe: AxeInPage }).axe
    const { violations } = await inPage.run(document, { resultTypes: ['violations'] })
    return violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => {
        const targets = violation.nodes.map((node) => node.target.join(' ')).join(', ')
        return `${violation.id} (${violation.impact}): ${violation.help}, at ${targets}`
      })
  })
  expect(violations, `axe-core on ${page.url()}`).toEqual([])
}
