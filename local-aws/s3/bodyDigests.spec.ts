import { createHash, randomBytes } from 'node:crypto'
import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { BodyDigests } from './bodyDigests.ts'

const hex = (digests: Buffer[]) => digests.map((digest) => digest.toString('hex'))

function expected(body: Buffer): string[] {
  return [createHash('md5').update(body).digest('hex'), createHash('sha256').update(body).digest('hex')]
}

describe('BodyDigests', () => {
  it('hashes a body fed in chunks of any size, views into larger buffers included', async () => {
    const body = randomBytes(3 << 20)
    const digests = new BodyDigests(['md5', 'sha256'])
    for (let offset = 0; offset < body.length; ) {
      const length = Math.min(body.length - offset, 1 + Math.floor(Math.random() * 300_000))
      await digests.update(body.subarray(offset, offset + length))
      offset += length
    }
    expect(hex(await digests.digest())).toEqual(expected(body))
  })

  it('keeps bodies hashed at the same time apart, and an empty body has the digests of nothing', async () => {
    const bodies = [randomBytes(700_000), randomBytes(5), Buffer.alloc(0)]
    const all = bodies.map(() => new BodyDigests(['md5', 'sha256']))
    for (let offset = 0; offset < 700_000; offset += 100_000) {
      bodies.forEach((body, index) => void all[index]!.update(body.subarray(offset, offset + 100_000)))
    }
    expect(await Promise.all(all.map(async (digests) => hex(await digests.digest())))).toEqual(bodies.map(expected))
  })

  it('gives only the digests asked for', async () => {
    const digests = new BodyDigests(['md5'])
    void digests.update(Buffer.from('abc'))
    expect(hex(await digests.digest())).toEqual(['900150983cd24fb0d6963f7d28e17f72'])
  })

  it('makes the reader wait once all 8 MiB of segments are taken, and lets it go on as the worker frees them', async () => {
    const digests = new BodyDigests(['md5', 'sha256'])
    const chunk = randomBytes(1 << 20)
    // Copying a MiB takes a fraction of hashing it: fed without pause, the reader gets ahead of the worker.
    let sent = 0
    let wait: Promise<void> | undefined
    while (!wait && sent < 40) {
      wait = digests.update(chunk)
      sent += 1
    }
    expect(sent).toBeGreaterThan(8)
    expect(wait).toBeInstanceOf(Promise)
    await wait
    for (; sent < 40; sent += 1) await digests.update(chunk)
    expect(hex(await digests.digest())).toEqual(expected(Buffer.concat(Array(40).fill(chunk))))
  })

  it('hands a cancelled body’s segments back, so later bodies are not kept waiting', async () => {
    const chunk = randomBytes(1 << 20)
    for (let body = 0; body < 3; body += 1) {
      const cancelled = new BodyDigests(['md5'])
      for (let sent = 0; sent < 6; sent += 1) await cancelled.update(chunk)
      cancelled.cancel()
    }
    const digests = new BodyDigests(['md5', 'sha256'])
    for (let sent = 0; sent < 10; sent += 1) await digests.update(chunk)
    expect(hex(await digests.digest())).toEqual(expected(Buffer.concat(Array(10).fill(chunk))))
  })

  it('lets a process exit while idle, and keeps it alive while a body is being hashed', async () => {
    // A child process, so that the worker's hold on the event loop is what decides when it ends.
    const script = `
      import { BodyDigests } from ${JSON.stringify(new URL('./bodyDigests.ts', import.meta.url).href)}
      const digests = new BodyDigests(['md5'])
      void digests.update(Buffer.from('abc'))
      digests.digest().then(([md5]) => console.log(md5.toString('hex')))
    `
    const folder = await mkdtemp(join(tmpdir(), 'body-digests-'))
    try {
      await writeFile(join(folder, 'hash.mjs'), script)
      const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(folder, 'hash.mjs')], { timeout: 20_000 })
      expect(stdout.trim()).toBe('900150983cd24fb0d6963f7d28e17f72')
    } finally {
      await rm(folder, { recursive: true, force: true })
    }
  })
})
