import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { randomBytes } from 'node:crypto'

const TEMPORARY_SUFFIX = '.tmp'
const TEMPORARY_NAME = /^\.[0-9a-f]{12}\.tmp$/

/**
 * Removes the temporary files of writes a killed process never finished (they were never renamed into place, so nothing
 * refers to them). Run at start-up, before anything writes to the folder.
 */
export function removeInterruptedWrites(folder: string): number {
  let removed = 0
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !TEMPORARY_NAME.test(entry.name)) continue
    rmSync(join(entry.parentPath, entry.name), { force: true })
    removed++
  }
  return removed
}

/**
 * Writes a file so that a reader, or a restart after a kill mid-write, sees the old content or the new, never half: a
 * temporary file beside it, renamed over the target (atomic on POSIX file systems). With `flush`, the content reaches the
 * disk before the rename, so that a power cut cannot lose it either (docs/architecture.md#local-aws-state).
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, { flush = false } = {}): void {
  mkdirSync(dirname(path), { recursive: true })
  const temporary = join(dirname(path), `.${randomBytes(6).toString('hex')}${TEMPORARY_SUFFIX}`)
  try {
    writeFileSync(temporary, data, { flag: 'wx', mode: 0o600, flush })
    renameSync(temporary, path)
  } catch (error) {
    rmSync(temporary, { force: true })
    throw error
  }
}

/** Reads a JSON file, or returns `undefined` when it does not exist yet. */
export function readJsonFile<T>(path: string): T | undefined {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  try {
    return JSON.parse(text) as T
  } catch (error) {
    // Writes are atomic, so only a hand edit gets here: say which file, or local AWS stops with a bare parser message.
    throw new Error(`${path} is not valid JSON: ${(error as Error).message}`)
  }
}

/**
 * One JSON document kept in memory and persisted atomically after every change: a whole-file rewrite, for a document
 * that changes rarely and stays small (the provisioned ids). State that requests change is kept in a journal
 * (journal.ts), where a change costs only what it writes.
 */
export class JsonDocument<T> {
  private value: T

  constructor(
    private readonly path: string,
    initial: () => T,
  ) {
    this.value = readJsonFile<T>(path) ?? initial()
  }

  /** The current content. Treat it as read-only: change it through `update`. */
  get current(): T {
    return this.value
  }

  /** Applies a change to a copy and persists it before returning; a change that throws leaves nothing behind. */
  update<R>(change: (draft: T) => R): R {
    const draft = structuredClone(this.value)
    const result = change(draft)
    writeFileAtomic(this.path, JSON.stringify(draft, null, 2), { flush: true })
    this.value = draft
    return result
  }
}
