// @ts-check
// The thread that hashes request bodies for bodyDigests.ts. Plain JavaScript: a worker thread starts without the
// TypeScript loader (tsx, Vitest, Vite's config bundler) that its parent may run under.
import { createHash } from 'node:crypto'
import { parentPort, workerData } from 'node:worker_threads'

/** @typedef {import('./bodyDigests.ts').DigestRequest} DigestRequest */
/** @typedef {import('./bodyDigests.ts').DigestReply} DigestReply */

/** @type {{ ring: SharedArrayBuffer, segmentBytes: number }} */
const { ring, segmentBytes } = workerData
const bytes = new Uint8Array(ring)
/** @type {Map<number, import('node:crypto').Hash[]>} */
const bodies = new Map()

/** @param {DigestReply} reply */
function reply(reply) {
  parentPort?.postMessage(reply)
}

parentPort?.on('message', (/** @type {DigestRequest} */ request) => {
  if (request.kind === 'cancel') return void bodies.delete(request.id)
  if (request.algorithms) bodies.set(request.id, request.algorithms.map((algorithm) => createHash(algorithm)))
  const hashes = bodies.get(request.id) ?? []
  if (request.segment !== undefined) {
    const start = request.segment * segmentBytes
    for (const hash of hashes) hash.update(bytes.subarray(start, start + request.length))
  }
  if (!request.isLast) {
    if (request.segment !== undefined) reply({ kind: 'released', segment: request.segment })
    return
  }
  bodies.delete(request.id)
  const digests = hashes.map((hash) => new Uint8Array(hash.digest()))
  reply({ kind: 'digests', id: request.id, digests, ...(request.segment !== undefined && { released: request.segment }) })
})
