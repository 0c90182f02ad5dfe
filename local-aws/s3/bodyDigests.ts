import { Worker } from 'node:worker_threads'

export type DigestAlgorithm = 'md5' | 'sha256'

/** Bits of a hand-over's algorithms field. */
const ALGORITHM_BITS: Record<DigestAlgorithm, number> = { md5: 1, sha256: 2 }
/** Bits of a hand-over's flags: the body's first (its algorithms set), its last (digests asked for), or a cancel. */
const HANDOVER_FLAGS = { first: 1, last: 2, cancel: 4 }
/** A body is handed over in segments of this size; a segment is reused once hashed. */
const SEGMENT_BYTES = 64 << 10
/** The ring's segments: how far the worker may fall behind the readers before they wait (8 MiB). */
const SEGMENTS = 128

/**
 * The control block the reading thread and the worker share, in 32-bit slots. Hand-overs go through a queue and freed
 * segments come back through a ring, published and woken with `Atomics`: a `postMessage` cost the event loop about
 * 0.1 ms on our machines, as much as copying 256 KiB (docs/architecture.md#local-aws-s3-speed). Only the digests come
 * back as a message, one per body.
 */
const QUEUE_ENTRIES = 1024
/** A hand-over: `[body id, segment or -1, length, flags, algorithms]`. */
const ENTRY_INTS = 5
const CONTROL = {
  /** Hand-overs written so far (the reading thread's), and read so far (the worker's). */
  written: 0,
  read: 1,
  /** Segments freed so far (the worker's). */
  freed: 2,
  queue: 4,
  queueEntries: QUEUE_ENTRIES,
  entryInts: ENTRY_INTS,
  /** The ring of freed segments' numbers, after the queue. */
  freedRing: 4 + QUEUE_ENTRIES * ENTRY_INTS,
} as const

/** What the worker is told at start: the shared memory and how it is laid out. */
export interface DigestWorkerData {
  ring: SharedArrayBuffer
  control: SharedArrayBuffer
  layout: typeof CONTROL
  flags: typeof HANDOVER_FLAGS
  algorithmBits: typeof ALGORITHM_BITS
  segmentBytes: number
  segments: number
}

/** The worker's one message: a body's digests, in the order of its algorithms. */
export interface DigestReply {
  id: number
  digests: Uint8Array[]
}

interface Listener {
  digests(digests: Uint8Array[]): void
  fail(error: Error): void
}

/** The worker and the memory it shares with this thread: one per process, started with the first body. */
interface Hashing {
  worker: Worker
  ring: Uint8Array
  control: Int32Array
  freeSegments: number[]
  /** Freed segments taken back from the shared ring so far. */
  freedTaken: number
  handedOver: number
  /** Readers waiting for a segment, and whether a wait for the worker to free one is armed. */
  waiting: (() => void)[]
  isWaitingForFreed: boolean
}

const listeners = new Map<number, Listener>()
let hashing: Hashing | undefined
let lastId = 0

function startHashing(): Hashing {
  if (hashing) return hashing
  // Shared and reused: a fresh buffer per message would cost a page fault per 4 KiB, as much as hashing them.
  const ring = new SharedArrayBuffer(SEGMENTS * SEGMENT_BYTES)
  const control = new SharedArrayBuffer((CONTROL.freedRing + SEGMENTS) * Int32Array.BYTES_PER_ELEMENT)
  const workerData: DigestWorkerData = {
    ring, control, layout: CONTROL, flags: HANDOVER_FLAGS, algorithmBits: ALGORITHM_BITS, segmentBytes: SEGMENT_BYTES, segments: SEGMENTS,
  }
  const worker = new Worker(new URL('./bodyDigests.worker.mjs', import.meta.url), { workerData })
  const started: Hashing = {
    worker,
    ring: new Uint8Array(ring),
    control: new Int32Array(control),
    freeSegments: [...Array(SEGMENTS).keys()],
    freedTaken: 0,
    handedOver: 0,
    waiting: [],
    isWaitingForFreed: false,
  }
  worker.on('message', (reply: DigestReply) => listeners.get(reply.id)?.digests(reply.digests))
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

/** Takes back the segments the worker has freed since last asked. */
function takeBackFreed(hashing: Hashing): void {
  const freed = Atomics.load(hashing.control, CONTROL.freed)
  for (; hashing.freedTaken < freed; hashing.freedTaken += 1) {
    hashing.freeSegments.push(hashing.control[CONTROL.freedRing + (hashing.freedTaken % SEGMENTS)]!)
  }
}

/** A free segment, if any: the worker's freed ones are taken back only when this thread has none left. */
function takeSegment(hashing: Hashing): number | undefined {
  if (hashing.freeSegments.length === 0) takeBackFreed(hashing)
  return hashing.freeSegments.pop()
}

/** Wakes as many waiting readers as there are free segments; while some are left waiting, waits for the worker. */
function wakeReaders(hashing: Hashing): void {
  takeBackFreed(hashing)
  for (let free = hashing.freeSegments.length; free > 0 && hashing.waiting.length > 0; free -= 1) hashing.waiting.shift()!()
  if (hashing.waiting.length === 0 || hashing.isWaitingForFreed) return
  hashing.isWaitingForFreed = true
  // Resolves at once ('not-equal') when the worker freed one since the last look.
  const wait = Atomics.waitAsync(hashing.control, CONTROL.freed, hashing.freedTaken)
  void Promise.resolve(wait.value).then(() => {
    hashing.isWaitingForFreed = false
    wakeReaders(hashing)
  })
}

/** A segment this thread filled but will not hand over (a cancelled body's) is free again. */
function release(hashing: Hashing, segment: number): void {
  hashing.freeSegments.push(segment)
  wakeReaders(hashing)
}

/** Queues a hand-over for the worker and wakes it. */
function handOverTo(hashing: Hashing, entry: [id: number, segment: number, length: number, flags: number, algorithms: number]): void {
  const { control } = hashing
  if (hashing.handedOver - Atomics.load(control, CONTROL.read) >= CONTROL.queueEntries) {
    throw new Error('The body-digest worker is too far behind')
  }
  control.set(entry, CONTROL.queue + (hashing.handedOver % CONTROL.queueEntries) * CONTROL.entryInts)
  hashing.handedOver += 1
  Atomics.store(control, CONTROL.written, hashing.handedOver)
  Atomics.notify(control, CONTROL.written)
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
 * Digests (MD5 for the ETag) of one body, fed chunk by chunk as it is read, and computed on a worker thread shared by
 * every body of the process: hashing, an upload's largest cost, runs beside the upload's reading and writing instead
 * of holding up every request (docs/architecture.md#local-aws-s3-speed).
 */
export class BodyDigests {
  private readonly id = ++lastId
  private readonly hashing = startHashing()
  /** The segment being filled, and how far. */
  private segment: number | undefined
  private filled = 0
  /** Sent with the body's first hand-over; 0 once sent. */
  private algorithms: number
  private failure: Error | undefined
  private whenDigested: { resolve: (digests: Uint8Array[]) => void; reject: (error: Error) => void } | undefined

  constructor(algorithms: DigestAlgorithm[]) {
    this.algorithms = algorithms.reduce((bits, algorithm) => bits | ALGORITHM_BITS[algorithm], 0)
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
        this.segment = takeSegment(this.hashing)
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
    if (this.algorithms === 0) handOverTo(this.hashing, [this.id, -1, 0, HANDOVER_FLAGS.cancel, 0])
  }

  private async updateOnceFree(rest: Uint8Array): Promise<void> {
    await new Promise<void>((resolve) => {
      this.hashing.waiting.push(resolve)
      wakeReaders(this.hashing)
    })
    await this.update(rest)
  }

  /** Hands over the segment being filled (if any); the last hand-over asks for the digests. */
  private handOver(isLast: boolean): void {
    const flags = (this.algorithms ? HANDOVER_FLAGS.first : 0) | (isLast ? HANDOVER_FLAGS.last : 0)
    handOverTo(this.hashing, [this.id, this.segment ?? -1, this.filled, flags, this.algorithms])
    this.algorithms = 0
    this.segment = undefined
    this.filled = 0
  }
}
