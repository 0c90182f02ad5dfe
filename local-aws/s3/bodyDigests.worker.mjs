// @ts-check
// The thread that hashes request bodies for bodyDigests.ts, which lays out the memory it shares with it. Plain
// JavaScript: a worker thread starts without the TypeScript loader (tsx, Vitest, Vite's config bundler) that its parent
// may run under. It waits on the shared queue (`Atomics.wait`), never on messages.
import { createHash } from 'node:crypto'
import { parentPort, workerData } from 'node:worker_threads'

/** @typedef {import('./bodyDigests.ts').DigestReply} DigestReply */

const { ring, control, layout, flags, algorithmBits, segmentBytes, segments } = /** @type {import('./bodyDigests.ts').DigestWorkerData} */ (
  workerData
)
const bytes = new Uint8Array(ring)
const slots = new Int32Array(control)
const algorithms = /** @type {[import('./bodyDigests.ts').DigestAlgorithm, number][]} */ (Object.entries(algorithmBits))
/** @type {Map<number, import('node:crypto').Hash[]>} */
const bodies = new Map()
let read = 0
let freed = 0

for (;;) {
  const written = Atomics.load(slots, layout.written)
  if (read === written) {
    Atomics.wait(slots, layout.written, written)
    continue
  }
  const entry = layout.queue + (read % layout.queueEntries) * layout.entryInts
  const [id = 0, segment = -1, length = 0, entryFlags = 0, algorithmMask = 0] = slots.subarray(entry, entry + layout.entryInts)
  read += 1
  Atomics.store(slots, layout.read, read)
  if (entryFlags & flags.cancel) {
    bodies.delete(id)
    continue
  }
  if (entryFlags & flags.first) bodies.set(id, algorithms.filter(([, bit]) => algorithmMask & bit).map(([name]) => createHash(name)))
  // A cancelled body's segments are handed back unhashed.
  const hashes = bodies.get(id) ?? []
  if (segment >= 0) {
    const start = segment * segmentBytes
    for (const hash of hashes) hash.update(bytes.subarray(start, start + length))
    slots[layout.freedRing + (freed % segments)] = segment
    freed += 1
    Atomics.store(slots, layout.freed, freed)
    Atomics.notify(slots, layout.freed)
  }
  if (entryFlags & flags.last) {
    bodies.delete(id)
    /** @type {DigestReply} */
    const reply = { id, digests: hashes.map((hash) => new Uint8Array(hash.digest())) }
    parentPort?.postMessage(reply)
  }
}
