/*
 * Every reference in the repository must be one a reader can follow from a fresh clone: pointers to docs headings,
 * relative Markdown links and repo paths must name files (and headings) that exist, the code the docs name must exist,
 * and nothing may cite documents or tracker items that live outside the repository, or a folder of a development
 * machine. Public references (full URLs, `owner/repo#123`) are welcome.
 */
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { posix } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url))

/** This file's own unit tests spell out the very references it refuses, so the repository scan skips it. */
const SELF = 'docs/references.spec.ts'
/**
 * Generated, not written by us: the lock file's URLs and paths are npm's; the budgets' baseline names the modules of
 * the build it was written from (tests/e2e/bundleBudgets.spec.ts rewrites it).
 */
const SKIPPED_FILES = new Set([SELF, 'package-lock.json', 'tests/e2e/bundleBudgets.baseline.json'])

/** Top-level folders whose paths, written `folder/…/name.ext`, are taken as repo-relative. */
const REPO_FOLDERS = ['src', 'local-aws', 'tests', 'infra', 'bench', 'scripts', 'docs']

/** The repository as the checker sees it: the files a clone has, and their text. */
interface RepoFiles {
  /** Repo-relative POSIX paths of every file a fresh clone holds. */
  paths: ReadonlySet<string>
  read(path: string): string
}

/** A reference that does not resolve, as `file:line: problem: reference`. */
type Problem = string

/**
 * A Markdown heading's anchor as GitHub makes it: lower-case, punctuation dropped (letters, digits, spaces, hyphens and
 * underscores kept), each space a hyphen.
 */
function githubSlug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, '')
    .replace(/\s/g, '-')
}

/** The text a heading shows: links reduced to their text (GitHub slugs the rendered text). */
function headingText(raw: string): string {
  return raw.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/\s+#+\s*$/, '')
}

/** The anchors of a Markdown document's headings, outside fenced code, with GitHub's `-1`, `-2` for repeats. */
function headingSlugs(markdown: string): Set<string> {
  const slugs = new Set<string>()
  const seen = new Map<string, number>()
  let fence: string | undefined
  for (const line of markdown.split('\n')) {
    const fenceMark = /^\s*(```|~~~)/.exec(line)?.[1]
    if (fenceMark) {
      fence = fence === undefined ? fenceMark : fence === fenceMark ? undefined : fence
      continue
    }
    if (fence !== undefined) continue
    const heading = /^#{1,6}\s+(.+)$/.exec(line)?.[1]
    if (heading === undefined) continue
    const base = githubSlug(headingText(heading))
    const repeats = seen.get(base) ?? 0
    seen.set(base, repeats + 1)
    slugs.add(repeats === 0 ? base : `${base}-${repeats}`)
  }
  return slugs
}

/** Where a reference points: a repo-relative path, and a heading anchor when it has one. */
interface Target {
  path: string
  anchor?: string
}

type Reference =
  /** Must resolve to an existing file (and heading). */
  | { kind: 'target'; line: number; text: string; target: Target }
  /** A relative link that climbs out of the repository. */
  | { kind: 'escapes'; line: number; text: string }
  /** A citation of something outside the repository. */
  | { kind: 'outside'; line: number; text: string }

/** Citations a reader of the repository cannot follow. */
const OUTSIDE_PATTERNS: readonly RegExp[] = [
  /(?:\.\.\/)+shared\b[^\s'"`)]*/g,
  /\bPITFALLS(?:\s+#?\d+(?:\s*[–-]\s*\d+)?)?/g,
  /\b(?:DESIGN|STYLE)\.md\b/g,
  /\b[Ii]ssues?\s+#?\d+/g,
]

/**
 * An absolute path into a home folder or a workspace root (Linux, macOS or Windows): it exists on one machine only.
 * System paths such as Debian's `/usr/bin/chromium` are fine.
 */
const MACHINE_PATH = /(?<![\w.~:/\\-])(?:\/(?:home|Users|root|work|workspaces?|mnt|srv)\/[\w.-]+|[A-Z]:\\(?:Users|work)\\[\w.-]+)/g

/** `docs/name.md` or `docs/name.md#slug`, not inside a longer path or URL. */
const DOCS_POINTER = /(?<![\w@/.-])docs\/([\w.-]+\.md)(?:#([\w-]+))?/g
/** `[text](target)` and `![alt](target)`, with an optional title. */
const MARKDOWN_LINK = /!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g
/** `folder/…/name.ext` for a top-level folder, not inside a longer path, a URL or a package name. */
const REPO_PATH = new RegExp(`(?<![\\w@/.~-])(?:${REPO_FOLDERS.join('|')})/[^\\s'"\`()\\[\\],;:]+`, 'g')

function lineOf(text: string, index: number): number {
  let line = 1
  for (let at = text.indexOf('\n'); at !== -1 && at < index; at = text.indexOf('\n', at + 1)) line += 1
  return line
}

/** A templated or glob path (`protected/{identityId}/…`, `src/**\/*.spec.ts`, `<operation>.ts`): not one file. */
function isPattern(path: string): boolean {
  return /[*{}<>$]/.test(path)
}

/** `dir/../x` → `x`; undefined when the path climbs above the repository root. */
function normalizeRepoPath(path: string): string | undefined {
  const normalized = posix.normalize(path)
  return normalized === '..' || normalized.startsWith('../') ? undefined : normalized.replace(/\/$/, '')
}

/** Every reference in one file's text; `file` is its repo-relative path (Markdown links resolve against it). */
function findReferences(file: string, text: string): Reference[] {
  const references: Reference[] = []
  const add = (reference: Reference) => references.push(reference)

  for (const pattern of [...OUTSIDE_PATTERNS, MACHINE_PATH]) {
    for (const match of text.matchAll(pattern)) add({ kind: 'outside', line: lineOf(text, match.index), text: match[0] })
  }

  for (const match of text.matchAll(DOCS_POINTER)) {
    const [whole, name, anchor] = match
    add({ kind: 'target', line: lineOf(text, match.index), text: whole, target: { path: `docs/${name}`, ...(anchor ? { anchor } : {}) } })
  }

  for (const match of text.matchAll(REPO_PATH)) {
    const path = match[0].replace(/[.]+$/, '').replace(/#.*$/, '')
    // Only file paths (a name with an extension); folders and patterns are not checked.
    if (isPattern(match[0]) || !/\/[^/]+\.[A-Za-z]{1,5}$/.test(path)) continue
    if (path.startsWith('docs/') && /\.md$/.test(path)) continue // already a docs pointer
    add({ kind: 'target', line: lineOf(text, match.index), text: path, target: { path } })
  }

  if (file.endsWith('.md')) {
    for (const match of text.matchAll(MARKDOWN_LINK)) {
      const link = match[1]!
      if (/^[a-z][a-z\d+.-]*:/i.test(link) || link.startsWith('//')) continue // http:, https:, mailto:…
      const [rawPath = '', anchor] = link.split('#', 2)
      const line = lineOf(text, match.index)
      const path = rawPath === '' ? file : normalizeRepoPath(posix.join(posix.dirname(file), decodeURI(rawPath)))
      if (path === undefined) add({ kind: 'escapes', line, text: link })
      else if (!isPattern(link)) add({ kind: 'target', line, text: link, target: { path, ...(anchor ? { anchor } : {}) } })
    }
  }
  return references.sort((a, b) => a.line - b.line)
}

/** `a/b/c.ts` → `a`, `a/b`: the folders a file sits in, so links to folders resolve. */
function ancestorFolders(path: string): string[] {
  const parts = path.split('/')
  return parts.slice(1).map((_, depth) => parts.slice(0, depth + 1).join('/'))
}

/** The problems with one file's references, against the files (and Markdown headings) of the repository. */
function checkFile(file: string, repo: RepoFiles, headingsOf: (path: string) => Set<string>): Problem[] {
  const folders = new Set([...repo.paths].flatMap(ancestorFolders))
  const problems: Problem[] = []
  for (const reference of findReferences(file, repo.read(file))) {
    const where = `${file}:${reference.line}`
    if (reference.kind === 'outside') {
      problems.push(`${where}: cites something outside the repository: ${reference.text}`)
    } else if (reference.kind === 'escapes') {
      problems.push(`${where}: links outside the repository: ${reference.text}`)
    } else {
      const { path, anchor } = reference.target
      if (!repo.paths.has(path) && !folders.has(path)) {
        problems.push(`${where}: no such file in the repository: ${reference.text}`)
      } else if (anchor !== undefined) {
        if (!path.endsWith('.md')) problems.push(`${where}: an anchor into a file that is not Markdown: ${reference.text}`)
        else if (!headingsOf(path).has(anchor)) problems.push(`${where}: no heading #${anchor} in ${path}: ${reference.text}`)
      }
    }
  }
  return problems
}

/** Code the docs name that is not ours, by the package that defines it (its files are read to check). */
const LIBRARY_SYMBOLS: Record<string, string> = {
  calculateClockDrift: 'amazon-cognito-identity-js',
  NodeVersionSupportWarning: '@aws-sdk/core',
  AttributeType: '@aws-sdk/client-cognito-identity-provider',
  StartWebAuthnRegistration: '@aws-sdk/client-cognito-identity-provider',
  AdminSetUserMFAPreference: '@aws-sdk/client-cognito-identity-provider',
  allowedHosts: 'vite',
  // The DOM's Trusted Types type, as TypeScript's lib.dom declares it.
  TrustedHTML: 'typescript',
  UserVerification: '@aws-sdk/client-cognito-identity-provider',
}

/** An inline code span that names code: `name`, `name()`, `Type.member`. */
const CODE_SPAN = /`([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)(?:\(\))?`/g

/**
 * The identifiers a Markdown text names in code spans, with their line: the mixed-case parts (`loadSessionStore`,
 * `S3Client`), which name code; all-lower or all-upper words (`sub`, `USER_SRP_AUTH`) are as often plain values.
 */
function namedSymbols(markdown: string): { line: number; name: string }[] {
  return [...markdown.matchAll(CODE_SPAN)].flatMap((match) =>
    match[1]!
      .split('.')
      .filter((part) => /[a-z]/.test(part) && /[A-Z]/.test(part))
      .map((name) => ({ line: lineOf(markdown, match.index), name })),
  )
}

/** Whether `name` is a word of the files of the npm package `packageName`. */
function isInPackage(name: string, packageName: string): boolean {
  const root = posix.join(REPO_ROOT, 'node_modules', packageName)
  const word = new RegExp(`\\b${name}\\b`)
  return readdirSync(root, { recursive: true, encoding: 'utf8' }).some(
    (file) => /\.(js|d\.ts)$/.test(file) && word.test(readFileSync(posix.join(root, file), 'utf8')),
  )
}

/**
 * The problems with the code the Markdown files name: each name must be a word of the repository's code (its files
 * but Markdown, this checker and the lock file), or of the package {@link LIBRARY_SYMBOLS} says defines it.
 */
function checkSymbols(repo: RepoFiles, isInLibrary: (name: string, packageName: string) => boolean): Problem[] {
  const paths = [...repo.paths].sort()
  const words = new Set(
    paths.filter((path) => !path.endsWith('.md') && !SKIPPED_FILES.has(path)).flatMap((path) => repo.read(path).match(/[\w$]+/g) ?? []),
  )
  return paths
    .filter((path) => path.endsWith('.md'))
    .flatMap((path) =>
      namedSymbols(repo.read(path))
        .filter(({ name }) => !words.has(name))
        .filter(({ name }) => {
          const packageName = LIBRARY_SYMBOLS[name]
          return packageName === undefined || !isInLibrary(name, packageName)
        })
        .map(({ line, name }) => `${path}:${line}: no such code in the repository or LIBRARY_SYMBOLS: ${name}`),
    )
}

/** Absolute paths of a development machine in any file, this one included. */
function checkMachinePaths(repo: RepoFiles): Problem[] {
  return [...repo.paths]
    .filter((path) => path !== 'package-lock.json')
    .sort()
    .flatMap((path) => {
      const text = repo.read(path)
      return [...text.matchAll(MACHINE_PATH)].map((match) => `${path}:${lineOf(text, match.index)}: a path on one machine: ${match[0]}`)
    })
}

/** The problems of every file in `repo` except the skipped ones, in path order. */
function checkRepository(repo: RepoFiles): Problem[] {
  const headings = new Map<string, Set<string>>()
  const headingsOf = (path: string) => {
    let slugs = headings.get(path)
    if (!slugs) headings.set(path, (slugs = headingSlugs(repo.read(path))))
    return slugs
  }
  return [...repo.paths]
    .filter((path) => !SKIPPED_FILES.has(path))
    .sort()
    .flatMap((path) => checkFile(path, repo, headingsOf))
}

/** The files a clone would hold: tracked ones plus new ones not ignored; binary files are left out of the scan. */
function workingTreeFiles(): RepoFiles {
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: REPO_ROOT, encoding: 'utf8' })
  const texts = new Map<string, string>()
  const paths = new Set(listed.split('\0').filter(Boolean))
  const read = (path: string) => {
    let text = texts.get(path)
    if (text === undefined) {
      let content = ''
      try {
        content = readFileSync(posix.join(REPO_ROOT, path), 'utf8')
      } catch {
        // Deleted but not yet staged: nothing to scan.
      }
      text = content.includes('\0') ? '' : content
      texts.set(path, text)
    }
    return text
  }
  return { paths, read }
}

function inMemoryRepo(files: Record<string, string>): RepoFiles {
  return { paths: new Set(Object.keys(files)), read: (path) => files[path] ?? '' }
}

describe('githubSlug', () => {
  it('lower-cases, drops punctuation and turns spaces into hyphens, as GitHub does', () => {
    expect(githubSlug('Refresh, sign-out and revocation')).toBe('refresh-sign-out-and-revocation')
    expect(githubSlug('S3 SigV4 and presigned URLs')).toBe('s3-sigv4-and-presigned-urls')
    expect(githubSlug('Missing keys without ListBucket are AccessDenied')).toBe('missing-keys-without-listbucket-are-accessdenied')
    expect(githubSlug('`npm run bench` (and why)')).toBe('npm-run-bench-and-why')
    expect(githubSlug('snake_case stays')).toBe('snake_case-stays')
  })
})

describe('headingSlugs', () => {
  it('slugs every level of heading, numbers repeats, and ignores fenced code', () => {
    const markdown = ['# Title', '## Local AWS', 'text', '```sh', '# not a heading', '```', '### Local AWS', '## [Linked](x.md) heading'].join('\n')
    expect([...headingSlugs(markdown)]).toEqual(['title', 'local-aws', 'local-aws-1', 'linked-heading'])
  })
})

describe('findReferences', () => {
  it('finds docs pointers with and without a heading', () => {
    const text = '// see docs/aws-behaviour.md#srp-sign-in\n// and docs/architecture.md.'
    expect(findReferences('src/a.ts', text)).toEqual([
      { kind: 'target', line: 1, text: 'docs/aws-behaviour.md#srp-sign-in', target: { path: 'docs/aws-behaviour.md', anchor: 'srp-sign-in' } },
      { kind: 'target', line: 2, text: 'docs/architecture.md', target: { path: 'docs/architecture.md' } },
    ])
  })

  it('resolves relative Markdown links against the document, and skips URLs and mail links', () => {
    const text = '[a](aws-behaviour.md#tokens-and-jwks) [b](#layers) [c](../README.md) [d](https://x.test/y.md) [e](mailto:a@b.c)'
    expect(findReferences('docs/architecture.md', text).map((reference) => reference.kind === 'target' && reference.target)).toEqual([
      { path: 'docs/aws-behaviour.md', anchor: 'tokens-and-jwks' },
      { path: 'docs/architecture.md', anchor: 'layers' },
      { path: 'README.md' },
    ])
  })

  it('reports a relative link that climbs out of the repository', () => {
    expect(findReferences('docs/a.md', '[notes](../../notes.md)')).toEqual([{ kind: 'escapes', line: 1, text: '../../notes.md' }])
  })

  it('flags citations of documents and tracker items outside the repository', () => {
    const text = ['// PITFALLS 5', '// see DESIGN.md and STYLE.md', '// (issue 3)', '/* Issue #12 */', '// ../shared/notes'].join('\n')
    expect(findReferences('src/a.ts', text).map((reference) => reference.kind === 'outside' && reference.text)).toEqual([
      'PITFALLS 5',
      'DESIGN.md',
      'STYLE.md',
      'issue 3',
      'Issue #12',
      '../shared/notes',
    ])
  })

  it('accepts public references: owner/repo#number and full issue URLs', () => {
    const text = '// aws-sdk-js-v3#6834, amplify-js#166, https://github.com/aws/aws-sdk-js-v3/issues/6834, common pitfalls'
    expect(findReferences('src/a.ts', text)).toEqual([])
  })

  it('takes repo paths with an extension, and skips folders, globs, templates and relative imports', () => {
    const text = [
      '// src/lib/aws/s3.ts and local-aws/iam/evaluate.ts.',
      "include: ['src/**/*.spec.ts'], key `protected/{identityId}/x`, `local-aws/<service>/operations/<operation>.ts`",
      "import x from '../infra/template.yaml'; folder tests/support/; @scope/src/x.ts",
    ].join('\n')
    expect(findReferences('a.ts', text).map((reference) => reference.kind === 'target' && reference.target.path)).toEqual([
      'src/lib/aws/s3.ts',
      'local-aws/iam/evaluate.ts',
    ])
  })
})

describe('checkRepository', () => {
  it('names file and line of each pointer to a missing file or heading, and of each outside citation', () => {
    const repo = inMemoryRepo({
      'docs/guide.md': '# Guide\n## Real heading\nSee [missing](other.md) and [here](#real-heading).',
      'src/a.ts': '// docs/guide.md#real-heading\n// docs/guide.md#gone\n// src/gone.ts (PITFALLS 2)',
    })
    expect(checkRepository(repo)).toEqual([
      'docs/guide.md:3: no such file in the repository: other.md',
      'src/a.ts:2: no heading #gone in docs/guide.md: docs/guide.md#gone',
      'src/a.ts:3: cites something outside the repository: PITFALLS 2',
      'src/a.ts:3: no such file in the repository: src/gone.ts',
    ])
  })

  it('accepts a link to a folder that holds files', () => {
    const repo = inMemoryRepo({ 'README.md': '[the app](src/lib)', 'src/lib/x.ts': '' })
    expect(checkRepository(repo)).toEqual([])
  })
})

describe('checkSymbols', () => {
  it('names each Markdown line that names code nobody defines', () => {
    const repo = inMemoryRepo({
      'docs/guide.md': 'Call `loadSessionStore()` or `session.restoreSoon`;\nthe `sub` claim; `Client.calculateClockDrift`, `gone()`.',
      'src/a.ts': "import Client from 'library'\nexport async function loadSessionStore() {}\nsession.restore()",
    })
    const isInLibrary = (name: string, packageName: string) => name === 'calculateClockDrift' && packageName === 'amazon-cognito-identity-js'
    expect(checkSymbols(repo, isInLibrary)).toEqual(['docs/guide.md:1: no such code in the repository or LIBRARY_SYMBOLS: restoreSoon'])
  })
})

describe('checkMachinePaths', () => {
  it('finds home folders and workspace roots, and leaves system paths alone', () => {
    // Built from parts, so that this file names no such path itself.
    const home = ['', 'home', 'ana'].join('/')
    const windows = ['C:', 'Users', 'ana', 'app'].join('\\')
    const repo = inMemoryRepo({ 'a.ts': `// ${home}/wild-rydes/src/a.ts\nconst chromium = '/usr/bin/chromium'\n// ${windows}` })
    expect(checkMachinePaths(repo)).toEqual([
      `a.ts:1: a path on one machine: ${home}`,
      `a.ts:3: a path on one machine: C:\\Users\\ana`,
    ])
  })
})

describe('the repository', () => {
  it('references only files, docs headings and public sources that exist', () => {
    expect(checkRepository(workingTreeFiles())).toEqual([])
  })

  it('names only code that exists, in the repository or in the library that defines it', () => {
    expect(checkSymbols(workingTreeFiles(), isInPackage)).toEqual([])
  })

  it('names no absolute path of a development machine, this checker included', () => {
    expect(checkMachinePaths(workingTreeFiles())).toEqual([])
  })
})
