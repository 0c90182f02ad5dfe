// @ts-check
// The thread that hashes request bodies for bodyDigests.ts. Plain JavaScript: a worker thread starts without the
// TypeScript loader (tsx, Vitest, Vite's config bundler) that its parent may run under.
import { createHash } from 'node:crypto'
import { parentPort } from 'node:worker_threads'

/** @typedef {import('./bodyDigests.ts').DigestRequest} DigestRequest */
/** @typedef {import('./bodyDigests.ts').DigestReply} DigestReply */

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
    case 'bytes':
      for (const hash of bodies.get(request.id) ?? []) hash.update(new Uint8Array(request.bytes))
      reply({ kind: 'hashed', id: request.id, bytes: request.bytes.byteLength })
      break
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
