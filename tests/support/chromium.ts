import { accessSync, constants } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'

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
