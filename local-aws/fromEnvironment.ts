import type { LocalAws, StartOptions } from './index.ts'
import { localParameters } from './localParameters.ts'

/**
 * How `npm run local-aws`, `npm run dev` and `npm run deploy -- --local` start local AWS: the ports their caller
 * chose, then the data folder (`LOCAL_AWS_DATA`), the template parameters (`LOCAL_AWS_PARAMETERS`) and the email quota
 * (`LOCAL_AWS_EMAIL_QUOTA=enforce`) from the environment.
 */
export function startOptionsFromEnvironment(ports: Pick<StartOptions, 'port' | 'sitePort'>, env: NodeJS.ProcessEnv = process.env): StartOptions {
  return {
    ...ports,
    dataDir: env.LOCAL_AWS_DATA ?? '.local-aws',
    parameters: localParameters(env),
    enforceEmailQuota: env.LOCAL_AWS_EMAIL_QUOTA === 'enforce',
  }
}

/** A local AWS that owns its process: Ctrl-C or a SIGTERM stops it cleanly, then the process exits. */
export function stopOnSignals(localAws: LocalAws): void {
  const stop = () => void localAws.stop().then(() => process.exit(0))
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}
