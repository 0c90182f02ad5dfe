import { viteEnvFromOutputs } from '../infra/viteVariables.ts'
import type { ProvisionedModel } from './template/provision.ts'

/** What a client needs to talk to local AWS, as served at `/_local/config`. */
export interface LocalAwsConfig {
  region: string
  userPoolId: string
  userPoolClientId: string
  identityPoolId: string
  bucket: string
  endpoint: string
}

function only<T>(items: T[], what: string): T {
  const [first] = items
  if (!first || items.length > 1) throw new Error(`The template must define exactly one ${what}, found ${items.length}`)
  return first
}

export function localAwsConfig(model: ProvisionedModel, endpoint: string): LocalAwsConfig {
  return {
    region: model.region,
    userPoolId: only(model.userPools, 'user pool').id,
    userPoolClientId: only(model.userPoolClients, 'user pool client').id,
    identityPoolId: only(model.identityPools, 'identity pool').id,
    bucket: only(model.buckets, 'bucket').name,
    endpoint,
  }
}

/** The app's `VITE_*` environment for local AWS: the template's outputs, plus the endpoint. */
export function localViteEnv(model: ProvisionedModel, endpoint: string): Record<string, string> {
  return { ...viteEnvFromOutputs(model.outputs), VITE_AWS_ENDPOINT: endpoint }
}
