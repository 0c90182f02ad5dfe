import { Worker } from 'node:worker_threads'

export type DigestAlgorithm = 'md5' | 'sha256'

/** What the worker thread is sent; a body's bytes are transferred, not copied. */
export type DigestRequest =
  | { kind: 'start'; id: number; algorithms: DigestAlgorithm[] }
  | { kind: 'bytes'; id: number; bytes: ArrayBuffer }
  | { kind: 'end'; id: number }
  | { kind: 'cancel'; id: number }

export type DigestReply = { kind: 'hashed'; id: number; bytes: number } | { kind: 'digests'; id: number; digests: Uint8Array[] }

/** Bytes gathered before they are sent: fewer, larger messages. */
const BATCH_BYTES = 256 << 10
/** Bytes sent but not yet hashed, past which reading the body waits: the worker's queue stays bounded. */
const MAX_UNHASHED_BYTES = 8 << 20

interface Listener {
  hashed(bytes: number): void
  digests(digests: Uint8Array[]): void
  fail(error: Error): void
}

const listeners = new Map<number, Listener>()
let worker: Worker | undefined
let lastId = 0

function digestWorker(): Worker {
  if (worker) return worker
  const started = new Worker(new URL('./bodyDigests.worker.mjs', import.meta.url))
  started.on('message', (reply: DigestReply) => {
    const listener = listeners.get(reply.id)
    if (reply.kind === 'hashed') listener?.hashed(reply.bytes)
    else listener?.digests(reply.digests)
  })
  const failAll = (error: Error) => {
    if (worker === started) worker = undefined
    for (const [id, listener] of listeners) {
      stopListening(id)
      listener.fail(error)
    }
  }
  started.on('error', failAll)
  started.on('exit', (code) => failAll(new Error(`The body-digest worker stopped (exit code ${code})`)))
  // Idle, it must not keep a process (a test, a script that stops local AWS) from exiting: see `listen`. After the
  // listeners, which would ref it again.
  started.unref()
  worker = started
  return started
}

/** While a body is being hashed, the worker keeps the process alive, as a pending file read would. */
function listen(id: number, listener: Listener): void {
  listeners.set(id, listener)
  if (listeners.size === 1) worker?.ref()
}

function stopListening(id: number): boolean {
  if (!listeners.delete(id)) return false
  if (listeners.size === 0) worker?.unref()
  return true
}

/**
 * MD5 (the ETag) and SHA-256 (`x-amz-content-sha256`) of one body, fed chunk by chunk as it is read, and computed on a
 * worker thread shared by every body of the process: hashing, an upload's largest cost, runs beside the upload's
 * reading and writing instead of holding up every request (docs/architecture.md#local-aws-s3-speed).
 */
export class BodyDigests {
  private readonly id = ++lastId
  private readonly worker = digestWorker()
  private batch: Uint8Array[] = []
  private batchBytes = 0
  private unhashedBytes = 0
  private failure: Error | undefined
  private whenHashed: (() => void) | undefined
  private whenDigested: { resolve: (digests: Uint8Array[]) => void; reject: (error: Error) => void } | undefined

  constructor(algorithms: DigestAlgorithm[]) {
    listen(this.id, {
      hashed: (bytes) => {
        this.unhashedBytes -= bytes
        if (this.unhashedBytes <= MAX_UNHASHED_BYTES) this.wake()
      },
      digests: (digests) => {
        stopListening(this.id)
        this.whenDigested?.resolve(digests)
      },
      fail: (error) => {
        this.failure = error
        this.wake()
        this.whenDigested?.reject(error)
      },
    })
    this.send({ kind: 'start', id: this.id, algorithms })
  }

  /** Adds bytes; when the worker is far behind, returns a promise to wait for before reading more. */
  update(chunk: Uint8Array): Promise<void> | undefined {
    if (this.failure) throw this.failure
    this.batch.push(chunk)
    this.batchBytes += chunk.length
    if (this.batchBytes >= BATCH_BYTES) this.flush()
    if (this.unhashedBytes <= MAX_UNHASHED_BYTES) return undefined
    return new Promise((resolve) => (this.whenHashed = resolve))
  }

  /** The digests, in the order of the algorithms given. */
  digest(): Promise<Buffer[]> {
    this.flush()
    return new Promise<Uint8Array[]>((resolve, reject) => {
      if (this.failure) return reject(this.failure)
      this.whenDigested = { resolve, reject }
      this.send({ kind: 'end', id: this.id })
    }).then((digests) => digests.map((digest) => Buffer.from(digest.buffer, digest.byteOffset, digest.byteLength)))
  }

  /** The body will not be read to its end: the worker forgets it. */
  cancel(): void {
    if (!stopListening(this.id)) return
    this.send({ kind: 'cancel', id: this.id })
  }

  private flush(): void {
    if (this.batchBytes === 0) return
    // One copy of exactly the batch's bytes, transferred: a chunk may be a view of a larger buffer still in use.
    const bytes = new Uint8Array(this.batchBytes)
    let offset = 0
    for (const chunk of this.batch) {
      bytes.set(chunk, offset)
      offset += chunk.length
    }
    this.unhashedBytes += bytes.length
    this.batch = []
    this.batchBytes = 0
    this.send({ kind: 'bytes', id: this.id, bytes: bytes.buffer }, [bytes.buffer])
  }

  private send(request: DigestRequest, transfer: ArrayBuffer[] = []): void {
    this.worker.postMessage(request, transfer)
  }

  private wake(): void {
    const resolve = this.whenHashed
    this.whenHashed = undefined
    resolve?.()
  }
}
