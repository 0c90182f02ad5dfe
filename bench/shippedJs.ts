import { gzipSync } from 'node:zlib'
import type { Browser, BrowserContextOptions, Response } from 'playwright-core'
import { signIn } from '../tests/support/pages.ts'
import { newRider, registerRider, RiderBrowser } from '../tests/support/riders.ts'

/** A first-time visitor (nothing stored), or a returning rider whose session this browser stores. */
export type Visitor = 'new' | 'returning'

export interface ShippedJs {
  /** The path visited, e.g. `/profile`. */
  path: string
  visitor: Visitor
  /** Where the app ended up (a guarded route redirects), e.g. `/sign-in?redirect=/profile`. */
  landedOn: string
  /** `isBeforeShown`: requested before the page's main heading appeared, so the page waited for it. */
  files: { url: string; bytes: number; gzipBytes: number; isBeforeShown: boolean }[]
  bytes: number
  gzipBytes: number
  /** Gzipped bytes of the files the page waited for; the rest loaded after it showed (e.g. a background restore). */
  gzipBytesBeforeShown: number
}

/** `performance.now()` when the page's main heading first appeared, as {@link noteWhenShown} leaves it on `window`. */
type ShownAt = { benchShownAt?: number }

/** Runs in the page before its own scripts: notes when the route's page is shown (its `main h1` is in the DOM). */
function noteWhenShown(): void {
  const observer = new MutationObserver(() => {
    if (!document.querySelector('main h1')) return
    ;(window as unknown as ShownAt).benchShownAt = performance.now()
    observer.disconnect()
  })
  observer.observe(document, { childList: true, subtree: true })
}

/**
 * The browser storage of a returning rider: a rider signed up from Node signs in on the app's sign-in page, and what
 * amazon-cognito-identity-js stored is kept (its tokens in localStorage), to open later pages with.
 */
export async function returningRiderStorage(browser: Browser, appUrl: string, awsUrl: string): Promise<BrowserContextOptions['storageState']> {
  const rider = await registerRider(await RiderBrowser.at(awsUrl), newRider({ name: 'Returning Rider' }))
  const context = await browser.newContext({ baseURL: appUrl })
  try {
    await signIn(await context.newPage(), rider)
    return await context.storageState()
  } finally {
    await context.close()
  }
}

/**
 * The JavaScript a visitor's browser downloads for `path` (empty cache, until the network is idle): every script
 * response from the app's origin, modulepreloads and lazy chunks included, gzipped here with zlib's default level, as a
 * static host would serve it; also how much of it was requested before the page showed. A returning rider's visit
 * starts from `storageState` (see {@link returningRiderStorage}).
 */
export async function measureShippedJs(
  browser: Browser,
  appUrl: string,
  path: string,
  storageState?: BrowserContextOptions['storageState'],
): Promise<ShippedJs> {
  const context = await browser.newContext(storageState ? { storageState } : {})
  try {
    await context.addInitScript(noteWhenShown)
    const page = await context.newPage()
    const scripts: Response[] = []
    page.on('response', (response) => {
      if (response.url().startsWith(appUrl) && response.request().resourceType() === 'script') scripts.push(response)
    })
    await page.goto(`${appUrl}${path}`, { waitUntil: 'networkidle' })
    // On a busy machine the network can be idle before the last chunk has run and the page has shown.
    await page
      .waitForFunction(() => (window as unknown as ShownAt).benchShownAt !== undefined, undefined, { timeout: 30_000 })
      .catch(() => {
        throw new Error(`bench: ${path} never showed a main heading (main h1)`)
      })
    const { shownAt, startTimes } = await page.evaluate(() => ({
      shownAt: (window as unknown as ShownAt).benchShownAt ?? 0,
      startTimes: Object.fromEntries(performance.getEntriesByType('resource').map((entry) => [entry.name, entry.startTime])),
    }))
    const files = await Promise.all(
      scripts.map(async (response) => {
        const body = await response.body()
        // A file without a timing entry counts as awaited: the figure may overstate the first load, never hide any.
        const startTime = startTimes[response.url()]
        return {
          url: response.url().slice(appUrl.length),
          bytes: body.length,
          gzipBytes: gzipSync(body).length,
          isBeforeShown: startTime === undefined || startTime < shownAt,
        }
      }),
    )
    const landed = new URL(page.url())
    return {
      path,
      visitor: storageState ? 'returning' : 'new',
      landedOn: `${landed.pathname}${landed.search}`,
      files,
      bytes: files.reduce((sum, file) => sum + file.bytes, 0),
      gzipBytes: files.reduce((sum, file) => sum + file.gzipBytes, 0),
      gzipBytesBeforeShown: files.filter((file) => file.isBeforeShown).reduce((sum, file) => sum + file.gzipBytes, 0),
    }
  } finally {
    await context.close()
  }
}
