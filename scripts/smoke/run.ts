import { randomBytes } from 'node:crypto'
import { crc32, deflateSync } from 'node:zlib'
import { AdminConfirmSignUpCommand, AdminDeleteUserCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider'
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3'
import { getSignedUrl } from '@aws-sdk/s3-request-presigner'
import { openJournal, type JournalEntries } from './journal.ts'
import { CannotRun, CheckFailure, Interrupted, Report } from './report.ts'
import { createRiderApps, type RiderApp } from './riderApp.ts'

/** A deployed stack (or local AWS) as the smoke check sees it. */
export interface SmokeTarget {
  /** e.g. `stack wild-rydes (us-east-1)`. */
  description: string
  /** The `VITE_*` values the deployed app was built with. */
  viteEnv: Record<string, string>
  siteUrl: string
  /** Clients with the deployer's credentials (on local AWS, its administrator's), for the administrative steps only. */
  admin: { cognito: CognitoIdentityProviderClient; s3: S3Client }
}

export interface SmokeOptions {
  /** Where runs record what they create (see journal.ts). */
  journalDir: string
  log?: (line: string) => void
  /** Aborted on Ctrl-C: the running check stops and the clean-up runs. */
  signal?: AbortSignal
  /** Waits between attempts of a call that eventual consistency refused; {@link SETTLING_DELAYS_MS} by default. */
  settlingDelaysMs?: readonly number[]
}

/**
 * Refusals a new stack gives while IAM and the identity pool's role attachment propagate, for calls that succeed once
 * they have (docs/aws-behaviour.md#a-new-stack-settles-for-a-few-seconds).
 */
const SETTLING_ERRORS = new Set(['InvalidIdentityPoolConfigurationException', 'AccessDenied', 'AccessDeniedException'])

/** 1 + 2 + 4 + 8 + 16 s: about half a minute, longer than IAM usually takes to settle. */
export const SETTLING_DELAYS_MS = [1000, 2000, 4000, 8000, 16_000] as const

/**
 * Runs a call that a stack still settling can refuse, again after each delay while it is refused that way, saying that
 * it waits. Any other failure, and the last refusal, is thrown as it is.
 */
export async function whenSettled<T>(
  what: string,
  call: () => Promise<T>,
  { delaysMs = SETTLING_DELAYS_MS, log, sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)) }: {
    delaysMs?: readonly number[]
    log: (line: string) => void
    sleep?: (ms: number) => Promise<void>
  },
): Promise<T> {
  for (const delay of delaysMs) {
    try {
      return await call()
    } catch (error) {
      const name = (error as Error).name
      if (!SETTLING_ERRORS.has(name)) throw error
      log(`  … ${what} refused with ${name}: waiting ${delay / 1000} s for the new stack's roles to settle`)
      await sleep(delay)
    }
  }
  return call()
}

/** Headers the SDK's S3 client sends from a browser on a signed PUT (docs/aws-behaviour.md#bucket-cors-for-the-sdk). */
const SDK_HEADERS = ['amz-sdk-invocation-id', 'amz-sdk-request', 'content-type', 'x-amz-content-sha256', 'x-amz-date', 'x-amz-security-token', 'x-amz-user-agent']

/** Errors that mean the deployer's credentials cannot do a step, rather than that the stack is wrong. */
const PERMISSION_ERRORS = new Set(['AccessDeniedException', 'AccessDenied', 'UnrecognizedClientException', 'InvalidClientTokenId', 'InvalidAccessKeyId',
  'ExpiredTokenException', 'ExpiredToken', 'SignatureDoesNotMatch', 'InvalidSignatureException', 'CredentialsProviderError'])

/** An administrative call, whose permission failure says which IAM action the deployer lacks. */
export async function asDeployer<T>(action: string, call: Promise<T>): Promise<T> {
  try {
    return await call
  } catch (error) {
    const name = (error as Error).name
    if (name === 'CredentialsProviderError') throw new CannotRun('no AWS credentials found (aws configure, aws sso login or AWS_PROFILE)')
    if (PERMISSION_ERRORS.has(name)) throw new CannotRun(`the deployer's credentials lack ${action} (${name})`)
    throw error
  }
}

export function expect(condition: boolean, failure: string): asserts condition {
  if (!condition) throw new CheckFailure(failure)
}

/** Expects an S3 call to be refused with AccessDenied, as the rider role's policy must. */
async function expectAccessDenied(call: Promise<unknown>): Promise<void> {
  const outcome = await call.then(
    () => 'it succeeded',
    (error: unknown) => ((error as Error).name === 'AccessDenied' ? undefined : `${(error as Error).name}: ${(error as Error).message}`),
  )
  if (outcome) throw new CheckFailure(`expected AccessDenied, ${outcome}`)
}

/**
 * A photo as the app uploads one (a JPEG: the app stores only what it encodes, WebP or JPEG), different on every run:
 * an 8×8 grey baseline JPEG, built by hand as no encoder runs in Node here, with random bytes in a comment segment.
 */
function generateJpeg(): Uint8Array {
  const segment = (marker: number, data: Buffer) => {
    const length = Buffer.alloc(2)
    length.writeUInt16BE(data.length + 2)
    return Buffer.concat([Buffer.from([0xff, marker]), length, data])
  }
  // One Huffman table of one 1-bit code: DC difference 0 (DC) and end of block (AC).
  const oneCodeTable = (tableClass: number) => Buffer.from([tableClass << 4, 1, ...Array<number>(15).fill(0), 0])
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0xff, 0xd8]), // SOI
      segment(0xdb, Buffer.from([0, ...Array<number>(64).fill(1)])), // DQT 0: all ones
      segment(0xc0, Buffer.from([8, 0, 8, 0, 8, 1, 1, 0x11, 0])), // SOF0: 8 bits, 8×8, one component
      segment(0xc4, oneCodeTable(0)),
      segment(0xc4, oneCodeTable(1)),
      segment(0xfe, randomBytes(16)), // COM: what makes this run's photo its own
      segment(0xda, Buffer.from([1, 1, 0, 0, 63, 0])), // SOS
      Buffer.from([0b0011_1111]), // DC 0, end of block, padded with ones
      Buffer.from([0xff, 0xd9]), // EOI
    ]),
  )
}

/** A small PNG of random pixels: a real image, different on every run. */
export function generatePng(size: number): Uint8Array {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
    const length = Buffer.alloc(4)
    length.writeUInt32BE(data.length)
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(body))
    return Buffer.concat([length, body, crc])
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(size, 0)
  header.writeUInt32BE(size, 4)
  header.set([8, 2, 0, 0, 0], 8) // 8-bit RGB, no interlace
  const rows = Array.from({ length: size }, () => Buffer.concat([Buffer.from([0]), randomBytes(size * 3)]))
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', header),
      chunk('IDAT', deflateSync(Buffer.concat(rows))),
      chunk('IEND', Buffer.alloc(0)),
    ]),
  )
}

async function fetchBytes(url: string): Promise<Uint8Array> {
  const response = await fetch(url)
  expect(response.ok, `GET answered ${response.status}`)
  return new Uint8Array(await response.arrayBuffer())
}

function isSameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a).equals(Buffer.from(b))
}

/** A password the pool's policy accepts, never printed. */
export function riderPassword(minimumLength: number): string {
  const random = randomBytes(Math.max(16, minimumLength)).toString('base64url')
  return `Sm0ke-${random}-aA1`
}

/**
 * Deletes what a run recorded: the objects under its riders' prefixes and its single keys (listed first, so the count
 * is what existed), then its riders (AdminDeleteUser; one already gone counts as deleted).
 */
async function cleanUp(entries: JournalEntries, target: SmokeTarget): Promise<{ objects: number; riders: number }> {
  const { cognito, s3 } = target.admin
  const bucket = target.viteEnv.VITE_PHOTO_BUCKET!
  let objects = 0
  for (const prefix of [...entries.prefixes, ...entries.keys]) {
    let token: string | undefined
    do {
      const page = await asDeployer('s3:ListBucket on the photo bucket', s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token })))
      for (const { Key } of page.Contents ?? []) {
        if (!Key || (entries.keys.includes(prefix) && Key !== prefix)) continue
        await asDeployer('s3:DeleteObject on the photo bucket', s3.send(new DeleteObjectCommand({ Bucket: bucket, Key })))
        objects++
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined
    } while (token)
  }
  for (const email of entries.riders) {
    try {
      await asDeployer('cognito-idp:AdminDeleteUser', cognito.send(new AdminDeleteUserCommand({ UserPoolId: target.viteEnv.VITE_USER_POOL_ID, Username: email })))
    } catch (error) {
      if ((error as Error).name !== 'UserNotFoundException') throw error
    }
  }
  return { objects, riders: entries.riders.length }
}

/** The bucket URL the SDK addresses an object at (path-style only with a custom endpoint, as the app's client does). */
export async function objectUrl(target: SmokeTarget, key: string): Promise<string> {
  const signed = new URL(await getSignedUrl(target.admin.s3, new GetObjectCommand({ Bucket: target.viteEnv.VITE_PHOTO_BUCKET, Key: key }), { expiresIn: 60 }))
  return `${signed.origin}${signed.pathname}`
}

async function preflight(url: string, origin: string): Promise<Response> {
  return fetch(url, {
    method: 'OPTIONS',
    headers: { Origin: origin, 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': SDK_HEADERS.join(',') },
  })
}

/** Security headers the template's response headers policy sets on every response of the site. */
function missingSecurityHeaders(headers: Headers): string[] {
  const csp = headers.get('content-security-policy') ?? ''
  const expected: [string, boolean][] = [
    ["content-security-policy with default-src 'none'", csp.includes("default-src 'none'")],
    ["content-security-policy with frame-ancestors 'none'", csp.includes("frame-ancestors 'none'")],
    ['strict-transport-security', (headers.get('strict-transport-security') ?? '').includes('max-age=')],
    ['x-content-type-options: nosniff', headers.get('x-content-type-options') === 'nosniff'],
    ['x-frame-options: DENY', headers.get('x-frame-options') === 'DENY'],
    ['referrer-policy', headers.has('referrer-policy')],
  ]
  return expected.filter(([, isPresent]) => !isPresent).map(([name]) => name)
}

/**
 * What every smoke run starts with: a report that stops at Ctrl-C, the stack's values, an id for this run and the
 * journal of what it creates (with what killed runs left behind).
 */
export function startRun(target: SmokeTarget, { journalDir, log = console.log, signal }: Pick<SmokeOptions, 'journalDir' | 'log' | 'signal'>) {
  const interrupted = new Promise<never>((_, reject) => {
    if (signal?.aborted) reject(new Interrupted())
    signal?.addEventListener('abort', () => reject(new Interrupted()), { once: true })
  })
  interrupted.catch(() => {})
  const env = target.viteEnv
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`
  return { report: new Report(log, interrupted), env, runId, ...openJournal(journalDir, env.VITE_USER_POOL_ID!, runId) }
}

/**
 * Walks two throwaway riders through the deployed stack with the app's own code, checks that each is kept to their
 * own photos, that the bucket's CORS and the site's hosting are as the template says, and cleans up — also after a
 * failure or Ctrl-C, and what an earlier run killed before its clean-up left behind.
 * @returns whether every check passed
 */
export async function runSmoke(target: SmokeTarget, { journalDir, log = console.log, signal, settlingDelaysMs }: SmokeOptions): Promise<boolean> {
  const { report, env, runId, journal, leftovers } = startRun(target, { journalDir, log, signal })
  log(`Smoke check of ${target.description}, site ${target.siteUrl}`)

  for (const leftover of leftovers) {
    const { riders, prefixes } = leftover.entries
    await report.check(`leftovers of an interrupted run removed (${riders.length} riders, ${prefixes.length} photo prefixes)`, async () => {
      await cleanUp(leftover.entries, target)
      leftover.remove()
    })
  }

  // Mailbox simulator addresses: Cognito's sign-up email goes nowhere and bounces nothing.
  // https://docs.aws.amazon.com/ses/latest/dg/send-an-email-from-console.html
  const email = (label: string) => `success+wild-rydes-smoke-${runId}-${label}@simulator.amazonses.com`
  const minimumLength = (JSON.parse(env.VITE_PASSWORD_POLICY ?? '{}') as { minimumLength?: number }).minimumLength ?? 8
  const riders = ['a', 'b'].map((label) => ({ label: label.toUpperCase(), email: email(label), password: riderPassword(minimumLength) }))
  const apps = await createRiderApps(env)
  const app: Record<string, RiderApp> = {}
  const identityIds: Record<string, string> = {}
  const photo = generateJpeg()
  let photoKey = ''

  try {
    const signedUp = await report.check('riders A and B sign up (SignUp)', async () => {
      for (const rider of riders) {
        journal.add('riders', rider.email)
        app[rider.label] = await apps.newRider()
        const outcome = await app[rider.label]!.act((own) =>
          own.userPool.signUp({ email: rider.email, password: rider.password, phoneNumber: '+15555550100', name: `Smoke ${rider.label}` }),
        )
        expect(!outcome.isConfirmed, 'the pool confirmed the rider without a code')
      }
    })
    const confirmed = await report.check(
      'the deployer confirms them (AdminConfirmSignUp)',
      async () => {
        for (const rider of riders) {
          await asDeployer('cognito-idp:AdminConfirmSignUp', target.admin.cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: env.VITE_USER_POOL_ID, Username: rider.email })))
        }
      },
      signedUp ? undefined : 'the sign-ups',
    )
    const signedIn = await report.check(
      'they sign in with SRP (InitiateAuth, RespondToAuthChallenge)',
      async () => {
        for (const rider of riders) {
          const outcome = await app[rider.label]!.act((own) => own.userPool.signIn(rider.email, rider.password))
          expect(outcome.kind === 'signedIn', `rider ${rider.label}: sign-in answered ${outcome.kind}`)
        }
      },
      confirmed ? undefined : 'confirmed riders',
    )
    const hasCredentials = await report.check(
      'each gets identity-pool credentials of their own (GetId, GetCredentialsForIdentity)',
      async () => {
        for (const rider of riders) {
          const identityId = await whenSettled(`rider ${rider.label}'s credentials`, () => app[rider.label]!.act(async (own) => (await own.credentials.getRiderCredentials()).identityId()), {
            delaysMs: settlingDelaysMs,
            log,
          })
          expect(new RegExp(`^${env.VITE_AWS_REGION}:[0-9a-f-]{36}$`).test(identityId), `rider ${rider.label}: identity id ${identityId} is not region:uuid`)
          identityIds[rider.label] = identityId
          // Recorded before any write under it, so an interrupted run's objects are found.
          journal.add('prefixes', `protected/${identityId}/`)
        }
        expect(identityIds.A !== identityIds.B, 'both riders got the same identity id')
      },
      signedIn ? undefined : 'signed-in riders',
    )
    const uploaded = await report.check(
      "A uploads a photo to protected/{identityId}/profile/; `picture` names it in A's refreshed ID token",
      async () => {
        let refreshedPicture: string | undefined
        photoKey = await whenSettled(
          "A's upload",
          () =>
            app.A!.act((own) =>
              own.photoWrites.replacePhoto(
                { blob: photo, type: 'image/jpeg', extension: 'jpg' },
                { refreshSession: async () => void (refreshedPicture = (await own.tokens.refreshSession()).picture) },
              ),
            ),
          { delaysMs: settlingDelaysMs, log },
        )
        expect(photoKey.startsWith(`protected/${identityIds.A}/profile/`), `the photo went to ${photoKey}`)
        expect(refreshedPicture === photoKey, `the refreshed ID token's picture is ${String(refreshedPicture)}, not ${photoKey}`)
      },
      hasCredentials ? undefined : 'credentials',
    )
    const readA = async (rider: RiderApp) => fetchBytes((await rider.act((own) => own.photoUrl.getPhotoUrl(photoKey))).url)
    const needsPhoto = uploaded ? undefined : "A's photo"
    await report.check('A reads it back through a presigned GET: the same bytes', async () => expect(isSameBytes(await readA(app.A!), photo), 'the bytes differ'), needsPhoto)
    await report.check("B reads A's photo (protected/ is readable by signed-in riders)", async () => expect(isSameBytes(await readA(app.B!), photo), 'the bytes differ'), needsPhoto)
    await report.check(
      "B's overwrite of A's photo is refused (AccessDenied)",
      () => app.B!.act((own) => expectAccessDenied(own.s3.putObject(photoKey, generateJpeg(), 'image/jpeg'))),
      needsPhoto,
    )
    await report.check(
      "B's delete of A's photo is refused (AccessDenied) and the photo is unchanged",
      async () => {
        await app.B!.act((own) => expectAccessDenied(own.s3.deleteObject(photoKey)))
        expect(isSameBytes(await readA(app.B!), photo), "A's photo changed")
      },
      needsPhoto,
    )
    const needsCredentials = hasCredentials ? undefined : 'credentials'
    await report.check(
      'a rider cannot write public/ (AccessDenied)',
      async () => {
        const key = `public/wild-rydes-smoke-${runId}.jpg`
        journal.add('keys', key)
        await app.B!.act((own) => expectAccessDenied(own.s3.putObject(key, generateJpeg(), 'image/jpeg')))
      },
      needsCredentials,
    )
    await report.check('a rider cannot list the bucket root (AccessDenied)', () => app.B!.act((own) => expectAccessDenied(own.s3.listObjectKeys(''))), needsCredentials)

    const siteOrigin = new URL(target.siteUrl).origin
    await report.check(`CORS: a preflight from the site (${siteOrigin}) with the SDK's headers is allowed`, async () => {
      const response = await preflight(await objectUrl(target, `protected/${env.VITE_AWS_REGION}:smoke/profile/x.png`), siteOrigin)
      expect(response.ok, `the preflight answered ${response.status}`)
      expect(response.headers.get('access-control-allow-origin') === siteOrigin, `Access-Control-Allow-Origin is ${String(response.headers.get('access-control-allow-origin'))}`)
      const allowed = (response.headers.get('access-control-allow-headers') ?? '').toLowerCase().split(/\s*,\s*/)
      const refused = allowed.includes('*') ? [] : SDK_HEADERS.filter((header) => !allowed.includes(header))
      expect(refused.length === 0, `headers not allowed: ${refused.join(', ')}`)
    })
    await report.check('CORS: a preflight from another origin is refused', async () => {
      const response = await preflight(await objectUrl(target, `protected/${env.VITE_AWS_REGION}:smoke/profile/x.png`), 'https://wild-rydes-smoke.invalid')
      expect(!response.headers.has('access-control-allow-origin'), `allowed, with status ${response.status}`)
    })

    let indexHtml = ''
    await report.check('hosting: the site serves index.html with the CSP and security headers', async () => {
      const response = await fetch(target.siteUrl)
      indexHtml = await response.text()
      expect(response.status === 200 && (response.headers.get('content-type') ?? '').startsWith('text/html'), `GET / answered ${response.status} ${String(response.headers.get('content-type'))}`)
      expect(indexHtml.includes('<div id="app"'), 'GET / is not the app')
      const missing = missingSecurityHeaders(response.headers)
      expect(missing.length === 0, `missing: ${missing.join('; ')}`)
    })
    await report.check('hosting: an app route (/profile) falls back to index.html', async () => {
      const response = await fetch(new URL('/profile', target.siteUrl))
      expect(response.status === 200, `GET /profile answered ${response.status}`)
      expect((await response.text()) === indexHtml, 'GET /profile is not index.html')
    })
    await report.check('hosting: a hashed asset is cached as immutable', async () => {
      const asset = /(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/.exec(indexHtml)?.[1]
      expect(asset !== undefined, 'index.html names no /assets/ file')
      const response = await fetch(new URL(asset, target.siteUrl))
      const cacheControl = response.headers.get('cache-control') ?? ''
      expect(response.status === 200, `GET ${asset} answered ${response.status}`)
      expect(cacheControl.includes('immutable') && /max-age=31536000/.test(cacheControl), `Cache-Control of ${asset} is "${cacheControl}"`)
    })
    await report.check('hosting: a missing asset is a 404, not the app', async () => {
      const response = await fetch(new URL(`/assets/wild-rydes-smoke-${runId}.js`, target.siteUrl))
      expect(response.status === 404, `answered ${response.status}`)
    })
  } catch (error) {
    if (!(error instanceof Interrupted)) throw error
  } finally {
    await apps.close()
    await cleanUpRun('clean-up: the photos, then both riders (AdminDeleteUser)', { report, journal, target, log })
  }
  log(report.summary())
  return report.isSuccess && !signal?.aborted
}

/**
 * Deletes what the run recorded in its journal, as the run's last check. Not interruptible: a second Ctrl-C exits at
 * once, and the journal leaves it to the next run.
 */
export async function cleanUpRun(
  title: string,
  { report, journal, target, log }: { report: Report; journal: ReturnType<typeof openJournal>['journal']; target: SmokeTarget; log: (line: string) => void },
): Promise<void> {
  const cleanUpReport = new Report(log, new Promise<never>(() => {}))
  let removed: { objects: number; riders: number } | undefined
  await cleanUpReport.check(title, async () => {
    removed = await cleanUp(journal.entries, target)
    journal.remove()
  })
  if (removed) log(`  deleted: ${removed.objects} object(s), ${removed.riders} rider(s)`)
  else if (Object.values(journal.entries).some((recorded) => Array.isArray(recorded) && recorded.length > 0)) {
    journal.release()
    log(`  left for the next run to clean up: recorded in ${journal.path}`)
  }
  report.results.push(...cleanUpReport.results)
}
