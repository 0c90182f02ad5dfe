import { closeSync, existsSync, fdatasyncSync, ftruncateSync, openSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { readJsonFile, writeFileAtomic } from './store.ts'

// A state made of named collections (entries by key), kept in memory and persisted as an append-only journal: one line
// per change, written (and flushed, unless told otherwise) before the change is answered, so a change costs what it
// writes, whatever the size of the rest.
// Hand-written rather than an embedded database: the operations read the state synchronously from memory, so all the
// disk has to do is record each change durably and replay it at start; that is an append and an fsync, where SQLite
// would mean a native module and a second copy of the state's shape (docs/architecture.md#local-aws-state).

/** Entries by key. */
export type Collection = Record<string, unknown>

/** A journaled state: collections by name. */
export type Collections<S> = { [C in keyof S]: Collection }

/** What an entry of a collection holds. */
type EntryOf<C> = C extends Record<string, infer Value> ? Value : never

/** The first line of every journal: which format the lines after it follow. */
const HEADER = JSON.stringify({ format: 'local-aws-journal', version: 1 })

/** Compaction waits until the journal holds at least this much that a rewrite would drop. */
const MIN_COMPACTION_BYTES = 1 << 20

/** A line's changes: `[collection, key, value]` sets an entry, `[collection, key]` deletes it. */
type Change<Name extends string = string> = [collection: Name, key: string, value?: unknown]

const DELETED: unique symbol = Symbol('deleted')

/** The entries a draft read or wrote, by key: a private copy, a new value, or {@link DELETED}. */
type Overlay = Map<string, unknown>

export interface JournalOptions<S extends Collections<S>> {
  /** The collections of the state; a new journal starts with them empty. */
  collections: readonly (keyof S & string)[]
  /**
   * Lookup terms of an entry, by collection (e.g. a user's sign-in names), for {@link Journal.keysWith}: an index kept
   * up to date with each change, so a lookup costs the same whatever the collection's size.
   */
  terms?: { [C in keyof S]?: (value: EntryOf<S[C]>) => string[] }
  /** Whether an entry is still worth keeping (e.g. not expired long ago); asked when the journal is compacted. */
  keep?: { [C in keyof S]?: (value: EntryOf<S[C]>) => boolean }
  /** A file of the data folder's previous format holding the same state: read once, then replaced by the journal. */
  legacy?: { path: string; read: (content: unknown) => S }
  /** How much droppable content starts a compaction; tests lower it. */
  minCompactionBytes?: number
  /**
   * Whether a change is flushed to disk (fdatasync) before {@link Journal.update} returns: true unless said otherwise.
   * Unflushed, a change answered survives the process being killed, not the machine losing power.
   */
  isFlushed?: boolean
}

/**
 * A state of named collections, kept in memory, whose every change is appended to a journal file (and flushed to disk,
 * see {@link JournalOptions.isFlushed}) before {@link update} returns; the journal is rewritten (compacted) once most
 * of it is superseded. A process killed at any moment loses only a change it had not answered: a line it did not
 * finish is dropped at the next start.
 */
export class Journal<S extends Collections<S>> {
  private readonly state: S
  private readonly isFlushed: boolean
  private readonly index = new Map<string, Map<string, Set<string>>>()
  /** Overlays of the drafts being changed, by the draft's collection. */
  private readonly overlays = new WeakMap<object, Overlay>()
  private bytes = 0
  private compactedBytes = 0

  constructor(
    private readonly path: string,
    private readonly options: JournalOptions<S>,
  ) {
    this.isFlushed = options.isFlushed ?? true
    this.state = Object.fromEntries(options.collections.map((name) => [name, Object.create(null) as Collection])) as S
    const legacy = options.legacy
    if (existsSync(path)) {
      const replayed = this.replay()
      // Mostly superseded lines (a folder restarted often between compactions) make every start slower: rewrite now.
      if (replayed > 2 * this.entryCount() + 100) this.compact()
      // A migration killed after the journal was written but before the old file went: the journal has it all.
      if (legacy) rmSync(legacy.path, { force: true })
    } else {
      const previous = legacy && readJsonFile(legacy.path)
      if (legacy && previous !== undefined) {
        const migrated = legacy.read(previous)
        for (const name of options.collections) {
          for (const [key, value] of Object.entries(migrated[name] ?? {})) this.apply(name, key, value)
        }
      }
      this.compact()
      if (legacy) rmSync(legacy.path, { force: true })
    }
  }

  /** The state as last changed. Treat it as read-only: change it through {@link update}. */
  get current(): Readonly<S> {
    return this.state
  }

  /**
   * Runs `change` on a draft of the state, then records what it changed and flushes it to disk before returning. A
   * change that throws leaves nothing behind. An entry read through the draft is a private copy, so reach entries by
   * key (or through {@link keysWith}) rather than by iterating a large collection.
   */
  update<R>(change: (draft: S) => R): R {
    const overlays = new Map<keyof S & string, Overlay>()
    const draft = Object.fromEntries(
      this.options.collections.map((name) => {
        const overlay: Overlay = new Map()
        overlays.set(name, overlay)
        const collection = draftOf(this.state[name], overlay)
        this.overlays.set(collection, overlay)
        return [name, collection]
      }),
    ) as S
    const result = change(draft)
    const changes: string[] = []
    const applied: Change<keyof S & string>[] = []
    for (const [name, overlay] of overlays) {
      const collection: Collection = this.state[name]
      for (const [key, value] of overlay) {
        const isStored = Object.hasOwn(collection, key)
        if (value === DELETED) {
          if (!isStored) continue
          changes.push(JSON.stringify([name, key]))
          applied.push([name, key])
          continue
        }
        const json = JSON.stringify(value)
        if (isStored && json === JSON.stringify(collection[key])) continue
        changes.push(`[${JSON.stringify(name)},${JSON.stringify(key)},${json}]`)
        applied.push([name, key, value])
      }
    }
    if (changes.length === 0) return result
    this.append(`[${changes.join(',')}]\n`)
    for (const [name, key, ...value] of applied) this.apply(name, key, ...value)
    if (this.bytes - this.compactedBytes > Math.max(this.compactedBytes, this.options.minCompactionBytes ?? MIN_COMPACTION_BYTES)) this.compact()
    return result
  }

  /**
   * The keys of the entries of `collection` that have `term` among their terms, in `view`: the current state or a
   * draft (with its own changes taken into account).
   */
  keysWith(view: Readonly<S>, name: keyof S & string, term: string): string[] {
    const keys = new Set(this.index.get(name)?.get(term))
    const collection = view[name]
    const overlay = this.overlays.get(collection)
    for (const [key, value] of overlay ?? []) {
      keys.delete(key)
      if (value !== DELETED && this.termsOf(name, value).includes(term)) keys.add(key)
    }
    return [...keys]
  }

  /**
   * Rewrites the journal as the current state, one line per entry, leaving out the entries no longer worth keeping.
   * Atomic: a process killed meanwhile leaves the previous journal, whole.
   */
  compact(): void {
    const lines = [HEADER]
    for (const name of this.options.collections) {
      const keep = this.options.keep?.[name]
      for (const [key, value] of Object.entries(this.state[name])) {
        if (keep && !keep(value as EntryOf<S[typeof name]>)) this.apply(name, key)
        else lines.push(`[${JSON.stringify([name, key, value])}]`)
      }
    }
    const text = `${lines.join('\n')}\n`
    writeFileAtomic(this.path, text, { flush: this.isFlushed })
    this.bytes = this.compactedBytes = Buffer.byteLength(text)
  }

  /** Appends a line (and flushes it); on failure, cuts the file back so that no partial line stays before the next. */
  private append(line: string): void {
    const fd = openSync(this.path, 'a')
    const size = this.bytes
    try {
      writeFileSync(fd, line)
      if (this.isFlushed) fdatasyncSync(fd)
    } catch (error) {
      ftruncateSync(fd, size)
      throw error
    } finally {
      closeSync(fd)
    }
    this.bytes = size + Buffer.byteLength(line)
  }

  /**
   * Reads the journal into memory and says how many changes it held; a last line a killed process did not finish was
   * never answered, and is dropped.
   */
  private replay(): number {
    let replayed = 0
    const content = readFileSync(this.path)
    const end = content.lastIndexOf(0x0a) + 1
    if (end < content.length) truncateSync(this.path, end)
    const lines = content.subarray(0, end).toString('utf8').split('\n')
    if (lines[0] !== HEADER) throw new Error(`${this.path} is not a local AWS journal (its first line is not ${HEADER})`)
    for (let number = 2; number < lines.length; number++) {
      let changes: Change[]
      try {
        changes = JSON.parse(lines[number - 1]!) as Change[]
      } catch (error) {
        // Lines are appended whole, so only a hand edit gets here: say where, or local AWS stops with a bare message.
        throw new Error(`${this.path}:${number} is not valid JSON: ${(error as Error).message}`)
      }
      for (const [name, key, ...value] of changes) {
        if (!Object.hasOwn(this.state, name)) throw new Error(`${this.path}:${number} names an unknown collection ${name}`)
        this.apply(name as keyof S & string, key, ...value)
        replayed++
      }
    }
    // Taken as the size of the state: at most twice too large, given the rewrite above.
    this.bytes = this.compactedBytes = end
    return replayed
  }

  private entryCount(): number {
    return this.options.collections.reduce((count, name) => count + Object.keys(this.state[name]).length, 0)
  }

  /** Sets (with a value) or deletes an entry of the current state, and its terms in the index. */
  private apply(name: keyof S & string, key: string, ...value: [unknown?]): void {
    const collection: Collection = this.state[name]
    const index = this.index.get(name) ?? this.index.set(name, new Map()).get(name)!
    if (Object.hasOwn(collection, key)) {
      for (const term of this.termsOf(name, collection[key])) index.get(term)?.delete(key)
    }
    if (value.length === 0) {
      delete collection[key]
      return
    }
    collection[key] = value[0]
    for (const term of this.termsOf(name, value[0])) {
      const keys = index.get(term) ?? index.set(term, new Set()).get(term)!
      keys.add(key)
    }
  }

  private termsOf(name: string, value: unknown): string[] {
    const terms = this.options.terms?.[name as keyof S] as ((value: unknown) => string[]) | undefined
    return terms ? terms(value) : []
  }
}

/**
 * A copy-on-write view of a collection: reading an entry copies it into the overlay, where writes and deletions go too,
 * so the collection itself is untouched until the change is recorded.
 */
function draftOf(collection: Collection, overlay: Overlay): Collection {
  const read = (key: string): unknown => {
    if (overlay.has(key)) {
      const value = overlay.get(key)
      return value === DELETED ? undefined : value
    }
    if (!Object.hasOwn(collection, key)) return undefined
    const copy = structuredClone(collection[key])
    overlay.set(key, copy)
    return copy
  }
  const has = (key: string): boolean => (overlay.has(key) ? overlay.get(key) !== DELETED : Object.hasOwn(collection, key))
  return new Proxy(Object.create(null) as Collection, {
    get: (_target, key) => (typeof key === 'string' ? read(key) : undefined),
    set: (_target, key, value) => typeof key === 'string' && (overlay.set(key, value === undefined ? DELETED : value), true),
    deleteProperty: (_target, key) => typeof key === 'string' && (overlay.set(key, DELETED), true),
    has: (_target, key) => typeof key === 'string' && has(key),
    ownKeys: () => {
      const keys = new Set(Object.keys(collection))
      for (const [key, value] of overlay) {
        if (value === DELETED) keys.delete(key)
        else keys.add(key)
      }
      return [...keys]
    },
    getOwnPropertyDescriptor: (_target, key) =>
      typeof key === 'string' && has(key) ? { value: read(key), writable: true, enumerable: true, configurable: true } : undefined,
  })
}
