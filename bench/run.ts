import { execFileSync } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { startAppStack } from '../tests/support/appStack.ts'
import { CHROMIUM_INSTALL_HINT, findChromium, launchChromium } from '../tests/support/chromium.ts'
import { measureFolderSizes, measureLocalAws, median, type FolderSizeLatency, type Summary } from './localAws.ts'
import { measureProfilePhoto, PHONE, RUNS as PHONE_RUNS, type ProfilePhotoResult } from './profilePhoto.ts'
import { measureRiderJourney, type Outcome } from './riderJourney.ts'
import { measureShippedJs, returningRiderStorage, type ShippedJs } from './shippedJs.ts'

/**
 * The budget (docs/contributing.md#benchmarks): the first load of `/` ships at most 42 KiB of gzipped JavaScript: what the page waits for before it shows,
 * for a new visitor and for a returning rider (whose session is restored in the background once the page shows).
 */
const FIRST_LOAD_BUDGET = { path: '/', gzipBytes: 42 * 1024 }
/**
 * A returning rider's `/profile` with a photo: the page's scripts until the network is idle; from reload to photo
 * shown, at most two calls to AWS (CORS preflights apart) and 2.5 s on the phone profile (median). The upload code
 * (the S3 client, ~39 KiB) is shown beside the page's, not in it: it is prefetched once the photo shows, at idle, so
 * that an upload does not wait for it, and a rider who only looks never runs it.
 */
const PROFILE_BUDGET = { gzipBytesUntilIdle: 140 * 1024, awsCallsToPhoto: 2, phonePhotoShownMs: 2500 }
/** What kind of budget each one is, how much it varies between runs, and whether `npm test` checks it too. */
const BUDGET_KINDS = [
  { budget: '(a) / before shown ≤ 42 KiB gzipped', kind: 'bytes', noise: 'none', checkedBy: 'npm test (tests/e2e/bundleBudgets.spec.ts)' },
  { budget: '(f) /profile JS until idle ≤ 140 KiB gzipped', kind: 'bytes', noise: 'none', checkedBy: 'npm test: the photo’s chunks ≤ 130 KiB, ≤ 6 scripts' },
  { budget: '(f) reload → photo ≤ 2 AWS calls', kind: 'count', noise: 'none', checkedBy: 'the bench only' },
  {
    budget: '(f) reload → photo ≤ 2.5 s on the phone profile',
    kind: `time (median of ${PHONE_RUNS})`,
    noise: 'single loads ±0.2 s quiet, ±1 s and more on a busy machine: see min–max',
    checkedBy: 'the bench only',
  },
]
/** The app's routes (src/router/routes.ts; that module is browser code, so it is listed here rather than imported). */
const ROUTE_PATHS = ['/', '/sign-up', '/confirm', '/sign-in', '/forgot-password', '/profile']
const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url))

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`
}

function milliseconds({ meanMs, medianMs, p95Ms }: Summary): string[] {
  return [meanMs, medianMs, p95Ms].map((ms) => `${ms.toFixed(1)} ms`)
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)))
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd()
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n')
}

function isOverBudget({ path, gzipBytesBeforeShown }: ShippedJs): boolean {
  return path === FIRST_LOAD_BUDGET.path && gzipBytesBeforeShown > FIRST_LOAD_BUDGET.gzipBytes
}

const PREFLIGHT = 'CORS preflight'

/** Requests to AWS, preflights apart: a preflight is a round trip but no call (the browser sends it, never the app). */
function requestCount(calls: Record<string, number>): { calls: number; preflights: number } {
  const preflights = calls[PREFLIGHT] ?? 0
  return { calls: Object.values(calls).reduce((sum, count) => sum + count, 0) - preflights, preflights }
}

function describeCount(calls: Record<string, number>): string {
  const { calls: count, preflights } = requestCount(calls)
  return `${count} + ${preflights} preflight${preflights === 1 ? '' : 's'}`
}

function describeCalls(calls: Record<string, number>): string {
  return Object.entries(calls)
    .filter(([label]) => label !== PREFLIGHT)
    .map(([label, count]) => (count > 1 ? `${count}× ${label}` : label))
    .join(', ')
}

/** What of the /profile budget each reload variant exceeds. */
function profileOverBudget({ variants }: ProfilePhotoResult): string[] {
  return variants.flatMap(({ name, visit, phoneMs }) => [
    ...(visit.gzipBytes > PROFILE_BUDGET.gzipBytesUntilIdle ? [`${name}: JS until idle`] : []),
    ...(requestCount(visit.callsBeforeShown).calls > PROFILE_BUDGET.awsCallsToPhoto ? [`${name}: AWS calls`] : []),
    ...(median(phoneMs) > PROFILE_BUDGET.phonePhotoShownMs ? [`${name}: time on the phone`] : []),
  ])
}

/** (f): whether a change costs the same on a large data folder; the goal is within 1.5× of the small one. */
function printFolderSizes(folderSizes: FolderSizeLatency[]): void {
  const [small, large] = folderSizes
  console.log(`\n(h) Local AWS with riders in its data folder (its own process; sign-ups 10 at a time, sign-ins one at a time; alternating rounds): mean / median / p95\n`)
  console.log(
    table(
      ['riders in the folder', 'start', 'SignUp', 'SRP sign-in (both round trips)'],
      folderSizes.map(({ riders, startMs, signUp, signIn }) => [
        riders.toLocaleString('en-US'), `${startMs.toFixed(0)} ms`, milliseconds(signUp).join(' / '), milliseconds(signIn).join(' / '),
      ]),
    ),
  )
  if (small && large) {
    const ratio = (pick: (latency: FolderSizeLatency) => Summary) => (pick(large).medianMs / pick(small).medianMs).toFixed(2)
    console.log(`\nmedian ${large.riders.toLocaleString('en-US')} ÷ ${small.riders}: sign-up ${ratio((latency) => latency.signUp)}×, sign-in ${ratio((latency) => latency.signIn)}× (goal ≤ 1.5×)`)
  }
}

function printProfilePhoto(result: ProfilePhotoResult): void {
  const phone = `${PHONE.cpuSlowdown}× CPU, ${PHONE.downloadBitsPerSecond / 1e6} Mbps down, ${PHONE.roundTripMs} ms RTT`
  console.log(`\n(f) A returning rider on /profile with a photo (empty HTTP cache). Phone profile: ${phone}; median of ${result.variants[0]?.phoneMs.length ?? 0}\n`)
  const over = new Set(profileOverBudget(result))
  console.log(
    table(
      ['visit', 'JS before photo shown', 'JS until idle', '+ upload code prefetched', 'AWS calls → photo', 'photo shown (phone)', 'min–max', 'runs', 'budget'],
      result.variants.map(({ name, visit, phoneMs }) => [
        name,
        kib(visit.gzipBytesBeforeShown),
        kib(visit.gzipBytes),
        kib(visit.gzipBytesUploadCode),
        `${describeCount(visit.callsBeforeShown)}: ${describeCalls(visit.callsBeforeShown)}`,
        `${(median(phoneMs) / 1000).toFixed(2)} s`,
        `${(Math.min(...phoneMs) / 1000).toFixed(2)}–${(Math.max(...phoneMs) / 1000).toFixed(2)} s`,
        phoneMs.map((ms) => (ms / 1000).toFixed(2)).join(' / '),
        [...over].some((entry) => entry.startsWith(`${name}:`))
          ? `OVER BUDGET (${[...over].filter((entry) => entry.startsWith(`${name}:`)).map((entry) => entry.split(': ')[1]).join(', ')})`
          : `ok (idle ≤ ${kib(PROFILE_BUDGET.gzipBytesUntilIdle)}, ≤ ${PROFILE_BUDGET.awsCallsToPhoto} calls, ≤ ${PROFILE_BUDGET.phonePhotoShownMs / 1000} s)`,
      ]),
    ),
  )
  console.log('\n(g) Uploading a photo right after /profile settled, on the phone profile: from the file chosen to the PUT\'s first byte\n')
  console.log(
    table(
      ['run', 'file chosen → first byte sent', 'scripts fetched before the PUT', 'AWS calls'],
      result.uploads.map((upload, index) => [
        String(index + 1),
        `${(upload.toFirstByteMs / 1000).toFixed(2)} s`,
        String(upload.scriptsBeforePut),
        `${describeCount(upload.calls)}: ${describeCalls(upload.calls)}`,
      ]),
    ),
  )
}

function describeMissing(outcome: Exclude<Outcome<unknown>, { value: unknown }>): string {
  return 'notAvailableYet' in outcome ? `not available yet: ${outcome.notAvailableYet}` : `FAILED: ${outcome.failed}`
}

function currentCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  } catch {
    return 'unknown'
  }
}

const executablePath = findChromium()
if (!executablePath) {
  console.error(`bench: Chromium is needed to measure what a browser loads. Install it: ${CHROMIUM_INSTALL_HINT}`)
  process.exit(1)
}

// First, while nothing else of the bench runs: timings, unlike byte and request counts, suffer from a busy machine.
console.log('Measuring local AWS on its own (SRP sign-ins, S3 throughput)…')
const localAws = await measureLocalAws()
console.log('Measuring sign-up and sign-in on data folders of 100 and 10,000 riders…')
const folderSizes = await measureFolderSizes()

console.log('Building the app against a fresh local AWS…')
const stack = await startAppStack()
const browser = await launchChromium(executablePath)
try {
  const shippedJs = []
  for (const path of ROUTE_PATHS) shippedJs.push(await measureShippedJs(browser, stack.appUrl, path))
  const returningRider = await returningRiderStorage(browser, stack.appUrl, stack.awsUrl)
  shippedJs.push(await measureShippedJs(browser, stack.appUrl, FIRST_LOAD_BUDGET.path, returningRider))
  const journey = await measureRiderJourney(browser, stack)
  const profilePhoto = await measureProfilePhoto(browser, stack)

  console.log('\n(a) JavaScript shipped (empty cache; gzip level 6): before the page showed its heading, and until the network was idle\n')
  console.log(
    table(
      ['route', 'visitor', 'landed on', 'files', 'raw', 'gzipped', 'before shown', 'budget'],
      shippedJs.map((measured) => [
        measured.path,
        measured.visitor,
        measured.landedOn === measured.path ? '' : measured.landedOn,
        String(measured.files.length),
        kib(measured.bytes),
        kib(measured.gzipBytes),
        kib(measured.gzipBytesBeforeShown),
        measured.path === FIRST_LOAD_BUDGET.path
          ? `${isOverBudget(measured) ? 'OVER BUDGET' : 'ok'} (before shown ≤ ${kib(FIRST_LOAD_BUDGET.gzipBytes)})`
          : '',
      ]),
    ),
  )

  console.log('\n(b) Requests to AWS per phase of a new rider\'s journey (preflights are round trips too)\n')
  const callRows = journey.phases.flatMap(({ phase, outcome }) => {
    if (!('value' in outcome)) return [[phase, describeMissing(outcome), '']]
    const entries = Object.entries(outcome.value)
    const total = entries.reduce((sum, [, count]) => sum + count, 0)
    return [[phase, 'total', String(total)], ...entries.map(([label, count]) => ['', label, String(count)])]
  })
  console.log(table(['phase', 'request', 'count'], callRows))

  console.log('\n(c) Bytes uploaded per photo\n')
  if ('value' in journey.photo) {
    const { width, height, originalBytes, uploadedBytes } = journey.photo.value
    console.log(
      table(
        ['photo', 'original', 'uploaded (PUT bodies)', 'ratio'],
        [[`${width} × ${height} JPEG with GPS EXIF`, kib(originalBytes), kib(uploadedBytes), `${((100 * uploadedBytes) / originalBytes).toFixed(1)} %`]],
      ),
    )
  } else {
    console.log(describeMissing(journey.photo))
  }

  printProfilePhoto(profilePhoto)

  const { srpSignIn, s3Throughput } = localAws
  console.log(`\n(d) SRP sign-in on local AWS from Node (amazon-cognito-identity-js): ${srpSignIn.signIns} sequential sign-ins after one warm-up\n`)
  console.log(
    table(
      ['measured', 'mean', 'median', 'p95'],
      [
        ['whole sign-in (authenticateUser → onSuccess)', ...milliseconds(srpSignIn.whole)],
        ['server share: both HTTP round trips', ...milliseconds(srpSignIn.roundTrips)],
        ...Object.entries(srpSignIn.byOperation).map(([operation, summary]) => [`  ${operation}`, ...milliseconds(summary)]),
      ],
    ),
  )

  console.log('\n(e) S3 on local AWS (official S3Client, identity-pool credentials, SigV4 and IAM checked) beside s3rver (no checks), object by object, who goes first alternating: medians, MB/s, ratio local ÷ s3rver (goal ≥ 1.2)\n')
  console.log(
    table(
      ['object', 'repetitions', 'PUT local', 'PUT s3rver', 'PUT ratio', 'GET local', 'GET s3rver', 'GET ratio'],
      s3Throughput.map(({ objectBytes, repetitions, putMBps, getMBps, s3rver }) => [
        `${objectBytes / (1 << 20)} MiB random`,
        String(repetitions),
        putMBps.toFixed(1),
        s3rver.putMBps.toFixed(1),
        (putMBps / s3rver.putMBps).toFixed(2),
        getMBps.toFixed(1),
        s3rver.getMBps.toFixed(1),
        (getMBps / s3rver.getMBps).toFixed(2),
      ]),
    ),
  )
  console.log('\n    Where a request\'s time goes: medians, ms; the whole request as the client sees it, the server\'s part (headers parsed → last byte handed to the socket), the rest (the client and the transport)\n')
  console.log(
    table(
      ['object', 'request', 'local whole', 'local server', 'local rest', 's3rver whole', 's3rver server', 's3rver rest'],
      s3Throughput.flatMap((row) =>
        (['put', 'get'] as const).map((request) => [
          `${row.objectBytes / (1 << 20)} MiB random`,
          request.toUpperCase(),
          ...[row[request], row.s3rver[request]].flatMap(({ wholeMs, serverMs }) => [wholeMs.toFixed(2), serverMs.toFixed(2), (wholeMs - serverMs).toFixed(2)]),
        ]),
      ),
    ),
  )

  printFolderSizes(folderSizes)

  console.log('\nBudgets: bytes and counts are the same on any machine; times vary with the machine and its load\n')
  console.log(table(['budget', 'kind', 'noise', 'also checked by'], BUDGET_KINDS.map(({ budget, kind, noise, checkedBy }) => [budget, kind, noise, checkedBy])))

  await mkdir(RESULTS_DIR, { recursive: true })
  const resultsFile = `${RESULTS_DIR}latest.json`
  const results = {
    measuredAt: new Date().toISOString(),
    commit: currentCommit(),
    budget: FIRST_LOAD_BUDGET,
    profileBudget: PROFILE_BUDGET,
    shippedJs,
    journey,
    profilePhoto,
    localAws,
    folderSizes,
  }
  await writeFile(resultsFile, `${JSON.stringify(results, null, 2)}\n`)
  console.log(`\nWritten to ${resultsFile}`)

  const failed = [...journey.phases.map(({ outcome }) => outcome), journey.photo].some((outcome) => 'failed' in outcome)
  if (shippedJs.some(isOverBudget) || profileOverBudget(profilePhoto).length > 0 || failed) process.exitCode = 1
} finally {
  await browser.close()
  await stack.stop()
}
