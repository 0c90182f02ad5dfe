import { createHash, randomBytes } from 'node:crypto'
import { createReadStream, mkdirSync, readdirSync, renameSync, rmSync, unlinkSync } from 'node:fs'
import { open, rm, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import type { Clock } from '../clock.ts'
import { readJsonFile, writeFileAtomic } from '../store.ts'
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

export interface OpenObject {
  object: StoredObject
  file: FileHandle
}

/** Compares keys by their UTF-8 bytes, the order S3 lists them in. */
export function compareKeys(left: string, right: string): number {
  return Buffer.compare(Buffer.from(left), Buffer.from(right))
}

/** Bytes received before they are written: small enough that writing overlaps receiving, even for a 1 MiB photo. */
const WRITE_BATCH_BYTES = 256 << 10

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT'
}

/**
 * Objects on disk under `{dataDir}/s3/`. A file's name is a hash of its key, so no key (`../`, NUL, 1024 bytes of
 * anything) can name a path outside the data folder. Each object is a data file plus a JSON sidecar naming it; a write
 * streams into a temporary file, renames it into place under a fresh name, then swaps the sidecar atomically, so a reader
 * sees the old object or the new one, never half of either. The sidecars are read back at start-up.
 */
export class ObjectStore {
  private readonly temporaryFolder: string
  private readonly index = new Map<string, Map<string, StoredObject>>()
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
    const objects = new Map<string, StoredObject>()
    const metaFolder = join(this.folder(bucket), 'meta')
    const dataFolder = join(this.folder(bucket), 'data')
    mkdirSync(metaFolder, { recursive: true })
    mkdirSync(dataFolder, { recursive: true })
    for (const name of readdirSync(metaFolder)) {
      if (!name.endsWith('.json')) continue
      const object = readJsonFile<StoredObject>(join(metaFolder, name))
      if (object) objects.set(object.key, object)
    }
    // Data renamed into place by a write that stopped before its sidecar was swapped belongs to no object.
    const referenced = new Set([...objects.values()].map((object) => object.dataFile))
    for (const name of readdirSync(dataFolder)) {
      if (!referenced.has(name)) rmSync(join(dataFolder, name), { force: true })
    }
    this.index.set(bucket, objects)
  }

  /** The bucket's own folder; multipart uploads keep their parts under it. */
  folder(bucket: string): string {
    return join(this.root, 'buckets', bucket)
  }

  /** A fresh path in the temporary folder, on the same file system as every destination, so renames are atomic. */
  temporaryPath(): string {
    return join(this.temporaryFolder, randomBytes(12).toString('hex'))
  }

  private objects(bucket: string): Map<string, StoredObject> {
    const objects = this.index.get(bucket)
    if (!objects) throw new Error(`Bucket ${bucket} is not provisioned`)
    return objects
  }

  private sidecarPath(bucket: string, key: string): string {
    return join(this.folder(bucket), 'meta', `${createHash('sha256').update(key).digest('hex')}.json`)
  }

  private dataPath(bucket: string, dataFile: string): string {
    return join(this.folder(bucket), 'data', dataFile)
  }

  /** Streams a payload into a temporary file and verifies it; nothing is left behind when either fails. */
  async receive(payload: RequestPayload): Promise<ReceivedFile> {
    return this.writeTemporary(payload.chunks(), () => payload.finish())
  }

  /** Joins files (a multipart upload's parts) into one temporary file. */
  async concatenate(paths: string[]): Promise<string> {
    async function* contents() {
      for (const path of paths) yield* createReadStream(path)
    }
    return (await this.writeTemporary(contents(), () => undefined)).path
  }

  /**
   * Writes the chunks in batches of {@link WRITE_BATCH_BYTES}, one `writev` each, the next batch received while the
   * previous one is written (docs/architecture.md#local-aws-s3-speed).
   */
  private async writeTemporary<T>(chunks: AsyncIterable<Buffer>, verify: () => T | Promise<T>): Promise<{ path: string; digests: T }> {
    const path = this.temporaryPath()
    const file = await open(path, 'wx', 0o600)
    try {
      let writing: Promise<unknown> = Promise.resolve()
      try {
        let batch: Buffer[] = []
        let batchBytes = 0
        for await (const chunk of chunks) {
          batch.push(chunk)
          batchBytes += chunk.length
          if (batchBytes < WRITE_BATCH_BYTES) continue
          await writing
          writing = file.writev(batch)
          batch = []
          batchBytes = 0
        }
        await writing
        if (batch.length > 0) await file.writev(batch)
      } finally {
        await writing.catch(() => undefined)
        await file.close()
      }
      return { path, digests: await verify() }
    } catch (error) {
      await rm(path, { force: true })
      throw error
    }
  }

  /**
   * Publishes a temporary file as the object at `key`, replacing any older one, synchronously so that two writes of one
   * key cannot interleave. The replaced data file is removed afterwards (an open reader keeps it alive).
   */
  commit(bucket: string, key: string, temporaryPath: string, fields: NewObject): StoredObject {
    const objects = this.objects(bucket)
    const object: StoredObject = {
      ...fields,
      key,
      lastModified: this.clock.now(),
      dataFile: `${createHash('sha256').update(key).digest('hex')}-${randomBytes(8).toString('hex')}`,
    }
    // Under its fresh name the data belongs to no object until the sidecar names it (start-up removes it if never named).
    renameSync(temporaryPath, this.dataPath(bucket, object.dataFile))
    try {
      writeFileAtomic(this.sidecarPath(bucket, key), JSON.stringify(object))
    } catch (error) {
      rmSync(this.dataPath(bucket, object.dataFile), { force: true })
      throw error
    }
    const replaced = objects.get(key)
    objects.set(key, object)
    this.sorted.delete(bucket)
    if (replaced) rmSync(this.dataPath(bucket, replaced.dataFile), { force: true })
    return object
  }

  find(bucket: string, key: string): StoredObject | undefined {
    return this.objects(bucket).get(key)
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
      sorted = [...this.objects(bucket).values()].sort((left, right) => compareKeys(left.key, right.key))
      this.sorted.set(bucket, sorted)
    }
    return sorted
  }

  delete(bucket: string, key: string): void {
    const objects = this.objects(bucket)
    const object = objects.get(key)
    if (!object) return
    unlinkSync(this.sidecarPath(bucket, key))
    objects.delete(key)
    this.sorted.delete(bucket)
    rmSync(this.dataPath(bucket, object.dataFile), { force: true })
  }
}
