import type { TestProject } from 'vitest/node'
import { withBuiltBundle } from '../../scripts/deploy.ts'
import { startAppStack } from '../support/appStack.ts'
import { CHROMIUM_INSTALL_HINT, chromiumPath, findChromium } from '../support/chromium.ts'
import { summarizeBundle, type BundleChunk } from './bundle.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    /** The production build as local AWS's site serves it (the template's headers), e.g. `http://127.0.0.1:41234`. */
    appUrl: string
    /** Local AWS's endpoint, for `/_local/outbox`. */
    awsUrl: string
    /** The Chromium to drive; null skips every browser test. */
    chromiumPath: string | null
    /** The JavaScript chunks of that build, for the byte budgets (bundleBudgets.spec.ts), which need no browser. */
    bundle: BundleChunk[]
    /** `vitest -u`: the budgets rewrite their baseline rather than compare with it. */
    isUpdatingSnapshots: boolean
  }
}

function isCi(): boolean {
  return ['true', '1'].includes(process.env.CI ?? '')
}

/**
 * Once per run: local AWS with the production build deployed to its site, shared by every e2e test file; stopped after the
 * last one. The one build serves the browser tests and the byte budgets. Without Chromium, CI fails and a developer's
 * run skips the browser tests with a banner saying how to install it.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const executablePath = findChromium()
  if (!executablePath) {
    if (isCi()) throw new Error(`E2E tests need Chromium, and there is none at ${chromiumPath()}. Install it: ${CHROMIUM_INSTALL_HINT}`)
    const rule = '!'.repeat(100)
    console.warn(
      [rule, `!!  BROWSER TESTS SKIPPED: no Chromium at ${chromiumPath()}.`, `!!  Install it: ${CHROMIUM_INSTALL_HINT}`, rule].join('\n'),
    )
  }
  let bundle: BundleChunk[] = []
  const stack = await startAppStack({
    withSite: (viteEnv, use) =>
      withBuiltBundle(viteEnv, (distDir, output) => {
        bundle = summarizeBundle(output)
        return use(distDir)
      }),
  })
  project.provide('chromiumPath', executablePath ?? null)
  project.provide('appUrl', stack.appUrl)
  project.provide('awsUrl', stack.awsUrl)
  project.provide('bundle', bundle)
  project.provide('isUpdatingSnapshots', project.config.snapshotOptions.updateSnapshot === 'all')
  return () => stack.stop()
}
