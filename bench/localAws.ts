import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import S3rver from 's3rver'
import type { LocalAws } from '../local-aws/index.ts'
import { startScratchLocalAws } from '../tests/support/localAws.ts'
import { registerRider, RiderBrowser, riderCredentials, riderS3Client } from '../tests/support/riders.ts'

/** Sequential SRP sign-ins measured, after one that warms up both sides and is not counted. */
const SIGN_INS = 30
/** Object sizes (1 MiB and 50 MiB) and how many of each are written and read back per round, on each server. */
const OBJECTS = [
  { bytes: 1 << 20, repetitions: 4 },
  { bytes: 50 << 20, repetitions: 1 },
]
/** Rounds of the S3 comparison: each runs local AWS and s3rver back to back, who goes first alternating. */
const S3_ROUNDS = 5

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
  /** Objects written and read back on each server, over every round. */
  repetitions: number
  /** Local AWS: median over the repetitions, 10⁶ bytes per second. */
  putMBps: number
  /** Local AWS: median over the repetitions, the whole body read; 10⁶ bytes per second. */
  getMBps: number
  /** s3rver (which checks no signature and no policy), measured in the same rounds. */
  s3rver: { putMBps: number; getMBps: number }
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

/** One S3 server under measurement: a client, where it may write, and the rates measured so far by object size. */
interface S3Target {
  client: S3Client
  bucket: string
  prefix: string
  rates: Map<number, { put: number[]; get: number[] }>
}

async function measureRound(target: S3Target, round: number): Promise<void> {
  for (const { bytes, repetitions } of OBJECTS) {
    const rates = target.rates.get(bytes) ?? { put: [], get: [] }
    target.rates.set(bytes, rates)
    for (let repetition = 0; repetition < repetitions; repetition += 1) {
      const { putMs, getMs } = await putAndGet(target.client, target.bucket, `${target.prefix}${bytes}-${round}-${repetition}`, randomBytes(bytes))
      rates.put.push(bytes / 1000 / putMs)
      rates.get.push(bytes / 1000 / getMs)
    }
  }
}

/** s3rver on a free port of 127.0.0.1 with a bucket of its own, in a temp folder removed by `stop()`. */
async function startS3rver(bucket: string): Promise<{ client: S3Client; stop: () => Promise<void> }> {
  const directory = await mkdtemp(join(tmpdir(), 'wild-rydes-s3rver-'))
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] })
  const { port } = await server.run()
  const client = new S3Client({
    region: 'us-east-1',
    endpoint: `http://127.0.0.1:${port}`,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  })
  return {
    client,
    stop: async () => {
      client.destroy()
      await server.close()
      await rm(directory, { recursive: true, force: true })
    },
  }
}

/**
 * Local AWS (a rider's identity-pool credentials, SigV4 and IAM checked) side by side with s3rver (which checks
 * neither), the same client settings for both, in alternating rounds so that a busy machine slows both alike.
 */
async function measureS3Throughput(aws: LocalAws, browser: RiderBrowser, sub: string): Promise<S3Throughput[]> {
  const credentials = riderCredentials(aws, () => browser.idToken(), sub)
  const { identityId } = await credentials()
  const local: S3Target = { client: riderS3Client(aws, credentials), bucket: aws.config.bucket, prefix: `private/${identityId}/bench/`, rates: new Map() }
  const s3rver = await startS3rver('bench')
  const other: S3Target = { client: s3rver.client, bucket: 'bench', prefix: 'bench/', rates: new Map() }
  try {
    // Untimed: the client's first request also resolves the credentials (GetId, GetCredentialsForIdentity).
    for (const target of [local, other]) await putAndGet(target.client, target.bucket, `${target.prefix}warm-up`, randomBytes(OBJECTS[0]!.bytes))
    for (let round = 0; round < S3_ROUNDS; round += 1) {
      for (const target of round % 2 === 0 ? [local, other] : [other, local]) await measureRound(target, round)
    }
  } finally {
    local.client.destroy()
    await s3rver.stop()
  }
  return OBJECTS.map(({ bytes, repetitions }) => {
    const ours = local.rates.get(bytes)!
    const theirs = other.rates.get(bytes)!
    return {
      objectBytes: bytes,
      repetitions: repetitions * S3_ROUNDS,
      putMBps: median(ours.put),
      getMBps: median(ours.get),
      s3rver: { putMBps: median(theirs.put), getMBps: median(theirs.get) },
    }
  })
}

/**
 * Local AWS on its own (in-process, port 0, a temp data folder removed afterwards), driven by the official clients as
 * the app drives them: a rider registers, signs in {@link SIGN_INS} times with SRP (amazon-cognito-identity-js), then
 * with identity-pool credentials writes and reads back random objects in their `private/{identityId}/bench/` prefix,
 * against s3rver in the same rounds.
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
