import { Worker } from 'node:worker_threads'

export type DigestAlgorithm = 'md5' | 'sha256'

/**
 * What the worker thread is sent: a body's bytes are a segment of the shared ring, not a message's copy. A body's first
 * message names its algorithms and its last asks for the digests, so a 1 MiB body takes four messages, not six: each
 * costs the main thread about as much as copying 256 KiB.
 */
export type DigestRequest =
  | { kind: 'bytes'; id: number; algorithms?: DigestAlgorithm[]; segment?: number; length: number; isLast: boolean }
  | { kind: 'cancel'; id: number }

/** A segment hashed is free again; the last one comes back with the digests. */
export type DigestReply = { kind: 'released'; segment: number } | { kind: 'digests'; id: number; digests: Uint8Array[]; released?: number }

/** A body is handed over in segments of this size; a segment is reused once hashed. */
const SEGMENT_BYTES = 256 << 10
/** The ring's segments: how far the worker may fall behind the readers before they wait (8 MiB). */
const SEGMENTS = 32

interface Listener {
  digests(digests: Uint8Array[]): void
  fail(error: Error): void
}

/** The worker and the memory it shares with this thread: one per process, started with the first body. */
interface Hashing {
  worker: Worker
  ring: Uint8Array
  freeSegments: number[]
  /** Readers waiting for a segment. */
  waiting: (() => void)[]
}

const listeners = new Map<number, Listener>()
let hashing: Hashing | undefined
let lastId = 0

function startHashing(): Hashing {
  if (hashing) return hashing
  // Shared and reused: a fresh buffer per message would cost a page fault per 4 KiB, as much as hashing them.
  const ring = new SharedArrayBuffer(SEGMENTS * SEGMENT_BYTES)
  const worker = new Worker(new URL('./bodyDigests.worker.mjs', import.meta.url), { workerData: { ring, segmentBytes: SEGMENT_BYTES } })
  const started: Hashing = { worker, ring: new Uint8Array(ring), freeSegments: [...Array(SEGMENTS).keys()], waiting: [] }
  worker.on('message', (reply: DigestReply) => {
    if (reply.kind === 'released') return release(started, reply.segment)
    if (reply.released !== undefined) release(started, reply.released)
    listeners.get(reply.id)?.digests(reply.digests)
  })
  const failAll = (error: Error) => {
    if (hashing === started) hashing = undefined
    for (const [id, listener] of listeners) {
      stopListening(id)
      listener.fail(error)
    }
    for (const wake of started.waiting.splice(0)) wake()
  }
  worker.on('error', failAll)
  worker.on('exit', (code) => failAll(new Error(`The body-digest worker stopped (exit code ${code})`)))
  // Idle, it must not keep a process (a test, a script that stops local AWS) from exiting: see `listen`. After the
  // listeners, which would ref it again.
  worker.unref()
  hashing = started
  return started
}

/** A segment is free again: the next reader waiting for one goes on. */
function release(hashing: Hashing, segment: number): void {
  hashing.freeSegments.push(segment)
  hashing.waiting.shift()?.()
}

/** While a body is being hashed, the worker keeps the process alive, as a pending file read would. */
function listen(id: number, listener: Listener): void {
  listeners.set(id, listener)
  if (listeners.size === 1) hashing?.worker.ref()
}

function stopListening(id: number): boolean {
  if (!listeners.delete(id)) return false
  if (listeners.size === 0) hashing?.worker.unref()
  return true
}

/**
 * MD5 (the ETag) and SHA-256 (`x-amz-content-sha256`) of one body, fed chunk by chunk as it is read, and computed on a
 * worker thread shared by every body of the process: hashing, an upload's largest cost, runs beside the upload's
 * reading and writing instead of holding up every request (docs/architecture.md#local-aws-s3-speed).
 */
export class BodyDigests {
  private readonly id = ++lastId
  private readonly hashing = startHashing()
  /** The segment being filled, and how far. */
  private segment: number | undefined
  private filled = 0
  /** Sent with the body's first message; undefined once sent. */
  private algorithms: DigestAlgorithm[] | undefined
  private failure: Error | undefined
  private whenDigested: { resolve: (digests: Uint8Array[]) => void; reject: (error: Error) => void } | undefined

  constructor(algorithms: DigestAlgorithm[]) {
    this.algorithms = algorithms
    listen(this.id, {
      digests: (digests) => {
        stopListening(this.id)
        this.whenDigested?.resolve(digests)
      },
      fail: (error) => {
        this.failure = error
        this.whenDigested?.reject(error)
      },
    })
  }

  /**
   * Adds bytes. When every segment is taken (the worker is far behind), returns a promise: wait for it before the next
   * chunk.
   */
  update(chunk: Uint8Array): Promise<void> | undefined {
    if (this.failure) throw this.failure
    for (let offset = 0; offset < chunk.length; ) {
      if (this.segment === undefined) {
        this.segment = this.hashing.freeSegments.pop()
        if (this.segment === undefined) return this.updateOnceFree(chunk.subarray(offset))
      }
      const length = Math.min(SEGMENT_BYTES - this.filled, chunk.length - offset)
      this.hashing.ring.set(chunk.subarray(offset, offset + length), this.segment * SEGMENT_BYTES + this.filled)
      this.filled += length
      offset += length
      if (this.filled === SEGMENT_BYTES) this.handOver(false)
    }
    return undefined
  }

  /** The digests, in the order of the algorithms given. */
  digest(): Promise<Buffer[]> {
    return new Promise<Uint8Array[]>((resolve, reject) => {
      if (this.failure) return reject(this.failure)
      this.whenDigested = { resolve, reject }
      this.handOver(true)
    }).then((digests) => digests.map((digest) => Buffer.from(digest.buffer, digest.byteOffset, digest.byteLength)))
  }

  /** The body will not be read to its end: the worker forgets it (it knows of it once a segment went). */
  cancel(): void {
    if (!stopListening(this.id)) return
    if (this.segment !== undefined) release(this.hashing, this.segment)
    this.segment = undefined
    if (!this.algorithms) this.hashing.worker.postMessage({ kind: 'cancel', id: this.id } satisfies DigestRequest)
  }

  private async updateOnceFree(rest: Uint8Array): Promise<void> {
    await new Promise<void>((resolve) => this.hashing.waiting.push(resolve))
    await this.update(rest)
  }

  /** Sends the segment being filled (if any); the last message asks for the digests. */
  private handOver(isLast: boolean): void {
    const request: DigestRequest = {
      kind: 'bytes',
      id: this.id,
      ...(this.algorithms && { algorithms: this.algorithms }),
      ...(this.segment !== undefined && { segment: this.segment }),
      length: this.filled,
      isLast,
    }
    this.hashing.worker.postMessage(request)
    this.algorithms = undefined
    this.segment = undefined
    this.filled = 0
  }
}
