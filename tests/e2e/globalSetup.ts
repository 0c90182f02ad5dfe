import type { TestProject } from 'vitest/node'
import { startAppStack } from '../support/appStack.ts'
import { CHROMIUM_INSTALL_HINT, chromiumPath, findChromium } from '../support/chromium.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    /** The production build as local AWS's site serves it (the template's headers), e.g. `http://127.0.0.1:41234` (empty when e2e is skipped). */
    appUrl: string
    /** Local AWS's endpoint, for `/_local/outbox` (empty when e2e is skipped). */
    awsUrl: string
    /** The Chromium to drive; null skips every e2e test. */
    chromiumPath: string | null
  }
}

function isCi(): boolean {
  return ['true', '1'].includes(process.env.CI ?? '')
}

/**
 * Once per run: local AWS with the production build deployed to its site, shared by every e2e test file; stopped after the
 * last one. Without Chromium, CI fails and a developer's run skips e2e with a banner saying how to install it.
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const executablePath = findChromium()
  if (!executablePath) {
    if (isCi()) throw new Error(`E2E tests need Chromium, and there is none at ${chromiumPath()}. Install it: ${CHROMIUM_INSTALL_HINT}`)
    const rule = '!'.repeat(100)
    console.warn(
      [rule, `!!  E2E TESTS SKIPPED: no Chromium at ${chromiumPath()}.`, `!!  Install it: ${CHROMIUM_INSTALL_HINT}`, rule].join('\n'),
    )
    project.provide('chromiumPath', null)
    project.provide('appUrl', '')
    project.provide('awsUrl', '')
    return undefined
  }
  const stack = await startAppStack()
  project.provide('chromiumPath', executablePath)
  project.provide('appUrl', stack.appUrl)
  project.provide('awsUrl', stack.awsUrl)
  return () => stack.stop()
}
