/*
 * Byte budgets of the production build (docs/contributing.md#budgets): what the browser downloads, counted from the
 * build that the e2e setup deploys, so they hold on any machine. Timed budgets are the bench's (npm run bench).
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { ESLint } from 'eslint'
import { describe, expect, inject, it } from 'vitest'
import type { BundleChunk } from './bundle.ts'

const KIB = 1024
const BASELINE_FILE = fileURLToPath(new URL('./bundleBudgets.baseline.json', import.meta.url))
const BASELINE_NAME = 'tests/e2e/bundleBudgets.baseline.json'
const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** `/` shows once the entry chunk and its static imports have loaded: all of them count. */
const FIRST_LOAD = { name: '/ before it shows', gzipBytes: 42 * KIB }

/** Modules that load after the landing page's first paint, or with the page that needs them, never with the entry. */
const NEVER_IN_ENTRY: { what: string; test: (module: string) => boolean }[] = [
  { what: 'the session store', test: (module) => module === 'src/stores/session.ts' },
  { what: 'the user-pool library', test: (module) => module === 'amazon-cognito-identity-js' },
  { what: 'an AWS SDK package', test: (module) => /^@(aws-sdk|smithy)\//.test(module) },
]

/**
 * A returning rider's `/profile` with a photo (docs/contributing.md#chunks): the chunks holding these modules, with
 * their static imports and the entry's, are what the photo waits for: the session store (restore), the view, the
 * photo's head start, the credentials and the SDK's provider that gets them, and the URL signer. At most six
 * scripts: HTTP/1.1 opens six connections per origin, so six scripts are fetched in one round of requests.
 */
const PHOTO_PATH = {
  name: 'the photo on /profile',
  modules: [
    'src/stores/session.ts',
    'src/views/ProfileView.vue',
    'src/lib/photo/preloadPhoto.ts',
    'src/lib/aws/credentials.ts',
    '@aws-sdk/credential-provider-cognito-identity',
    'src/lib/aws/photoUrl.ts',
  ],
  gzipBytes: 130 * KIB,
  scripts: 6,
}

/**
 * Each lazy chunk's own gzipped bytes, by chunk name: its size when the budget was set plus about 10 %, rounded up to
 * the next 512 B. A chunk that grows past it, or a new chunk, is a decision to write down here.
 */
const CHUNK_BUDGETS: Record<string, number> = {
  // Pages and the header's menu.
  SignUpView: 2 * KIB,
  ConfirmSignUpView: 2 * KIB,
  SignInView: 2.5 * KIB,
  SignInCodeStep: 1.5 * KIB,
  ForgotPasswordView: 2 * KIB,
  ProfileView: 10 * KIB,
  NotFoundView: 0.5 * KIB,
  ConfigErrorNotice: 0.5 * KIB,
  AccountMenu: 2 * KIB,
  // What the pages share (vite.config.ts groups them).
  // ConfirmDialog.vue moved here from ProfileView when the passkeys' section came to share it (the photo's path carries
  // both chunks, so it did not grow), with the passkey errors' words and the passkey sign-in action.
  account: 10.5 * KIB,
  photo: 65 * KIB,
  'rolldown-runtime': 1 * KIB,
  // Loaded by one feature each: sign-in (the user-pool library), the profile's GetUser, the upload, phone numbers,
  // the authenticator's QR code.
  userPool: 27.5 * KIB,
  getUser: 0.5 * KIB,
  s3: 26.5 * KIB,
  'index.browser': 5 * KIB,
  phoneNumber: 32.5 * KIB,
  qrCode: 4.5 * KIB,
  // Passkeys: the profile's section with Cognito's WebAuthn calls and the (de)serialisation, which sign-in loads too.
  passkeys: 4 * KIB,
  // The identity check's words, loaded with the deletion, turning two-step sign-in off or an attribute change.
  identityCheck: 0.5 * KIB,
}

/** Bytes per module (before minification) of each budget when the baseline was last written (`vitest -u`). */
type Baseline = Record<string, Record<string, number>>

function bytes(count: number): string {
  return `${count.toLocaleString('en')} B`
}

/** `roots` and every chunk they import statically, transitively: what the browser fetches with them. */
function withStaticImports(chunks: readonly BundleChunk[], roots: readonly BundleChunk[]): BundleChunk[] {
  const byFile = new Map(chunks.map((chunk) => [chunk.fileName, chunk]))
  const found = new Map<string, BundleChunk>()
  const add = (chunk: BundleChunk) => {
    if (found.has(chunk.fileName)) return
    found.set(chunk.fileName, chunk)
    for (const imported of chunk.imports) {
      const importedChunk = byFile.get(imported)
      if (importedChunk) add(importedChunk)
    }
  }
  roots.forEach(add)
  return [...found.values()]
}

function modulesOf(chunks: readonly BundleChunk[]): Record<string, number> {
  const modules: Record<string, number> = {}
  for (const chunk of chunks) for (const [name, size] of Object.entries(chunk.modules)) modules[name] = (modules[name] ?? 0) + size
  return modules
}

/** The modules that grew since the baseline, most first, e.g. `src/stores/session.ts +8,070 B (new)`. */
function growth(modules: Record<string, number>, baseline: Record<string, number> | undefined): string[] {
  return Object.entries(modules)
    .map(([name, size]) => ({ name, grown: size - (baseline?.[name] ?? 0), isNew: baseline?.[name] === undefined }))
    .filter(({ grown }) => grown > 0)
    .sort((a, b) => b.grown - a.grown)
    .map(({ name, grown, isNew }) => `${name} +${bytes(grown)}${isNew ? ' (new)' : ''}`)
}

/** Empty within budget; over it, the overrun and the modules that grew, which is where to look. */
function budgetProblem(
  name: string,
  chunks: readonly BundleChunk[],
  budgetBytes: number,
  baseline: Baseline,
): string[] {
  const gzipBytes = chunks.reduce((sum, chunk) => sum + chunk.gzipBytes, 0)
  if (gzipBytes <= budgetBytes) return []
  const grown = growth(modulesOf(chunks), baseline[name])
  return [
    `${name}: ${bytes(gzipBytes)} gzipped, ${bytes(gzipBytes - budgetBytes)} over its budget of ${bytes(budgetBytes)}. ` +
      (grown.length > 0
        ? `Grown since ${BASELINE_NAME} (bytes before minification): ${grown.slice(0, 5).join(', ')}`
        : `No module grew since ${BASELINE_NAME}: the chunks' compression did`),
  ]
}

function readBaseline(): Baseline {
  return JSON.parse(readFileSync(BASELINE_FILE, 'utf8')) as Baseline
}

function chunkHolding(chunks: readonly BundleChunk[], module: string): BundleChunk {
  const chunk = chunks.find((candidate) => module in candidate.modules)
  if (!chunk) throw new Error(`No chunk holds ${module}: PHOTO_PATH names a module the app no longer has`)
  return chunk
}

describe('the bundle helpers', () => {
  const chunk = (fileName: string, modules: Record<string, number>, gzipBytes: number, imports: string[] = []): BundleChunk => ({
    fileName,
    name: fileName,
    isEntry: false,
    imports,
    gzipBytes,
    modules,
  })

  it('counts a chunk with everything it imports statically, once', () => {
    const chunks = [chunk('a', {}, 1, ['b', 'c']), chunk('b', {}, 1, ['c']), chunk('c', {}, 1, ['a']), chunk('d', {}, 1)]
    expect(withStaticImports(chunks, [chunks[0]!]).map(({ fileName }) => fileName)).toEqual(['a', 'b', 'c'])
  })

  it('names the modules that grew over a budget, most first, and which are new', () => {
    const chunks = [chunk('entry', { 'src/main.ts': 700, 'src/stores/session.ts': 8070, vue: 90_000 }, 43_100)]
    const baseline = { '/ before it shows': { 'src/main.ts': 650, vue: 90_000 } }

    expect(budgetProblem('/ before it shows', chunks, 43_008, baseline)).toEqual([
      '/ before it shows: 43,100 B gzipped, 92 B over its budget of 43,008 B. Grown since tests/e2e/bundleBudgets.baseline.json ' +
        '(bytes before minification): src/stores/session.ts +8,070 B (new), src/main.ts +50 B',
    ])
    expect(budgetProblem('/ before it shows', chunks, 44_000, baseline)).toEqual([])
  })
})

describe('the production build', () => {
  const chunks = inject('bundle')
  const entry = chunks.filter((chunk) => chunk.isEntry)
  const firstLoad = withStaticImports(chunks, entry)
  const photoPath = withStaticImports(chunks, [...entry, ...PHOTO_PATH.modules.map((module) => chunkHolding(chunks, module))])
  const lazyChunks = chunks.filter((chunk) => !firstLoad.includes(chunk))
  const budgets = [
    { name: FIRST_LOAD.name, chunks: firstLoad, gzipBytes: FIRST_LOAD.gzipBytes },
    { name: PHOTO_PATH.name, chunks: photoPath, gzipBytes: PHOTO_PATH.gzipBytes },
    ...lazyChunks.map((chunk) => ({ name: `chunk ${chunk.name}`, chunks: [chunk], gzipBytes: CHUNK_BUDGETS[chunk.name] ?? 0 })),
  ]
  const baseline: Baseline = inject('isUpdatingSnapshots')
    ? Object.fromEntries(budgets.map(({ name, chunks: counted }) => [name, modulesOf(counted)]))
    : readBaseline()
  if (inject('isUpdatingSnapshots')) writeFileSync(BASELINE_FILE, `${JSON.stringify(baseline, null, 2)}\n`)

  it('shows / after at most 42 KiB of gzipped JavaScript', () => {
    // The app's entry and the route preload, which index.html loads beside it (vite.config.ts).
    expect(entry.map(({ name }) => name).toSorted()).toEqual(['index', 'route-preload'])
    expect(budgetProblem(FIRST_LOAD.name, firstLoad, FIRST_LOAD.gzipBytes, baseline)).toEqual([])
  })

  it('keeps the session store, the user-pool library and the AWS SDK out of the entry', () => {
    const found = Object.entries(modulesOf(firstLoad)).flatMap(([module, size]) =>
      NEVER_IN_ENTRY.filter(({ test }) => test(module)).map(({ what }) => `${what}, ${module} (${bytes(size)})`),
    )
    expect(found).toEqual([])
  })

  it('shows a returning rider’s photo on /profile after at most 130 KiB in six scripts', () => {
    expect(budgetProblem(PHOTO_PATH.name, photoPath, PHOTO_PATH.gzipBytes, baseline)).toEqual([])
    expect(photoPath.length).toBeLessThanOrEqual(PHOTO_PATH.scripts)
  })

  it('keeps every lazy chunk within its own budget, and has a budget for each', () => {
    const unbudgeted = lazyChunks.filter(({ name }) => CHUNK_BUDGETS[name] === undefined).map(({ name }) => name)
    const unused = Object.keys(CHUNK_BUDGETS).filter((name) => !lazyChunks.some((chunk) => chunk.name === name))
    expect({ unbudgeted, unused }).toEqual({ unbudgeted: [], unused: [] })
    expect(budgets.slice(2).flatMap(({ name, chunks: counted, gzipBytes }) => budgetProblem(name, counted, gzipBytes, baseline))).toEqual([])
  })
})

describe('the entry’s lint rule', () => {
  const eslint = new ESLint({ cwd: PROJECT_ROOT })
  const entryFiles = Object.keys(modulesOf(withStaticImports(inject('bundle'), inject('bundle').filter((chunk) => chunk.isEntry))))
    .filter((module) => module.startsWith('src/'))
    .sort()
  /** A file that imports the session store statically, written as `file` would be (a component or a module). */
  const importingTheStore = (file: string) => {
    const code = "import { useSessionStore } from '@/stores/session'\nexport const load = () => useSessionStore\n"
    return file.endsWith('.vue') ? `<script lang="ts">\n${code}</script>\n` : code
  }

  it('refuses a static import of the session store in every file of the entry chunk', async () => {
    expect(entryFiles).toContain('src/router/index.ts')
    const allowed: string[] = []
    for (const file of entryFiles) {
      const [result] = await eslint.lintText(importingTheStore(file), { filePath: `${PROJECT_ROOT}${file}` })
      if (!result?.messages.some(({ ruleId }) => ruleId === 'no-restricted-imports')) allowed.push(file)
    }
    expect(allowed).toEqual([])
  })

  it('allows loading it with import()', async () => {
    const [result] = await eslint.lintText("export const load = () => import('@/stores/session')\n", { filePath: `${PROJECT_ROOT}src/router/index.ts` })
    expect(result?.messages).toEqual([])
  })
})
