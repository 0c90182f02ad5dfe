import { randomBytes } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3'
import type { LocalAws } from '../local-aws/index.ts'
import { startScratchLocalAws } from '../tests/support/localAws.ts'
import { registerRider, RiderBrowser, riderCredentials, riderS3Client } from '../tests/support/riders.ts'

/** Sequential SRP sign-ins measured, after one that warms up both sides and is not counted. */
const SIGN_INS = 30
/** Object sizes (decimal megabytes, as MB/s counts them) and how many of each are written and read back. */
const OBJECTS = [
  { bytes: 1_000_000, repetitions: 10 },
  { bytes: 50_000_000, repetitions: 2 },
]

/** Mean, median and 95th percentile (nearest rank) of a set of durations, in milliseconds. */
export interface Summary {
  meanMs: number
  medianMs: number
  p95Ms: number
}

export interface SrpSignInLatency {
  signIns: number
  /** `authenticateUser` from call to `onSuccess`: the client's SRP arithmetic and both round trips. */
  whole: Summary
  /** The two HTTP round trips (InitiateAuth, RespondToAuthChallenge) together, body read included. */
  roundTrips: Summary
  /** Each round trip on its own, by operation name. */
  byOperation: Record<string, Summary>
}

export interface S3Throughput {
  objectBytes: number
  repetitions: number
  /** Median over the repetitions, 10⁶ bytes per second. */
  putMBps: number
  /** Median over the repetitions, the whole body read; 10⁶ bytes per second. */
  getMBps: number
}

export interface LocalAwsMeasurements {
  srpSignIn: SrpSignInLatency
  s3Throughput: S3Throughput[]
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: number[]): number {
  const sorted = values.toSorted((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

function summarize(durations: number[]): Summary {
  const sorted = durations.toSorted((a, b) => a - b)
  return {
    meanMs: durations.reduce((sum, duration) => sum + duration, 0) / durations.length,
    medianMs: median(durations),
    p95Ms: sorted[Math.ceil(0.95 * sorted.length) - 1]!,
  }
}

async function timed<T>(run: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now()
  const result = await run()
  return { result, ms: performance.now() - started }
}

interface RoundTrip {
  operation: string
  ms: number
}

/**
 * Runs `run` with global fetch (which amazon-cognito-identity-js calls for every request) timed: each request from the
 * call until its body has been read, named by its X-Amz-Target operation.
 */
async function withTimedFetch<T>(run: () => Promise<T>): Promise<{ result: T; roundTrips: RoundTrip[] }> {
  const original = globalThis.fetch
  const roundTrips: RoundTrip[] = []
  globalThis.fetch = async (input, init) => {
    const { result: response, ms } = await timed(async () => {
      const answer = await original(input, init)
      return { answer, body: await answer.arrayBuffer() }
    })
    const target = new Headers(init?.headers).get('x-amz-target') ?? 'unknown'
    roundTrips.push({ operation: target.slice(target.indexOf('.') + 1), ms })
    const { answer, body } = response
    return new Response(body, { status: answer.status, statusText: answer.statusText, headers: answer.headers })
  }
  try {
    return { result: await run(), roundTrips }
  } finally {
    globalThis.fetch = original
  }
}

async function measureSrpSignIn(browser: RiderBrowser, email: string, password: string): Promise<SrpSignInLatency> {
  await browser.signIn(email, password)
  const wholes: number[] = []
  const roundTrips: RoundTrip[][] = []
  for (let signIn = 0; signIn < SIGN_INS; signIn += 1) {
    const { result, roundTrips: made } = await withTimedFetch(() => timed(() => browser.signIn(email, password)))
    const operations = made.map(({ operation }) => operation).join(', ')
    if (operations !== 'InitiateAuth, RespondToAuthChallenge') throw new Error(`bench: an SRP sign-in made ${operations}`)
    wholes.push(result.ms)
    roundTrips.push(made)
  }
  const byOperation: Record<string, number[]> = {}
  for (const { operation, ms } of roundTrips.flat()) (byOperation[operation] ??= []).push(ms)
  return {
    signIns: SIGN_INS,
    whole: summarize(wholes),
    roundTrips: summarize(roundTrips.map((made) => made.reduce((sum, { ms }) => sum + ms, 0))),
    byOperation: Object.fromEntries(Object.entries(byOperation).map(([operation, durations]) => [operation, summarize(durations)])),
  }
}

/** Writes and reads back one object; fails if what comes back is not what was written. */
async function putAndGet(client: S3Client, Bucket: string, Key: string, body: Buffer): Promise<{ putMs: number; getMs: number }> {
  const put = await timed(() => client.send(new PutObjectCommand({ Bucket, Key, Body: body })))
  const get = await timed(async () => {
    const { Body } = await client.send(new GetObjectCommand({ Bucket, Key }))
    if (!Body) throw new Error(`bench: GetObject ${Key} returned no body`)
    return Body.transformToByteArray()
  })
  if (!body.equals(get.result)) throw new Error(`bench: GetObject ${Key} did not return the bytes written`)
  return { putMs: put.ms, getMs: get.ms }
}

async function measureS3Throughput(aws: LocalAws, browser: RiderBrowser, sub: string): Promise<S3Throughput[]> {
  const credentials = riderCredentials(aws, () => browser.idToken(), sub)
  const { identityId } = await credentials()
  const client = riderS3Client(aws, credentials)
  const prefix = `private/${identityId}/bench/`
  // Untimed: the client's first request also resolves the credentials (GetId, GetCredentialsForIdentity).
  await putAndGet(client, aws.config.bucket, `${prefix}warm-up`, randomBytes(OBJECTS[0]!.bytes))
  const results: S3Throughput[] = []
  for (const { bytes, repetitions } of OBJECTS) {
    const putRates: number[] = []
    const getRates: number[] = []
    for (let repetition = 0; repetition < repetitions; repetition += 1) {
      const { putMs, getMs } = await putAndGet(client, aws.config.bucket, `${prefix}${bytes}-${repetition}`, randomBytes(bytes))
      putRates.push(bytes / 1000 / putMs)
      getRates.push(bytes / 1000 / getMs)
    }
    results.push({ objectBytes: bytes, repetitions, putMBps: median(putRates), getMBps: median(getRates) })
  }
  client.destroy()
  return results
}

/**
 * Local AWS on its own (in-process, port 0, a temp data folder removed afterwards), driven by the official clients as
 * the app drives them: a rider registers, signs in {@link SIGN_INS} times with SRP (amazon-cognito-identity-js), then
 * with identity-pool credentials writes and reads back random objects in their `private/{identityId}/bench/` prefix.
 */
export async function measureLocalAws(): Promise<LocalAwsMeasurements> {
  // The SDK's notice that its releases after January 2027 need Node 22 (docs/aws-behaviour.md#exact-versions-on-node-20)
  // would only clutter the tables.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true'
  const { aws, stop } = await startScratchLocalAws()
  try {
    const browser = new RiderBrowser(aws)
    const rider = await registerRider(browser)
    const srpSignIn = await measureSrpSignIn(browser, rider.email, rider.password)
    const s3Throughput = await measureS3Throughput(aws, browser, rider.sub)
    return { srpSignIn, s3Throughput }
  } finally {
    await stop()
  }
}
