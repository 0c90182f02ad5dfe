/*
 * Local AWS for tests and the bench: started in this process on a free port with a data folder of its own, or found at
 * a URL (`npm run local-aws`, the e2e stack); raw calls for what the official clients never send. No vitest here: the
 * bench imports it too (the Vitest hooks are in localAwsHooks.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { JWTPayload } from 'jose'
import { FakeClock } from './fakeClock.ts'
import { startLocalAws, type LocalAws, type StartOptions } from '../../local-aws/index.ts'
import type { LocalAwsConfig } from '../../local-aws/localConfig.ts'
import type { SessionCredentials } from '../../local-aws/credentials.ts'

/** What a client needs of a local AWS: its URL and ids, whether it runs in this process or as `npm run local-aws`. */
export type LocalAwsEndpoint = Pick<LocalAws, 'url' | 'config'>

/** The local AWS at `awsUrl`, its ids as `GET {awsUrl}/_local/config` serves them. */
export async function fetchLocalAwsEndpoint(awsUrl: string): Promise<LocalAwsEndpoint> {
  const response = await fetch(`${awsUrl}/_local/config`)
  if (!response.ok) throw new Error(`GET ${awsUrl}/_local/config answered ${response.status}`)
  return { url: awsUrl, config: (await response.json()) as LocalAwsConfig }
}

/** `npm run local-aws` running in a process of its own. */
export interface StandaloneLocalAws {
  process: ChildProcess
  endpoint: LocalAwsEndpoint
  /** Everything it printed so far. */
  output: () => string
  /** Stops it as Ctrl-C would (SIGTERM) and resolves its exit code. */
  stop: () => Promise<number | null>
}

/**
 * Starts `npm run local-aws`'s entry point on free ports with `dataDir`, and waits for the line that names its URL.
 * The caller stops it (or kills `process` if a test failed midway).
 */
export async function startStandaloneLocalAws(dataDir: string): Promise<StandaloneLocalAws> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'local-aws/main.ts'], {
    env: { ...process.env, LOCAL_AWS_PORT: '0', LOCAL_AWS_SITE_PORT: '0', LOCAL_AWS_DATA: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`local-aws exited with ${code}: ${output}`)))
    child.stdout.on('data', () => {
      const match = /Local AWS is listening at (\S+)/.exec(output)
      if (match?.[1]) resolve(match[1])
    })
  })
  const stop = () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    return exited
  }
  return { process: child, endpoint: await fetchLocalAwsEndpoint(url), output: () => output, stop }
}

/** The `Logins` key of the local user pool: its token issuer without the scheme. */
export function providerNameOf(aws: LocalAwsEndpoint): string {
  return `cognito-idp.${aws.config.region}.amazonaws.com/${aws.config.userPoolId}`
}

/** A local AWS started for one test, file or run. */
export interface ScratchLocalAws {
  aws: LocalAws
  dataDir: string
  /** Stops local AWS and removes its data folder. */
  stop(): Promise<void>
}

/**
 * Local AWS on a free port of 127.0.0.1, quiet, in a new temporary data folder (or `options.dataDir`: a restart test
 * hands the folder of a stopped local AWS to the next one, which then owns it); `stop()` leaves nothing behind.
 */
export async function startScratchLocalAws(options: Partial<StartOptions> = {}): Promise<ScratchLocalAws> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'wild-rydes-local-aws-')))
  const removeDataDir = () => rm(dataDir, { recursive: true, force: true })
  try {
    const aws = await startLocalAws({ port: 0, log: () => {}, ...options, dataDir })
    return { aws, dataDir, stop: () => aws.stop().finally(removeDataDir) }
  } catch (error) {
    await removeDataDir()
    throw error
  }
}

/** {@link startScratchLocalAws} with a clock that moves only when the test moves it. */
export async function startTestAws({
  clock = new FakeClock(),
  ...options
}: Partial<StartOptions> & { clock?: FakeClock } = {}): Promise<ScratchLocalAws & { clock: FakeClock }> {
  return { ...(await startScratchLocalAws({ ...options, clock })), clock }
}

/** One raw AWS JSON 1.1 request to the user pool, for what the library never sends. */
export async function callUserPool(aws: LocalAwsEndpoint, operation: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${aws.url}/`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': `AWSCognitoIdentityProviderService.${operation}` },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

/**
 * The InitiateAuth REFRESH_TOKEN_AUTH request `refreshSession` sends, sent once: the library retries a refused
 * refresh with back-off for several seconds, which tests of the refusal need not wait for.
 */
export function refreshDirectly(aws: LocalAwsEndpoint, refreshToken: string): Promise<{ status: number; body: Record<string, unknown> }> {
  return callUserPool(aws, 'InitiateAuth', { ClientId: aws.config.userPoolClientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: refreshToken } })
}

/**
 * An ID token as the local user pool issues it (same key, same claims), for tests that need a rider without going
 * through sign-up. `overrides` replace or (with `undefined`) remove claims.
 */
export async function mintIdToken(aws: LocalAws, overrides: JWTPayload = {}): Promise<string> {
  const now = Math.floor(aws.context.clock.now() / 1000)
  const claims: JWTPayload = {
    sub: randomUUID(),
    aud: aws.config.userPoolClientId,
    iss: `https://${providerNameOf(aws)}`,
    token_use: 'id',
    'cognito:username': randomUUID(),
    email: 'rider@example.com',
    email_verified: true,
    auth_time: now,
    iat: now,
    exp: now + 3600,
    jti: randomUUID(),
    ...overrides,
  }
  for (const [name, value] of Object.entries(claims)) if (value === undefined) delete claims[name]
  return aws.context.keys.sign(claims)
}

/**
 * Credentials as the identity pool would issue them to a signed-in rider of a new identity, straight from local AWS's
 * registry: for S3 tests whose subject is not the sign-in.
 */
export function issueRiderSession(aws: LocalAws): { identityId: string; session: SessionCredentials } {
  const { model } = aws.context
  const pool = model.identityPools[0]!
  const role = model.roles.find((candidate) => candidate.arn === pool.roles.authenticated)!
  const identityId = `${model.region}:${randomUUID()}`
  const session = aws.context.credentials.issue({
    roleArn: role.arn,
    roleId: role.roleId,
    identityId,
    identityPoolId: pool.id,
    amr: ['authenticated'],
    durationSeconds: 3600,
  })
  return { identityId, session }
}
