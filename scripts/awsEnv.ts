import { readFile, writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { CloudFormationClient, DescribeStacksCommand, type Stack } from '@aws-sdk/client-cloudformation'
import { templateViteVariables, viteEnvFromOutputs } from '../infra/viteVariables.ts'
import { describeStackFailure, isFailedStatus } from './stackFailures.ts'

/** A failure the developer can fix, told in one sentence on the terminal. */
export class AwsEnvError extends Error {}

const USAGE = 'Usage: npm run aws:env -- --stack NAME [--region REGION]'

async function regionOf(client: CloudFormationClient): Promise<string> {
  try {
    return await client.config.region()
  } catch {
    return 'the default region'
  }
}

async function explain(error: unknown, client: CloudFormationClient, stackName: string): Promise<unknown> {
  if (!(error instanceof Error)) return error
  // CloudFormation answers an unknown stack with a generic ValidationError:
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStacks.html
  if (error.name === 'ValidationError' && /does not exist/.test(error.message)) {
    return new AwsEnvError(`Stack "${stackName}" does not exist in ${await regionOf(client)}: check the name and --region.`)
  }
  if (error.name === 'CredentialsProviderError') {
    return new AwsEnvError(
      'No AWS credentials found: run `aws configure` (or `aws sso login`), or set AWS_PROFILE or ' +
        'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.',
    )
  }
  if (['ExpiredToken', 'ExpiredTokenException', 'InvalidClientTokenId', 'UnrecognizedClientException'].includes(error.name)) {
    return new AwsEnvError(`AWS refused your credentials (${error.name}): refresh them (e.g. \`aws sso login\`) and retry.`)
  }
  if (error.message === 'Region is missing') {
    return new AwsEnvError('No AWS region: pass --region REGION or set AWS_REGION.')
  }
  return error
}

async function describeStack(client: CloudFormationClient, stackName: string): Promise<Stack | undefined> {
  try {
    const { Stacks } = await client.send(new DescribeStacksCommand({ StackName: stackName }))
    return Stacks?.[0]
  } catch (error) {
    throw await explain(error, client, stackName)
  }
}

/**
 * The app's `VITE_*` values from a deployed stack's outputs (each output's Description names its variable). Throws
 * `AwsEnvError` when the stack is missing, lacks an output the template defines, or AWS cannot be asked.
 */
export async function stackViteEnv(client: CloudFormationClient, stackName: string): Promise<Record<string, string>> {
  const stack = await describeStack(client, stackName)
  if (!stack) throw new AwsEnvError(`Stack "${stackName}" does not exist in ${await regionOf(client)}.`)
  if (isFailedStatus(stack.StackStatus)) {
    const why = await describeStackFailure(client, stackName)
    throw new AwsEnvError(`Stack "${stackName}" is ${stack.StackStatus}. ${why ?? 'Its events name no failure: see them in the CloudFormation console.'}`)
  }
  const env = viteEnvFromOutputs(
    (stack.Outputs ?? []).map((output) => ({ description: output.Description, value: output.OutputValue ?? '' })),
  )
  const missing = templateViteVariables().filter((variable) => !env[variable])
  if (missing.length > 0) {
    throw new AwsEnvError(
      `Stack "${stackName}" (${stack.StackStatus}) has no output for ${missing.join(', ')}: ` +
        'deploy infra/template.yaml to it and wait for the deployment to finish.',
    )
  }
  return env
}

const BLOCK_HEADER = '# Written by `npm run aws:env`'

function envLine(name: string, value: string): string {
  // Single quotes keep JSON values (the password policy) intact: dotenv takes their content literally.
  return /^[\w.:/@+-]*$/.test(value) ? `${name}=${value}` : `${name}='${value}'`
}

/**
 * `.env.local`'s new text: the developer's own lines are kept; the previous block, any other line setting one of these
 * variables, and `VITE_AWS_ENDPOINT` (which would send real credentials to local AWS) are replaced by a fresh block.
 */
export function updateEnvFile(text: string, env: Record<string, string>, source: string): string {
  const replaced = new Set([...Object.keys(env), 'VITE_AWS_ENDPOINT'])
  const kept = text
    .split('\n')
    .filter((line) => !line.startsWith(BLOCK_HEADER) && !replaced.has(/^\s*(?:export\s+)?([\w.]+)\s*=/.exec(line)?.[1] ?? ''))
  while (kept.length > 0 && kept.at(-1)?.trim() === '') kept.pop()
  const block = [`${BLOCK_HEADER} from ${source}`, ...Object.entries(env).map(([name, value]) => envLine(name, value))]
  return [...kept, ...(kept.length > 0 ? [''] : []), ...block, ''].join('\n')
}

async function readIfExists(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return ''
    throw error
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { stack: { type: 'string' }, region: { type: 'string' } } })
  if (!values.stack) throw new AwsEnvError(USAGE)
  const client = new CloudFormationClient(values.region ? { region: values.region } : {})
  const env = await stackViteEnv(client, values.stack)
  const path = resolve('.env.local')
  const source = `stack "${values.stack}" in ${await regionOf(client)} on ${new Date().toISOString()}`
  await writeFile(path, updateEnvFile(await readIfExists(path), env, source))
  console.log(`Wrote ${Object.keys(env).join(', ')} to ${path}.`)
  console.log('`npm run dev` now talks to this stack instead of local AWS, and `npm run build` builds for it.')
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    await main()
  } catch (error) {
    if (!(error instanceof AwsEnvError)) throw error
    console.error(`aws:env: ${error.message}`)
    process.exitCode = 1
  }
}
