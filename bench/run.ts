import { execFileSync } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { startAppStack } from '../tests/support/appStack.ts'
import { CHROMIUM_INSTALL_HINT, findChromium, launchChromium } from '../tests/support/chromium.ts'
import { measureLocalAws, type Summary } from './localAws.ts'
import { measureRiderJourney, type Outcome } from './riderJourney.ts'
import { measureShippedJs, returningRiderStorage, type ShippedJs } from './shippedJs.ts'

/**
 * The budget (docs/contributing.md#benchmarks): the first load of `/` ships at most 70 KiB of gzipped JavaScript: what the page waits for before it shows,
 * for a new visitor and for a returning rider (whose session is restored in the background once the page shows).
 */
const FIRST_LOAD_BUDGET = { path: '/', gzipBytes: 70 * 1024 }
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

console.log('Building the app against a fresh local AWS…')
const stack = await startAppStack()
const browser = await launchChromium(executablePath)
try {
  const shippedJs = []
  for (const path of ROUTE_PATHS) shippedJs.push(await measureShippedJs(browser, stack.appUrl, path))
  const returningRider = await returningRiderStorage(browser, stack.appUrl, stack.awsUrl)
  shippedJs.push(await measureShippedJs(browser, stack.appUrl, FIRST_LOAD_BUDGET.path, returningRider))
  const journey = await measureRiderJourney(browser, stack)

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

  console.log('\n(e) S3 on local AWS (official S3Client, identity-pool credentials, private/{identityId}/bench/): median over the repetitions\n')
  console.log(
    table(
      ['object', 'repetitions', 'PUT', 'GET (whole body)'],
      s3Throughput.map(({ objectBytes, repetitions, putMBps, getMBps }) => [
        `${objectBytes / 1e6} MB random`,
        String(repetitions),
        `${putMBps.toFixed(1)} MB/s`,
        `${getMBps.toFixed(1)} MB/s`,
      ]),
    ),
  )

  await mkdir(RESULTS_DIR, { recursive: true })
  const resultsFile = `${RESULTS_DIR}latest.json`
  const results = { measuredAt: new Date().toISOString(), commit: currentCommit(), budget: FIRST_LOAD_BUDGET, shippedJs, journey, localAws }
  await writeFile(resultsFile, `${JSON.stringify(results, null, 2)}\n`)
  console.log(`\nWritten to ${resultsFile}`)

  const failed = [...journey.phases.map(({ outcome }) => outcome), journey.photo].some((outcome) => 'failed' in outcome)
  if (shippedJs.some(isOverBudget) || failed) process.exitCode = 1
} finally {
  await browser.close()
  await stack.stop()
}
