import { gzipSync } from 'node:zlib'
import type { Browser, BrowserContext, BrowserContextOptions, CDPSession, Page, Response } from 'playwright-core'
import type { AppStack } from '../tests/support/appStack.ts'
import { signIn } from '../tests/support/pages.ts'
import { makePhotoJpeg } from '../tests/support/photo.ts'
import { newRider, registerRider, RiderBrowser } from '../tests/support/riders.ts'
import { AwsCallLog } from './awsCalls.ts'
import { uploadPhoto } from './journey.ts'

type StorageState = Exclude<BrowserContextOptions['storageState'], string | undefined>

/**
 * A mid-range phone as Lighthouse's mobile profile models it: 4× slower CPU, 1.6 Mbps down, 750 Kbps up, 150 ms round
 * trips. Applied to every request of the page, local AWS's included.
 */
export const PHONE = { cpuSlowdown: 4, downloadBitsPerSecond: 1.6e6, uploadBitsPerSecond: 750e3, roundTripMs: 150 }
/** Timed runs per measurement; the median is reported. With three, the median moved by ±0.2 s between bench runs on our 2-core machines. */
export const RUNS = 5
/** The photo a returning rider already has, and the one they upload (a phone photo, downscaled in the browser). */
const PHOTO = { width: 1600, height: 1200 }
/** Saved signed URLs start with this in localStorage (src/lib/photo/savedPhotoUrl.ts; browser code, so not imported). */
const SAVED_URL_PREFIX = 'wildrydes:photo-url:'
/** The chunk of src/lib/aws/s3.ts, the S3 client, named after it by the bundler. */
const UPLOAD_CHUNK = /^\/assets\/s3-[\w-]+\.js$/
/** What the photo section says once an upload is saved. */
const PHOTO_SAVED = 'Your new photo is saved.'

/** One load of `/profile` by a returning rider, until the network was idle. */
export interface ProfileVisit {
  /** Milliseconds from navigation start until the photo was displayed. */
  photoShownMs: number
  /**
   * Gzipped bytes of the app's scripts requested before the photo was displayed, and until the network was idle: the
   * page's own, and the upload code it prefetches once the photo shows (only an upload runs it).
   */
  gzipBytesBeforeShown: number
  gzipBytes: number
  gzipBytesUploadCode: number
  files: { url: string; gzipBytes: number; isBeforeShown: boolean; isUploadCode: boolean }[]
  /** Requests to AWS from navigation start until the photo was displayed (preflights and the image included). */
  callsBeforeShown: Record<string, number>
}

export interface UploadRun {
  /** Milliseconds from the file being chosen until the PUT's first byte went out. */
  toFirstByteMs: number
  /** Scripts requested between the file being chosen and the PUT: what the upload waited for. */
  scriptsBeforePut: number
  calls: Record<string, number>
}

export interface ProfilePhotoResult {
  /** A saved signed URL is reused (when the app keeps one), and the URL signed afresh (none saved, or it expired). */
  variants: { name: string; visit: ProfileVisit; phoneMs: number[] }[]
  uploads: UploadRun[]
}

/** Runs in the page before its scripts: notes when an image from local AWS (the photo) first displays. */
function notePhotoShown(awsUrl: string): void {
  document.addEventListener(
    'load',
    (event) => {
      const target = event.target
      if (!(target instanceof HTMLImageElement) || !target.src.startsWith(awsUrl)) return
      const shown = window as unknown as { benchPhotoShownAt?: number; benchPhotoShown?: () => void }
      if (shown.benchPhotoShownAt !== undefined) return
      shown.benchPhotoShownAt = performance.now()
      shown.benchPhotoShown?.()
    },
    true,
  )
}

async function emulatePhone(devTools: CDPSession): Promise<void> {
  await devTools.send('Emulation.setCPUThrottlingRate', { rate: PHONE.cpuSlowdown })
  await devTools.send('Network.enable')
  await devTools.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: PHONE.roundTripMs,
    downloadThroughput: PHONE.downloadBitsPerSecond / 8,
    uploadThroughput: PHONE.uploadBitsPerSecond / 8,
  })
}

/** A context holding `storage` (a new context: empty HTTP cache), its page, and its requests to AWS counted. */
async function openProfileContext(browser: Browser, stack: AppStack, storage: StorageState, isPhone: boolean) {
  const context = await browser.newContext({ baseURL: stack.appUrl, storageState: storage })
  await context.addInitScript(notePhotoShown, stack.awsUrl)
  const page = await context.newPage()
  const calls = await AwsCallLog.attach(page, stack.awsUrl)
  // Requests after the photo shows (GetUser, the idle prefetch) are not part of "reload → photo shown".
  await page.exposeFunction('benchPhotoShown', () => calls.startPhase('after the photo showed'))
  if (isPhone) await emulatePhone(await context.newCDPSession(page))
  return { context, page, calls }
}

async function waitForPhoto(page: Page): Promise<number> {
  await page.waitForFunction(() => (window as unknown as { benchPhotoShownAt?: number }).benchPhotoShownAt !== undefined, undefined, {
    timeout: 30_000,
  })
  return page.evaluate(() => (window as unknown as { benchPhotoShownAt: number }).benchPhotoShownAt)
}

/** The chunks a script imports statically (`import … from "./x.js"`, `import "./x.js"`); `import("./x.js")` is lazy. */
function staticImports(body: string): string[] {
  return [...body.matchAll(/(?:\bfrom|\bimport)\s*["']\.\/([^"']+\.js)["']/g)].map((match) => `/assets/${match[1]}`)
}

function withStaticImports(roots: Iterable<string>, importsOf: Map<string, string[]>): Set<string> {
  const all = new Set<string>()
  const add = (url: string) => {
    if (all.has(url)) return
    all.add(url)
    for (const imported of importsOf.get(url) ?? []) add(imported)
  }
  for (const root of roots) add(root)
  return all
}

/**
 * The upload code among `scripts`: the chunk of src/lib/aws/s3.ts (the S3 client, named after it by the bundler) and
 * what it imports that no other script loaded needs. The page prefetches it once the photo shows; only an upload runs it.
 */
function uploadCodeOf(scripts: { url: string; body: string }[]): Set<string> {
  const importsOf = new Map(scripts.map(({ url, body }) => [url, staticImports(body)]))
  const roots = scripts.filter(({ url }) => UPLOAD_CHUNK.test(url)).map(({ url }) => url)
  if (roots.length !== 1) throw new Error(`bench: expected one S3 client chunk (assets/s3-*.js) among the scripts, found ${roots.length}`)
  const upload = withStaticImports(roots, importsOf)
  const page = withStaticImports(
    scripts.map(({ url }) => url).filter((url) => !upload.has(url)),
    importsOf,
  )
  return new Set([...upload].filter((url) => !page.has(url)))
}

/** Opens `/profile` as the returning rider of `storage`: the photo's time, the scripts and the AWS calls before it. */
async function visitProfile(browser: Browser, stack: AppStack, storage: StorageState, isPhone: boolean): Promise<ProfileVisit> {
  const { context, page, calls } = await openProfileContext(browser, stack, storage, isPhone)
  try {
    const scripts: Response[] = []
    page.on('response', (response) => {
      if (response.url().startsWith(stack.appUrl) && response.request().resourceType() === 'script') scripts.push(response)
    })
    calls.startPhase('reload → photo shown')
    await page.goto('/profile', { waitUntil: 'networkidle' })
    const photoShownMs = await waitForPhoto(page)
    // The upload code is prefetched when the browser is idle after the photo shows, which can be after the network
    // first went idle: wait for it, then for what it imports.
    if (!scripts.some((response) => UPLOAD_CHUNK.test(new URL(response.url()).pathname))) {
      await page.waitForResponse((response) => UPLOAD_CHUNK.test(new URL(response.url()).pathname), { timeout: 30_000 })
      await page.waitForLoadState('networkidle')
    }
    await calls.settle()
    const startTimes = await page.evaluate(() =>
      Object.fromEntries(performance.getEntriesByType('resource').map((entry) => [entry.name, entry.startTime])),
    )
    // Bodies are read while the page is open; scripts that answer later are not part of this visit.
    const bodies = await Promise.all(
      [...scripts].map(async (response) => ({ response, url: response.url().slice(stack.appUrl.length), body: (await response.body()).toString() })),
    )
    const uploadCode = uploadCodeOf(bodies)
    const files = bodies.map(({ response, url, body }) => ({
      url,
      gzipBytes: gzipSync(body).length,
      // Without a timing entry a file counts as awaited: the figure may overstate, never hide.
      isBeforeShown: (startTimes[response.url()] ?? 0) < photoShownMs,
      isUploadCode: uploadCode.has(url),
    }))
    const sum = (list: typeof files) => list.reduce((total, file) => total + file.gzipBytes, 0)
    return {
      photoShownMs,
      gzipBytesBeforeShown: sum(files.filter((file) => file.isBeforeShown)),
      gzipBytes: sum(files.filter((file) => !file.isUploadCode)),
      gzipBytesUploadCode: sum(files.filter((file) => file.isUploadCode)),
      files,
      callsBeforeShown: calls.countsOf('reload → photo shown'),
    }
  } finally {
    await context.close()
  }
}

/**
 * On the phone profile: the returning rider opens `/profile`, waits until the page has settled (network idle), then
 * chooses a new photo. Returns the run and the storage afterwards (the new photo's claims, for the next run).
 */
async function uploadOnPhone(browser: Browser, stack: AppStack, storage: StorageState, photo: Buffer): Promise<{ run: UploadRun; storage: StorageState }> {
  const { context, page, calls } = await openProfileContext(browser, stack, storage, true)
  try {
    await page.goto('/profile', { waitUntil: 'networkidle' })
    await waitForPhoto(page)
    await calls.settle()
    const devTools = await context.newCDPSession(page)
    await devTools.send('Network.enable')
    const requests: { url: string; method: string; type?: string; wallTime: number; requestTime: number; sendStartMs?: number }[] = []
    devTools.on('Network.requestWillBeSent', ({ request, type, wallTime, timestamp }) => {
      requests.push({ url: request.url, method: request.method, ...(type ? { type } : {}), wallTime, requestTime: timestamp })
    })
    const sendStarts = new Map<string, number>()
    devTools.on('Network.responseReceived', ({ response }) => {
      if (response.timing) sendStarts.set(response.url, response.timing.requestTime * 1000 + response.timing.sendStart)
    })
    calls.startPhase('upload')
    const chosenAtWallMs = Date.now()
    await page.locator('input[type=file]').setInputFiles({ name: 'phone-photo.jpg', mimeType: 'image/jpeg', buffer: photo })
    await page.getByRole('status').filter({ hasText: PHOTO_SAVED }).waitFor({ timeout: 60_000 })
    await page.waitForLoadState('networkidle')
    await calls.settle()
    const put = requests.find((request) => request.method === 'PUT' && request.url.startsWith(stack.awsUrl))
    if (!put) throw new Error('bench: the upload sent no PUT')
    // The PUT's monotonic send time, turned into wall-clock time with the offset its requestWillBeSent event gives.
    const putSendMs = sendStarts.get(put.url) ?? put.requestTime * 1000
    const putFirstByteWallMs = putSendMs - put.requestTime * 1000 + put.wallTime * 1000
    const scriptsBeforePut = requests.filter(
      (request) => request.type === 'Script' && request.wallTime * 1000 >= chosenAtWallMs && request.wallTime <= put.wallTime,
    ).length
    return {
      run: { toFirstByteMs: putFirstByteWallMs - chosenAtWallMs, scriptsBeforePut, calls: calls.countsOf('upload') },
      storage: await context.storageState({ indexedDB: true }),
    }
  } finally {
    await context.close()
  }
}

/** Storage without the app's saved signed URLs: the rider comes back after they expired. */
function withoutSavedUrls(storage: StorageState): StorageState {
  return {
    ...storage,
    origins: storage.origins.map((origin) => ({
      ...origin,
      localStorage: origin.localStorage.filter(({ name }) => !name.startsWith(SAVED_URL_PREFIX)),
    })),
  }
}

/** A rider who signed in and uploaded a photo on this browser, closed it, and comes back to `/profile`. */
async function returningRiderWithPhoto(browser: Browser, stack: AppStack, photo: Buffer): Promise<StorageState> {
  const rider = await registerRider(await RiderBrowser.at(stack.awsUrl), newRider({ name: 'Returning Rider' }))
  const context: BrowserContext = await browser.newContext({ baseURL: stack.appUrl })
  try {
    const page = await context.newPage()
    await signIn(page, rider)
    await uploadPhoto(page, stack.awsUrl, photo)
    await page.waitForLoadState('networkidle')
    // The signed URL is saved once the image has loaded; the identity id once GetId answered (IndexedDB).
    await page.waitForTimeout(500)
    return await context.storageState({ indexedDB: true })
  } finally {
    await context.close()
  }
}

/**
 * The returning rider's `/profile` with a photo: bytes and AWS calls until the photo shows (desktop, unthrottled, empty
 * cache), its time on the phone profile (median of {@link RUNS} cold loads), with a saved signed URL and without; then
 * {@link RUNS} uploads right after the page settled, on the phone profile.
 */
export async function measureProfilePhoto(browser: Browser, stack: AppStack): Promise<ProfilePhotoResult> {
  const photoPage = await browser.newPage()
  const photo = await makePhotoJpeg(photoPage, PHOTO)
  await photoPage.close()
  const storage = await returningRiderWithPhoto(browser, stack, photo)

  const variants: ProfilePhotoResult['variants'] = []
  for (const [name, variantStorage] of [
    ['reload (saved signed URL, if kept)', storage],
    ['reload, URL signed afresh', withoutSavedUrls(storage)],
  ] as const) {
    const visit = await visitProfile(browser, stack, variantStorage, false)
    const phoneMs: number[] = []
    for (let run = 0; run < RUNS; run += 1) phoneMs.push((await visitProfile(browser, stack, variantStorage, true)).photoShownMs)
    variants.push({ name, visit, phoneMs })
  }

  const uploads: UploadRun[] = []
  let uploadStorage = storage
  for (let run = 0; run < RUNS; run += 1) {
    const done = await uploadOnPhone(browser, stack, uploadStorage, photo)
    uploads.push(done.run)
    uploadStorage = done.storage
  }
  return { variants, uploads }
}
