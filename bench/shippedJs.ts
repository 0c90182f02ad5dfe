import { gzipSync } from 'node:zlib'
import type { Browser, Response } from 'playwright-core'

export interface ShippedJs {
  /** The path visited, e.g. `/profile`. */
  path: string
  /** Where the app ended up (a guarded route redirects), e.g. `/sign-in?redirect=/profile`. */
  landedOn: string
  files: { url: string; bytes: number; gzipBytes: number }[]
  bytes: number
  gzipBytes: number
}

/**
 * The JavaScript a first-time visitor's browser downloads for `path` (empty cache, until the network is idle): every
 * script response from the app's origin, modulepreloads and lazy chunks included, gzipped here with zlib's default
 * level, as a static host would serve it.
 */
export async function measureShippedJs(browser: Browser, appUrl: string, path: string): Promise<ShippedJs> {
  const context = await browser.newContext()
  try {
    const page = await context.newPage()
    const scripts: Response[] = []
    page.on('response', (response) => {
      if (response.url().startsWith(appUrl) && response.request().resourceType() === 'script') scripts.push(response)
    })
    await page.goto(`${appUrl}${path}`, { waitUntil: 'networkidle' })
    const files = await Promise.all(
      scripts.map(async (response) => {
        const body = await response.body()
        return { url: response.url().slice(appUrl.length), bytes: body.length, gzipBytes: gzipSync(body).length }
      }),
    )
    const landed = new URL(page.url())
    return {
      path,
      landedOn: `${landed.pathname}${landed.search}`,
      files,
      bytes: files.reduce((sum, file) => sum + file.bytes, 0),
      gzipBytes: files.reduce((sum, file) => sum + file.gzipBytes, 0),
    }
  } finally {
    await context.close()
  }
}
