import type { LocalAws } from '../../local-aws/index.ts'
import { deployToLocal, type withBuiltSite } from '../../scripts/deploy.ts'
import { startScratchLocalAws } from './localAws.ts'

/** The production app, deployed to local AWS's site bucket, and the local AWS it talks to, on free ports of 127.0.0.1. */
export interface AppStack {
  /** The local site, e.g. `http://127.0.0.1:41234`, no trailing slash. */
  appUrl: string
  /** Local AWS's endpoint, e.g. `http://127.0.0.1:39321`. */
  awsUrl: string
  localAws: LocalAws
  stop(): Promise<void>
}

/**
 * Starts local AWS (free ports, temp folder) and deploys the production app to its site bucket with
 * `npm run deploy -- --local`'s own code: the app is served by local AWS's CloudFront stand-in, with the template's
 * response headers (the production CSP) and route fallback, on 127.0.0.1 (the origin local AWS's bucket CORS allows).
 * `stop()` undoes it all. `withSite` builds the app (`withBuiltSite` by default).
 */
export async function startAppStack({ withSite }: { withSite?: typeof withBuiltSite } = {}): Promise<AppStack> {
  const scratch = await startScratchLocalAws({ parameters: { AppOrigins: 'http://127.0.0.1:*' } })
  const localAws = scratch.aws
  try {
    const { siteUrl } = await deployToLocal({ config: localAws.config, log: () => undefined, ...(withSite && { withSite }) })
    return { appUrl: siteUrl, awsUrl: localAws.url, localAws, stop: () => scratch.stop() }
  } catch (error) {
    await scratch.stop()
    throw error
  }
}
