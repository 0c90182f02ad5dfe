import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { CloudFormationClient } from '@aws-sdk/client-cloudformation'
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider'
import { S3Client } from '@aws-sdk/client-s3'
import { AwsEnvError, stackViteEnv } from './awsEnv.ts'
import { DEFAULT_LOCAL_ENDPOINT, fetchLocalConfig, hostingOutputs, localS3Client } from './deploy.ts'
import { runBrowserSmoke } from './smoke/browser.ts'
import { runSmoke, type SmokeTarget } from './smoke/run.ts'
import { CHROMIUM_INSTALL_HINT, chromiumPath, findChromium } from '../tests/support/chromium.ts'

const USAGE = 'Usage: npm run smoke -- --stack NAME [--region REGION] [--browser]   or   npm run smoke -- --local [--endpoint URL] [--browser]'

/** Local AWS as deployed by `npm run deploy -- --local`, administered with its local administrator key. */
async function localTarget(endpoint: string): Promise<SmokeTarget> {
  const config = await fetchLocalConfig(endpoint)
  if (!config) throw new AwsEnvError(`Nothing answers at ${endpoint}: run \`npm run deploy -- --local\` (or \`npm run local-aws\` and deploy to it) first.`)
  return {
    description: `local AWS at ${config.endpoint}`,
    viteEnv: config.viteEnv,
    siteUrl: config.siteUrl,
    admin: {
      cognito: new CognitoIdentityProviderClient({ region: config.region, endpoint: config.endpoint, credentials: config.administrator }),
      s3: localS3Client(config),
    },
  }
}

/** A deployed stack, from its outputs; the deployer's credentials come from the standard chain (profile, SSO, env…). */
async function stackTarget(stackName: string, region?: string): Promise<SmokeTarget> {
  const cloudFormation = new CloudFormationClient(region ? { region } : {})
  const viteEnv = await stackViteEnv(cloudFormation, stackName)
  const { siteUrl } = await hostingOutputs(cloudFormation, stackName)
  const stackRegion = viteEnv.VITE_AWS_REGION!
  return {
    description: `stack ${stackName} (${stackRegion})`,
    viteEnv,
    siteUrl,
    admin: { cognito: new CognitoIdentityProviderClient({ region: stackRegion }), s3: new S3Client({ region: stackRegion }) },
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { stack: { type: 'string' }, region: { type: 'string' }, local: { type: 'boolean' }, endpoint: { type: 'string' }, browser: { type: 'boolean' } },
  })
  const browser = values.browser ? findChromium() : undefined
  if (values.browser && !browser) throw new AwsEnvError(`--browser drives Chromium, and there is none at ${chromiumPath()}. Install it: ${CHROMIUM_INSTALL_HINT}`)
  let target: SmokeTarget
  if (values.local) target = await localTarget(values.endpoint ?? process.env.LOCAL_AWS_URL ?? DEFAULT_LOCAL_ENDPOINT)
  else if (values.stack) target = await stackTarget(values.stack, values.region)
  else throw new AwsEnvError(USAGE)

  const interrupt = new AbortController()
  const onSignal = () => {
    if (interrupt.signal.aborted) {
      console.error('smoke: stopped before its clean-up; the next run cleans up what this one created.')
      process.exit(130)
    }
    console.error('smoke: interrupted, cleaning up (Ctrl-C again to leave it to the next run)…')
    interrupt.abort()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  const options = { journalDir: resolve(process.env.SMOKE_JOURNAL_DIR ?? '.smoke'), signal: interrupt.signal }
  let isSuccess = await runSmoke(target, options)
  if (browser && !interrupt.signal.aborted) isSuccess = (await runBrowserSmoke(target, browser, options)) && isSuccess
  return interrupt.signal.aborted ? 130 : isSuccess ? 0 : 1
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    process.exitCode = await main()
  } catch (error) {
    if (!(error instanceof AwsEnvError)) throw error
    console.error(`smoke: ${error.message}`)
    process.exitCode = 2
  }
}
