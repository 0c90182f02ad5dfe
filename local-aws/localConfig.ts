import { viteEnvFromOutputs } from '../infra/viteVariables.ts'
import type { ProvisionedModel } from './template/model.ts'

/** What a client needs to talk to local AWS, as served at `/_local/config`. */
export interface LocalAwsConfig {
  region: string
  userPoolId: string
  userPoolClientId: string
  identityPoolId: string
  /** The photo bucket (the `VITE_PHOTO_BUCKET` output). */
  bucket: string
  endpoint: string
  /** The site as the local distribution serves it, e.g. `http://127.0.0.1:4567`. */
  siteUrl: string
  /** The bucket the site is served from (the `SiteBucket` output), where `npm run deploy -- --local` uploads. */
  siteBucket: string
  distributionId: string
  /** The local administrator's long-term key, for operator tools such as the deploy. Never an AWS key. */
  administrator: { accessKeyId: string; secretAccessKey: string }
  /** The app's `VITE_*` values for this local AWS, as a build for it needs them. */
  viteEnv: Record<string, string>
}

/** Where local AWS listens: the AWS endpoint, the local site, and the administrator's key. */
export interface LocalEndpoints {
  endpoint: string
  siteUrl: string
  administrator: { accessKeyId: string; secretAccessKey: string }
}

function only<T>(items: T[], what: string): T {
  const [first] = items
  if (!first || items.length > 1) throw new Error(`The template must define exactly one ${what}, found ${items.length}`)
  return first
}

function outputValue(model: ProvisionedModel, name: string): string {
  const output = model.outputs.find((candidate) => candidate.name === name)
  if (!output) throw new Error(`The template has no ${name} output`)
  return output.value
}

export function localAwsConfig(model: ProvisionedModel, { endpoint, siteUrl, administrator }: LocalEndpoints): LocalAwsConfig {
  const photoBucket = viteEnvFromOutputs(model.outputs).VITE_PHOTO_BUCKET
  const bucket = model.buckets.find((candidate) => candidate.name === photoBucket)
  if (!bucket) throw new Error('The template has no VITE_PHOTO_BUCKET output naming one of its buckets')
  return {
    region: model.region,
    userPoolId: only(model.userPools, 'user pool').id,
    userPoolClientId: only(model.userPoolClients, 'user pool client').id,
    identityPoolId: only(model.identityPools, 'identity pool').id,
    bucket: bucket.name,
    endpoint,
    siteUrl,
    siteBucket: outputValue(model, 'SiteBucket'),
    distributionId: only(model.distributions, 'CloudFront distribution').id,
    administrator: { accessKeyId: administrator.accessKeyId, secretAccessKey: administrator.secretAccessKey },
    viteEnv: localViteEnv(model, endpoint),
  }
}

/** The app's `VITE_*` environment for local AWS: the template's outputs, plus the endpoint. */
function localViteEnv(model: ProvisionedModel, endpoint: string): Record<string, string> {
  return { ...viteEnvFromOutputs(model.outputs), VITE_AWS_ENDPOINT: endpoint }
}
