import { randomBytes, randomFillSync, randomUUID } from 'node:crypto'
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { mkdtemp, rm } from 'node:fs/promises'
import type { Server, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { performance } from 'node:perf_hooks'
import {
  AdminConfirmSignUpCommand, CognitoIdentityProviderClient, InitiateAuthCommand, RespondToAuthChallengeCommand, SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider'
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import S3rver from 's3rver'
import { createSrpSession, signSrpSession, wrapAuthChallenge, wrapInitiateAuth } from 'cognito-srp-helper'
import { createUser } from '../local-aws/cognito-idp/users.ts'
import type { LocalAws } from '../local-aws/index.ts'
import { startScratchLocalAws, startStandaloneLocalAws, type LocalAwsEndpoint } from '../tests/support/localAws.ts'
import { e164, newRider, registerRider, RiderBrowser, riderCredentials, riderS3Client, type Rider } from '../tests/support/riders.ts'

/** Sequential SRP sign-ins measured, after one that warms up both sides and is not counted. */
const SIGN_INS = 30
/**
 * Object sizes (1 MiB and 50 MiB) and how many of each are written and read back on each server, after a few that warm
 * both up. Each object is written and read on local AWS and on s3rver back to back, who goes first alternating, so
 * that a machine busier in one moment than the next weighs on both alike: in rounds of several objects per server,
 * the ratio of one run moved by ±0.3 on our machines. The sizes are measured one after the other, so that the
 * collection and the disk writeback a 50 MiB object sets off do not land in the next 1 MiB request's time.
 */
const OBJECTS = [
  { bytes: 1 << 20, repetitions: 300, warmUps: 10 },
  { bytes: 50 << 20, repetitions: 20, warmUps: 1 },
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

/** One server's medians over the repetitions of one object size. */
export interface S3Rates {
  /** 10⁶ bytes per second. */
  putMBps: number
  /** The whole body read; 10⁶ bytes per second. */
  getMBps: number
  /**
   * Where a request's time goes, in milliseconds: the whole request as the client saw it, and the server's part of it
   * (from its headers parsed to its last byte handed to the socket).
   */
  put: { wholeMs: number; serverMs: number }
  get: { wholeMs: number; serverMs: number }
}

export interface S3Throughput extends S3Rates {
  objectBytes: number
  /** Objects written and read back on each server. */
  repetitions: number
  /** s3rver (which checks no signature and no policy), measured alongside. */
  s3rver: S3Rates
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

/**
 * Writes and reads back one object; fails if what comes back is not what was written. The body is read as a stream and
 * compared piece by piece: gathered into one fresh array (`transformToByteArray`), a 50 MiB body cost the client more
 * in page faults on our machines than either server's share of the GET.
 */
async function putAndGet(client: S3Client, Bucket: string, Key: string, body: Buffer): Promise<{ putMs: number; getMs: number }> {
  const put = await timed(() => client.send(new PutObjectCommand({ Bucket, Key, Body: body })))
  const get = await timed(async () => {
    const { Body } = await client.send(new GetObjectCommand({ Bucket, Key }))
    if (!(Body instanceof Readable)) throw new Error(`bench: GetObject ${Key} returned no body stream`)
    let received = 0
    for await (const chunk of Body as AsyncIterable<Buffer>) {
      if (!chunk.equals(body.subarray(received, received + chunk.length))) throw new Error(`bench: GetObject ${Key} returned other bytes at ${received}`)
      received += chunk.length
    }
    if (received !== body.length) throw new Error(`bench: GetObject ${Key} returned ${received} of ${body.length} bytes`)
  })
  return { putMs: put.ms, getMs: get.ms }
}

/**
 * Each server's part of its requests, from its headers parsed to its last byte handed to the socket, by the server's
 * port: through Node's `http.server.*` diagnostics channels, so that neither server is changed to be measured.
 * https://nodejs.org/api/diagnostics_channel.html#http
 */
class ServerTimes {
  private readonly started = new WeakMap<ServerResponse, number>()
  private readonly byPort = new Map<number, number[]>()
  private readonly onStart = (message: unknown) => {
    this.started.set((message as { response: ServerResponse }).response, performance.now())
  }
  private readonly onFinish = (message: unknown) => {
    const { response, server } = message as { response: ServerResponse; server: Server }
    const started = this.started.get(response)
    if (started === undefined) return
    const port = (server.address() as AddressInfo).port
    const times = this.byPort.get(port) ?? []
    times.push(performance.now() - started)
    this.byPort.set(port, times)
  }

  constructor() {
    subscribe('http.server.request.start', this.onStart)
    subscribe('http.server.response.finish', this.onFinish)
  }

  /** The server's times for the requests it finished since last asked, in order. */
  take(port: number): number[] {
    const times = this.byPort.get(port) ?? []
    this.byPort.delete(port)
    return times
  }

  stop(): void {
    unsubscribe('http.server.request.start', this.onStart)
    unsubscribe('http.server.response.finish', this.onFinish)
  }
}

/** Durations of one kind of request, in milliseconds. */
interface RequestTimes {
  whole: number[]
  server: number[]
}

/** One S3 server under measurement: a client, where it may write, and the times measured so far by object size. */
interface S3Target {
  client: S3Client
  port: number
  bucket: string
  prefix: string
  times: Map<number, { put: RequestTimes; get: RequestTimes }>
}

async function measureObject(target: S3Target, serverTimes: ServerTimes, body: Buffer, repetition: number): Promise<void> {
  const times = target.times.get(body.length) ?? { put: { whole: [], server: [] }, get: { whole: [], server: [] } }
  target.times.set(body.length, times)
  serverTimes.take(target.port)
  const { putMs, getMs } = await putAndGet(target.client, target.bucket, `${target.prefix}${body.length}-${repetition}`, body)
  const served = serverTimes.take(target.port)
  if (served.length !== 2) throw new Error(`bench: ${served.length} requests reached port ${target.port} for one PUT and one GET`)
  times.put.whole.push(putMs)
  times.put.server.push(served[0]!)
  times.get.whole.push(getMs)
  times.get.server.push(served[1]!)
}

/** A server's medians for one object size. */
function ratesOf(times: { put: RequestTimes; get: RequestTimes }, bytes: number): S3Rates {
  const rate = (whole: number[]) => median(whole.map((ms) => bytes / 1000 / ms))
  const parts = ({ whole, server }: RequestTimes) => ({ wholeMs: median(whole), serverMs: median(server) })
  return { putMBps: rate(times.put.whole), getMBps: rate(times.get.whole), put: parts(times.put), get: parts(times.get) }
}

/** s3rver on a free port of 127.0.0.1 with a bucket of its own, in a temp folder removed by `stop()`. */
async function startS3rver(bucket: string): Promise<{ client: S3Client; port: number; stop: () => Promise<void> }> {
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
    port,
    stop: async () => {
      client.destroy()
      await server.close()
      await rm(directory, { recursive: true, force: true })
    },
  }
}

/**
 * Local AWS (a rider's identity-pool credentials, SigV4 and IAM checked) side by side with s3rver (which checks
 * neither), the same client settings for both, object by object, who goes first alternating, so that a busy machine
 * slows both alike.
 */
async function measureS3Throughput(aws: LocalAws, browser: RiderBrowser, sub: string): Promise<S3Throughput[]> {
  const credentials = riderCredentials(aws, () => browser.idToken(), sub)
  const { identityId } = await credentials()
  const local: S3Target = {
    client: riderS3Client(aws, credentials), port: Number(new URL(aws.url).port), bucket: aws.config.bucket, prefix: `protected/${identityId}/profile/bench/`, times: new Map(),
  }
  const s3rver = await startS3rver('bench')
  const other: S3Target = { client: s3rver.client, port: s3rver.port, bucket: 'bench', prefix: 'bench/', times: new Map() }
  const serverTimes = new ServerTimes()
  try {
    for (const { bytes, repetitions, warmUps } of OBJECTS) {
      // One body per size, refilled for each object: a fresh one would add page faults and collections to the timings.
      const body = randomBytes(bytes)
      // Untimed: the client's first request also resolves the credentials (GetId, GetCredentialsForIdentity).
      for (let warmUp = 0; warmUp < warmUps; warmUp += 1) {
        for (const target of [local, other]) await putAndGet(target.client, target.bucket, `${target.prefix}warm-up`, body)
      }
      for (let repetition = 0; repetition < repetitions; repetition += 1) {
        randomFillSync(body)
        for (const target of repetition % 2 === 0 ? [local, other] : [other, local]) await measureObject(target, serverTimes, body, repetition)
      }
    }
  } finally {
    serverTimes.stop()
    local.client.destroy()
    await s3rver.stop()
  }
  return OBJECTS.map(({ bytes, repetitions }) => ({
    objectBytes: bytes,
    repetitions,
    ...ratesOf(local.times.get(bytes)!, bytes),
    s3rver: ratesOf(other.times.get(bytes)!, bytes),
  }))
}

/**
 * Local AWS on its own (in-process, port 0, a temp data folder removed afterwards), driven by the official clients as
 * the app drives them: a rider registers, signs in {@link SIGN_INS} times with SRP (amazon-cognito-identity-js), then
 * with identity-pool credentials writes and reads back random objects under their `protected/{identityId}/profile/` prefix,
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

/** Riders already in the data folder while sign-ups and sign-ins are measured. */
const FOLDER_RIDERS = [100, 10_000]
/** Sign-up requests in flight at once, as a load test or a busy team would send them. */
const CONCURRENCY = 10
/**
 * Rounds that alternate between the folders, so that a machine busier in one moment than another weighs on both alike;
 * the first warms both sides up and is not counted.
 */
const FOLDER_ROUNDS = 6
/** Riders who sign up in each round, on each folder; some of them sign in next. */
const SIGN_UPS_PER_ROUND = 20
const SIGN_INS_PER_ROUND = 8
/** Riders seeded per change of the store: one journal line each. */
const SEED_BATCH = 500

export interface FolderSizeLatency {
  /** Riders in the folder before the measured ones signed up, each with a sign-in session. */
  riders: number
  /** `npm run local-aws` started on the folder until it answered: the journal read back (and tsx's start). */
  startMs: number
  /** SignUp, {@link CONCURRENCY} at a time. */
  signUp: Summary
  /**
   * An SRP sign-in's two round trips (InitiateAuth, RespondToAuthChallenge) together, one sign-in at a time: the
   * client's arithmetic runs in the bench's own thread, where it would hold up the timing of requests in flight.
   */
  signIn: Summary
}

/**
 * Fills a data folder with `riders` confirmed riders and a sign-in session each, through the user pool's store (as
 * sign-ups would leave them, minus the SRP arithmetic: they share one verifier, and never sign in).
 */
async function seedFolder(riders: number): Promise<{ dataDir: string; stop: () => Promise<void> }> {
  const { aws, dataDir, stop } = await startScratchLocalAws()
  const store = aws.context.userPoolDirectory.forPool(aws.config.userPoolId)!
  const now = Date.now()
  const template = createUser(store.pool, store.state, {
    signInName: 'seed@example.com',
    password: 'Seeded-rider-1',
    attributes: { name: 'Seeded rider', phone_number: '+14155550123' },
    status: 'CONFIRMED',
    now,
  })
  for (let first = 0; first < riders; first += SEED_BATCH) {
    store.update((draft) => {
      for (let number = first; number < Math.min(riders, first + SEED_BATCH); number++) {
        const username = randomUUID()
        draft.users[username] = { ...template, username, sub: username, attributes: { ...template.attributes, email: `seed-${number}@example.com` } }
        const originJti = randomUUID()
        draft.sessions[originJti] = {
          originJti, username, clientId: aws.config.userPoolClientId, refreshTokenHash: randomBytes(32).toString('base64url'),
          authTime: Math.floor(now / 1000), eventId: randomUUID(), expiresAt: now + 30 * 86_400_000, revoked: false,
        }
      }
    })
  }
  await aws.stop()
  return { dataDir, stop }
}

/** Runs `work` for each item, `concurrency` at a time. */
async function inParallel<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items]
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item)
  }))
}

/** One SRP sign-in by an independent client (cognito-srp-helper), its two round trips timed and added up. */
async function timedSrpSignIn(client: CognitoIdentityProviderClient, aws: LocalAwsEndpoint, rider: Rider): Promise<number> {
  const session = createSrpSession(rider.email, rider.password, aws.config.userPoolId, false)
  const ClientId = aws.config.userPoolClientId
  const initiated = await timed(() =>
    client.send(new InitiateAuthCommand(wrapInitiateAuth(session, { ClientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: rider.email } }))),
  )
  const signed = signSrpSession(session, initiated.result)
  const USERNAME = initiated.result.ChallengeParameters!.USERNAME!
  const answered = await timed(() =>
    client.send(
      new RespondToAuthChallengeCommand(wrapAuthChallenge(signed, { ClientId, ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses: { USERNAME } })),
    ),
  )
  if (!answered.result.AuthenticationResult?.IdToken) throw new Error(`bench: ${rider.email} got no tokens`)
  return initiated.ms + answered.ms
}

/** A seeded folder served by `npm run local-aws` in a process of its own, and what was measured on it. */
interface ServedFolder {
  riders: number
  startMs: number
  aws: LocalAwsEndpoint
  client: CognitoIdentityProviderClient
  admin: CognitoIdentityProviderClient
  signUps: number[]
  signIns: number[]
  stop: () => Promise<void>
}

async function serveFolder(riders: number): Promise<ServedFolder> {
  const folder = await seedFolder(riders)
  const started = performance.now()
  const standalone = await startStandaloneLocalAws(folder.dataDir).catch(async (error: unknown) => {
    await folder.stop()
    throw error
  })
  const startMs = performance.now() - started
  const aws = standalone.endpoint
  const client = new CognitoIdentityProviderClient({ region: aws.config.region, endpoint: aws.url, credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' } })
  const admin = new CognitoIdentityProviderClient({ region: aws.config.region, endpoint: aws.url, credentials: aws.config.administrator })
  const stop = async () => {
    client.destroy()
    admin.destroy()
    await standalone.stop()
    await folder.stop()
  }
  return { riders, startMs, aws, client, admin, signUps: [], signIns: [], stop }
}

/** One round on one folder: new riders sign up ({@link CONCURRENCY} at a time), are confirmed, and some sign in. */
async function measureFolderRound(folder: ServedFolder, isCounted: boolean): Promise<void> {
  const { aws, client, admin } = folder
  const newcomers = Array.from({ length: SIGN_UPS_PER_ROUND }, () => newRider())
  await inParallel(newcomers, CONCURRENCY, async (rider) => {
    const { ms } = await timed(() =>
      client.send(new SignUpCommand({
        ClientId: aws.config.userPoolClientId, Username: rider.email, Password: rider.password,
        UserAttributes: [{ Name: 'name', Value: rider.name }, { Name: 'phone_number', Value: e164(rider.phone) }],
      })),
    )
    if (isCounted) folder.signUps.push(ms)
  })
  const signingIn = newcomers.slice(0, SIGN_INS_PER_ROUND)
  await inParallel(signingIn, CONCURRENCY, (rider) => admin.send(new AdminConfirmSignUpCommand({ UserPoolId: aws.config.userPoolId, Username: rider.email })).then(() => {}))
  for (const rider of signingIn) {
    const ms = await timedSrpSignIn(client, aws, rider)
    if (isCounted) folder.signIns.push(ms)
  }
}

/**
 * Sign-up and sign-in latency on data folders of {@link FOLDER_RIDERS} riders, each served by `npm run local-aws` in a
 * process of its own, measured in alternating rounds: the cost of a change should not grow with the folder.
 */
export async function measureFolderSizes(): Promise<FolderSizeLatency[]> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true'
  const folders: ServedFolder[] = []
  try {
    for (const riders of FOLDER_RIDERS) folders.push(await serveFolder(riders))
    for (let round = 0; round < FOLDER_ROUNDS; round++) {
      for (const folder of folders) await measureFolderRound(folder, round > 0)
    }
    return folders.map(({ riders, startMs, signUps, signIns }) => ({ riders, startMs, signUp: summarize(signUps), signIn: summarize(signIns) }))
  } finally {
    for (const folder of folders) await folder.stop()
  }
}
