import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation'
import { CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront'
import { S3Client } from '@aws-sdk/client-s3'
import type { Rolldown } from 'vite'
import { AwsEnvError, stackViteEnv } from './awsEnv.ts'
import { buildSite } from './buildSite.ts'
import { uploadSite, type UploadResult } from './siteUpload.ts'
import type { LocalAwsConfig } from '../local-aws/localConfig.ts'

const USAGE = 'Usage: npm run deploy -- --stack NAME [--region REGION]   or   npm run deploy -- --local [--endpoint URL]'

/** Where `npm run local-aws` listens unless told otherwise. */
export const DEFAULT_LOCAL_ENDPOINT = 'http://127.0.0.1:4566'

/** A deployed site: where it is served, and the AWS endpoint its app talks to (absent on AWS). */
export interface Deployment extends UploadResult {
  siteUrl: string
  endpoint?: string
  invalidationId?: string
}

/** Builds the app for `viteEnv` into a temporary folder, hands the folder and the bundle to `use`, and removes it afterwards. */
export async function withBuiltBundle<T>(viteEnv: Record<string, string>, use: (distDir: string, bundle: Rolldown.RolldownOutput) => Promise<T>): Promise<T> {
  const distDir = await mkdtemp(join(tmpdir(), 'wild-rydes-site-'))
  try {
    return await use(distDir, await buildSite(distDir, viteEnv))
  } finally {
    await rm(distDir, { recursive: true, force: true })
  }
}

/** Builds the app for `viteEnv` into a temporary folder, hands the folder to `use`, and removes it afterwards. */
export function withBuiltSite<T>(viteEnv: Record<string, string>, use: (distDir: string) => Promise<T>): Promise<T> {
  return withBuiltBundle(viteEnv, (distDir) => use(distDir))
}

/** The stack outputs the deploy (and the smoke check) need besides the app's `VITE_*` values. */
export async function hostingOutputs(cloudFormation: CloudFormationClient, stackName: string) {
  const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }))
  const outputs = new Map((Stacks?.[0]?.Outputs ?? []).map((output) => [output.OutputKey, output.OutputValue]))
  const read = (key: string) => {
    const value = outputs.get(key)
    if (!value) throw new AwsEnvError(`Stack "${stackName}" has no ${key} output: update it with infra/template.yaml first.`)
    return value
  }
  return { siteBucket: read('SiteBucket'), distributionId: read('DistributionId'), siteUrl: read('SiteUrl') }
}

export interface StackDeployment {
  stackName: string
  cloudFormation: CloudFormationClient
  cloudFront: CloudFrontClient
  s3: S3Client
  /** The built site; `withBuiltSite` by default. */
  withSite?: typeof withBuiltSite
  log?: (line: string) => void
}

/**
 * Deploys the app to a stack of infra/template.yaml: builds it with the stack's outputs, uploads it to the site bucket
 * (previous release's files removed once the new ones are in place), and invalidates the paths that serve index.html
 * (docs/aws-behaviour.md#spa-routes-on-cloudfront).
 */
export async function deployToStack({ stackName, cloudFormation, cloudFront, s3, withSite = withBuiltSite, log = console.log }: StackDeployment): Promise<Deployment> {
  const viteEnv = await stackViteEnv(cloudFormation, stackName)
  const { siteBucket, distributionId, siteUrl } = await hostingOutputs(cloudFormation, stackName)
  log(`Building the app for stack "${stackName}"…`)
  const result = await withSite(viteEnv, (distDir) => {
    log(`Uploading to s3://${siteBucket}:`)
    return uploadSite({ s3, bucket: siteBucket, distDir, log })
  })
  const { Invalidation } = await cloudFront.send(
    new CreateInvalidationCommand({
      DistributionId: distributionId,
      InvalidationBatch: { CallerReference: `deploy-${Date.now()}`, Paths: { Quantity: 2, Items: ['/', '/index.html'] } },
    }),
  )
  log(`Invalidated / and /index.html on ${distributionId} (${Invalidation?.Id ?? 'no id'}); edges serve the new release within minutes.`)
  log(`Site: ${siteUrl}`)
  return { ...result, siteUrl, ...(Invalidation?.Id && { invalidationId: Invalidation.Id }) }
}

/** Local AWS's `/_local/config`, or undefined when nothing answers at `endpoint`. */
export async function fetchLocalConfig(endpoint: string): Promise<LocalAwsConfig | undefined> {
  let response: Response
  try {
    response = await fetch(new URL('/_local/config', endpoint))
  } catch {
    return undefined
  }
  if (!response.ok) throw new AwsEnvError(`${endpoint} answered ${response.status} for /_local/config: is it local AWS?`)
  return (await response.json()) as LocalAwsConfig
}

/** An S3 client signed with local AWS's administrator key: the deploy is an operator's, not a rider's. */
export function localS3Client(config: LocalAwsConfig): S3Client {
  return new S3Client({
    region: config.region,
    endpoint: config.endpoint,
    forcePathStyle: true,
    credentials: config.administrator,
  })
}

/**
 * Deploys the app to local AWS's site bucket, which local AWS serves as the template's distribution would, headers
 * policy included. Local AWS has no edge caches, so there is nothing to invalidate.
 */
export async function deployToLocal({ config, withSite = withBuiltSite, log = console.log }: { config: LocalAwsConfig; withSite?: typeof withBuiltSite; log?: (line: string) => void }): Promise<Deployment> {
  log(`Building the app for local AWS at ${config.endpoint}…`)
  const result = await withSite(config.viteEnv, (distDir) => {
    log(`Uploading to the local site bucket ${config.siteBucket}:`)
    return uploadSite({ s3: localS3Client(config), bucket: config.siteBucket, distDir, log })
  })
  log(`Site: ${config.siteUrl}`)
  return { ...result, siteUrl: config.siteUrl, endpoint: config.endpoint }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { stack: { type: 'string' }, region: { type: 'string' }, local: { type: 'boolean' }, endpoint: { type: 'string' } },
  })
  if (values.local) {
    const endpoint = values.endpoint ?? process.env.LOCAL_AWS_URL ?? DEFAULT_LOCAL_ENDPOINT
    const running = await fetchLocalConfig(endpoint)
    if (running) return void (await deployToLocal({ config: running }))
    if (values.endpoint) throw new AwsEnvError(`Nothing answers at ${endpoint}: start it with \`npm run local-aws\`.`)
    // No local AWS yet: start one here, as `npm run local-aws` would, and keep it serving the site.
    const { startLocalAws } = await import('../local-aws/index.ts')
    const { startOptionsFromEnvironment, stopOnSignals } = await import('../local-aws/fromEnvironment.ts')
    const localAws = await startLocalAws(
      startOptionsFromEnvironment({ port: Number(new URL(endpoint).port), sitePort: Number(process.env.LOCAL_AWS_SITE_PORT ?? 4567) }),
    )
    await deployToLocal({ config: localAws.config })
    console.log(`Local AWS: ${localAws.url} · mailbox (verification codes): ${localAws.url}/_local/`)
    console.log('Local AWS runs in this process: press Ctrl-C to stop it.')
    stopOnSignals(localAws)
    return
  }
  if (!values.stack) throw new AwsEnvError(USAGE)
  const region = values.region ? { region: values.region } : {}
  await deployToStack({
    stackName: values.stack,
    cloudFormation: new CloudFormationClient(region),
    // CloudFront's API has one endpoint, in us-east-1, whatever the stack's region.
    cloudFront: new CloudFrontClient({ region: 'us-east-1' }),
    s3: new S3Client(region),
  })
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    await main()
  } catch (error) {
    if (!(error instanceof AwsEnvError)) throw error
    console.error(`deploy: ${error.message}`)
    process.exitCode = 1
  }
}
