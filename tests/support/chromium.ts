import { accessSync, constants } from 'node:fs'
import { chromium, type Browser, type BrowserContext } from 'playwright-core'

/** How to get the browser the e2e tests and the benchmark drive. */
export const CHROMIUM_INSTALL_HINT = 'sudo apt-get install chromium  (or set CHROMIUM_PATH to a Chromium or Chrome binary)'

/** The path e2e tests look for: `CHROMIUM_PATH`, else Debian's Chromium. */
export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH || '/usr/bin/chromium'
}

/** The Chromium to drive, or undefined when there is none at {@link chromiumPath}. */
export function findChromium(): string | undefined {
  const path = chromiumPath()
  try {
    accessSync(path, constants.X_OK)
    return path
  } catch {
    return undefined
  }
}

/**
 * Launches the system Chromium headless. Playwright itself adds `--headless` (the new headless mode, the only one left
 * in Chromium 132+), `--no-sandbox`, `--disable-background-networking`, `--disable-component-update` and
 * `--no-first-run`; these are the flags it leaves out.
 */
export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, args: ['--disable-gpu', '--disable-quic', '--disable-sync'] })
}

/** What went wrong in a browser context's pages, as {@link watchForTrouble} records it. */
export interface BrowserTrouble {
  /** `console.error: …` lines (Chromium's own "Failed to load resource" among them) and `uncaught: …` exceptions. */
  errors: string[]
  /** Content-Security-Policy violations, Trusted Types included: `{directive} blocked {what} at {file}:{line}`. */
  cspViolations: string[]
}

/** Records every console error, uncaught exception and CSP violation of the context's pages into `trouble`. */
export async function watchForTrouble(context: BrowserContext, trouble: BrowserTrouble): Promise<void> {
  context.on('console', (message) => {
    if (message.type() !== 'error') return
    const { url, lineNumber } = message.location()
    trouble.errors.push(`console.error: ${message.text()}${url ? ` (${url}:${lineNumber})` : ''}`)
  })
  context.on('weberror', (webError) => trouble.errors.push(`uncaught: ${webError.error().message}`))
  await context.exposeBinding('reportCspViolation', (_source, violation: string) => void trouble.cspViolations.push(violation))
  // Installed by the browser before any page script, outside the page's CSP.
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { reportCspViolation(violation: string): void }).reportCspViolation
      report(`${event.effectiveDirective} blocked ${event.blockedURI || 'inline'} at ${event.sourceFile}:${event.lineNumber}`)
    })
  })
}
