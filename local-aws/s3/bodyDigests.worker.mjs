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
  switch (request.kind) {
    case 'start':
      bodies.set(request.id, request.algorithms.map((algorithm) => createHash(algorithm)))
      break
    case 'segment': {
      const start = request.segment * segmentBytes
      // A cancelled body's segments are handed back unread.
      for (const hash of bodies.get(request.id) ?? []) hash.update(bytes.subarray(start, start + request.length))
      reply({ kind: 'released', segment: request.segment })
      break
    }
    case 'end': {
      const digests = (bodies.get(request.id) ?? []).map((hash) => new Uint8Array(hash.digest()))
      bodies.delete(request.id)
      reply({ kind: 'digests', id: request.id, digests })
      break
    }
    case 'cancel':
      bodies.delete(request.id)
      break
  }
})
