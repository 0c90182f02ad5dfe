import { randomBytes } from 'node:crypto'
import { closeSync, createReadStream, existsSync, mkdirSync, openSync, readdirSync, rmSync, writevSync } from 'node:fs'
import { open, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import type { Clock } from '../clock.ts'
import { Journal } from '../journal.ts'
import { readJsonFile } from '../store.ts'
import type { ChecksumAlgorithm } from './checksums.ts'
import type { PayloadDigests, RequestPayload } from './payload.ts'

/** What a client sets on an object when it writes it. */
export interface ObjectDescription {
  contentType: string
  /** `cache-control`, `content-disposition`, `content-encoding`, `content-language`, `expires`, when sent. */
  headers: Record<string, string>
  /** User metadata (`x-amz-meta-*`), by lower-case name without the prefix. */
  metadata: Record<string, string>
}

export interface StoredChecksum {
  algorithm: ChecksumAlgorithm
  /** Base64; a multipart object's ends in `-{part count}`. */
  value: string
  type: 'FULL_OBJECT' | 'COMPOSITE'
}

export interface StoredObject extends ObjectDescription {
  key: string
  size: number
  /** Quoted, as S3 sends it: `"{md5 hex}"`, or `"{md5 of the parts' md5s}-{part count}"`. */
  etag: string
  /** Epoch milliseconds. */
  lastModified: number
  checksum?: StoredChecksum
  /** The data file's name in the bucket's data folder; every write gets a new one. */
  dataFile: string
}

export type NewObject = Omit<StoredObject, 'key' | 'lastModified' | 'dataFile'>

/** A body received into a temporary file and verified. */
export interface ReceivedFile {
  path: string
  digests: PayloadDigests
}

/** An object's body received into the bucket's data folder and verified, not yet any key's. */
export interface ReceivedObject {
  dataFile: string
  digests: PayloadDigests
}

export interface OpenObject {
  object: StoredObject
  file: FileHandle
}

/** Compares keys by their UTF-8 bytes, the order S3 lists them in. */
export function compareKeys(left: string, right: string): number {
  return Buffer.compare(Buffer.from(left), Buffer.from(right))
}

/** Bytes received before they are written, in one `writev`: a write per socket read (64 KiB) was slower. */
const WRITE_BATCH_BYTES = 256 << 10

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT'
}

/** A bucket's objects as its journal keeps them. */
interface BucketObjects {
  objects: Record<string, StoredObject>
}

/**
 * Objects on disk under `{dataDir}/s3/`. Each object is a data file named at random (never after its key, so no key
 * (`../`, NUL, 1024 bytes of anything) can name a path outside the data folder) and an entry of the bucket's journal
 * naming it. A write streams its body straight into a new data file, then appends the entry, so a reader sees the old
 * object or the new one, never half of either. Data files no entry names are removed at start-up
 * (docs/architecture.md#local-aws-s3-speed).
 */
export class ObjectStore {
  private readonly temporaryFolder: string
  private readonly journals = new Map<string, Journal<BucketObjects>>()
  private readonly sorted = new Map<string, StoredObject[]>()

  constructor(
    private readonly root: string,
    bucketNames: string[],
    private readonly clock: Clock,
  ) {
    this.temporaryFolder = join(root, 'tmp')
    // Whatever was being received when local AWS last stopped is lost, as an interrupted upload is on S3.
    rmSync(this.temporaryFolder, { recursive: true, force: true })
    mkdirSync(this.temporaryFolder, { recursive: true })
    for (const bucket of bucketNames) this.load(bucket)
  }

  private load(bucket: string): void {
    const dataFolder = join(this.folder(bucket), 'data')
    mkdirSync(dataFolder, { recursive: true })
    // Unflushed like the data files: a killed process loses nothing it answered (docs/architecture.md#local-aws-state).
    const journal = new Journal<BucketObjects>(join(this.folder(bucket), 'objects.jsonl'), { collections: ['objects'], isFlushed: false })
    this.migrateSidecars(bucket, journal)
    // A body received (or data renamed into place, before the journal) that no object came to name.
    const referenced = new Set(Object.values(journal.current.objects).map((object) => object.dataFile))
    for (const name of readdirSync(dataFolder)) {
      if (!referenced.has(name)) rmSync(join(dataFolder, name), { force: true })
    }
    this.journals.set(bucket, journal)
  }

  /**
   * Data folders of an earlier version kept one JSON sidecar per object under `meta/`: their objects join the journal,
   * then the sidecars go (a migration cut short is done again whole at the next start).
   */
  private migrateSidecars(bucket: string, journal: Journal<BucketObjects>): void {
    const metaFolder = join(this.folder(bucket), 'meta')
    if (!existsSync(metaFolder)) return
    const sidecars = readdirSync(metaFolder).filter((name) => name.endsWith('.json'))
    journal.update((draft) => {
      for (const name of sidecars) {
        const object = readJsonFile<StoredObject>(join(metaFolder, name))
        if (object) draft.objects[object.key] = object
      }
    })
    rmSync(metaFolder, { recursive: true, force: true })
  }

  /** The bucket's own folder; multipart uploads keep their parts under it. */
  folder(bucket: string): string {
    return join(this.root, 'buckets', bucket)
  }

  /** A fresh path in the temporary folder, on the same file system as every destination, so renames are atomic. */
  private temporaryPath(): string {
    return join(this.temporaryFolder, randomBytes(12).toString('hex'))
  }

  private journal(bucket: string): Journal<BucketObjects> {
    const journal = this.journals.get(bucket)
    if (!journal) throw new Error(`Bucket ${bucket} is not provisioned`)
    return journal
  }

  private dataPath(bucket: string, dataFile: string): string {
    return join(this.folder(bucket), 'data', dataFile)
  }

  /** A fresh data file's name: random, so that a write never touches the data of the object it replaces. */
  private newDataFile(): string {
    return randomBytes(16).toString('hex')
  }

  /** Streams a payload (a multipart upload's part) into a temporary file and verifies it; nothing is left behind when either fails. */
  async receive(payload: RequestPayload): Promise<ReceivedFile> {
    const path = this.temporaryPath()
    return { path, digests: await this.writeFile(path, payload.chunks(), () => payload.finish()) }
  }

  /** Streams an object's body into a new data file of `bucket` and verifies it; nothing is left behind when either fails. */
  async receiveObject(bucket: string, payload: RequestPayload): Promise<ReceivedObject> {
    const dataFile = this.newDataFile()
    return { dataFile, digests: await this.writeFile(this.dataPath(bucket, dataFile), payload.chunks(), () => payload.finish()) }
  }

  /** Joins files (a multipart upload's parts) into a new data file of `bucket`. */
  async concatenate(bucket: string, paths: string[]): Promise<string> {
    async function* contents() {
      for (const path of paths) yield* createReadStream(path)
    }
    const dataFile = this.newDataFile()
    await this.writeFile(this.dataPath(bucket, dataFile), contents(), () => undefined)
    return dataFile
  }

  /**
   * Writes the chunks in batches of {@link WRITE_BATCH_BYTES}, one `writev` each, on the event loop: a trip through
   * libuv's thread pool cost more than writing 256 KiB to the page cache (docs/architecture.md#local-aws-s3-speed).
   */
  private async writeFile<T>(path: string, chunks: AsyncIterable<Buffer>, verify: () => T | Promise<T>): Promise<T> {
    const fd = openSync(path, 'wx', 0o600)
    try {
      try {
        let batch: Buffer[] = []
        let batchBytes = 0
        for await (const chunk of chunks) {
          batch.push(chunk)
          batchBytes += chunk.length
          if (batchBytes < WRITE_BATCH_BYTES) continue
          writevSync(fd, batch)
          batch = []
          batchBytes = 0
        }
        if (batch.length > 0) writevSync(fd, batch)
      } finally {
        closeSync(fd)
      }
      return await verify()
    } catch (error) {
      rmSync(path, { force: true })
      throw error
    }
  }

  /**
   * Publishes a received data file as the object at `key`, replacing any older one, synchronously so that two writes
   * of one key cannot interleave. The replaced data file is removed afterwards (an open reader keeps it alive).
   */
  commit(bucket: string, key: string, dataFile: string, fields: NewObject): StoredObject {
    const object: StoredObject = { ...fields, key, lastModified: this.clock.now(), dataFile }
    const replaced = this.find(bucket, key)
    try {
      this.journal(bucket).update((draft) => void (draft.objects[key] = object))
    } catch (error) {
      rmSync(this.dataPath(bucket, dataFile), { force: true })
      throw error
    }
    this.sorted.delete(bucket)
    if (replaced) rmSync(this.dataPath(bucket, replaced.dataFile), { force: true })
    return object
  }

  find(bucket: string, key: string): StoredObject | undefined {
    const objects = this.journal(bucket).current.objects
    return Object.hasOwn(objects, key) ? objects[key] : undefined
  }

  /** The object with its data file open: the data stays readable even if the object is replaced meanwhile. */
  async open(bucket: string, key: string): Promise<OpenObject | undefined> {
    for (;;) {
      const object = this.find(bucket, key)
      if (!object) return undefined
      try {
        return { object, file: await open(this.dataPath(bucket, object.dataFile), 'r') }
      } catch (error) {
        // Replaced between the lookup and the open: look again.
        if (!isMissing(error) || this.find(bucket, key) === object) throw error
      }
    }
  }

  /** Every object of the bucket, in S3's listing order. */
  list(bucket: string): StoredObject[] {
    let sorted = this.sorted.get(bucket)
    if (!sorted) {
      sorted = Object.values(this.journal(bucket).current.objects).sort((left, right) => compareKeys(left.key, right.key))
      this.sorted.set(bucket, sorted)
    }
    return sorted
  }

  delete(bucket: string, key: string): void {
    const object = this.find(bucket, key)
    if (!object) return
    this.journal(bucket).update((draft) => void delete draft.objects[key])
    this.sorted.delete(bucket)
    rmSync(this.dataPath(bucket, object.dataFile), { force: true })
  }
}
