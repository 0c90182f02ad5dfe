import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CognitoUserSession } from 'amazon-cognito-identity-js'
import { afterAll, beforeAll, expect } from 'vitest'
import { FakeClock } from '../../local-aws/clock.ts'
import { startLocalAws, type LocalAws, type StartOptions } from '../../local-aws/index.ts'
import { RiderBrowser, registerRider, type RiderDetails } from '../support/riderClients.ts'

/** A local AWS on port 0 with a fresh data folder and a clock the test moves. */
export async function startTestAws(options: Partial<StartOptions> = {}): Promise<{ aws: LocalAws; clock: FakeClock; dataDir: string }> {
  const clock = new FakeClock()
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'la-')))
  const aws = await startLocalAws({ port: 0, log: () => {}, clock, ...options, dataDir })
  return { aws, clock, dataDir }
}

/**
 * One local AWS for a test file: {@link startTestAws} before its tests, stopped and its data folder removed after them.
 * Read `aws` and `clock` in tests and hooks, once `beforeAll` has run.
 */
export function useTestAws(): { readonly aws: LocalAws; readonly clock: FakeClock } {
  let started: Awaited<ReturnType<typeof startTestAws>> | undefined
  beforeAll(async () => {
    started = await startTestAws()
  })
  afterAll(async () => {
    await started?.aws.stop()
    if (started) await rm(started.dataDir, { recursive: true, force: true })
  })
  const current = () => {
    if (!started) throw new Error('Local AWS starts in beforeAll: read useTestAws() values in tests and hooks')
    return started
  }
  return {
    get aws() {
      return current().aws
    },
    get clock() {
      return current().clock
    },
  }
}

/** An AWS error as amazon-cognito-identity-js reports it. */
export interface ClientError extends Error {
  code: string
}

/** Expects a call to fail with this AWS error name and message. */
export async function expectAwsError(call: Promise<unknown>, code: string, message?: string | RegExp): Promise<void> {
  const error = (await call.then(
    () => undefined,
    (failure: unknown) => failure,
  )) as ClientError | undefined
  expect(error, `expected ${code}`).toBeDefined()
  expect(error!.code).toBe(code)
  if (message !== undefined) expect(error!.message).toMatch(typeof message === 'string' ? new RegExp(`^${escapeRegExp(message)}$`) : message)
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** A new rider signed up, confirmed and signed in with SRP on a browser of their own. */
export async function signInNewRider(
  aws: LocalAws,
  overrides: Partial<RiderDetails> = {},
): Promise<{ browser: RiderBrowser; rider: RiderDetails & { sub: string }; session: CognitoUserSession }> {
  const browser = new RiderBrowser(aws)
  const rider = await registerRider(browser, overrides)
  const session = await browser.signIn(rider.email, rider.password)
  return { browser, rider, session }
}

/** One raw AWS JSON 1.1 request to the user pool, for what the library never sends. */
export async function callUserPool(aws: LocalAws, operation: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
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
export function refreshDirectly(aws: LocalAws, refreshToken: string): Promise<{ status: number; body: Record<string, unknown> }> {
  return callUserPool(aws, 'InitiateAuth', { ClientId: aws.config.userPoolClientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: refreshToken } })
}
