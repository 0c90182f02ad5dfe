import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { Readable } from 'node:stream'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FakeClock } from '../../tests/support/fakeClock.ts'
import { AwsError } from '../errors.ts'
import { ObjectStore } from './objectStore.ts'
import { RequestPayload } from './payload.ts'
import { MAX_KEY_BYTES, parseRequestTarget, resolveOperation } from './router.ts'

const BUCKET = 'photos'
let dataDir: string

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'la-s3-'))
})
afterEach(() => rm(dataDir, { recursive: true, force: true }))

function openStore(): ObjectStore {
  return new ObjectStore(join(dataDir, 's3'), [BUCKET], new FakeClock())
}

async function put(store: ObjectStore, key: string, content: string): Promise<void> {
  const payload = new RequestPayload(Readable.from([Buffer.from(content)]), { kind: 'unsigned' }, {}, { maxBytes: 1 << 20 })
  const received = await store.receiveObject(BUCKET, payload)
  store.commit(BUCKET, key, received.dataFile, {
    contentType: 'text/plain',
    headers: {},
    metadata: {},
    size: received.digests.size,
    etag: `"${received.digests.md5.toString('hex')}"`,
  })
}

async function get(store: ObjectStore, key: string): Promise<string | undefined> {
  const opened = await store.open(BUCKET, key)
  if (!opened) return undefined
  try {
    return await opened.file.readFile('utf8')
  } finally {
    await opened.file.close()
  }
}

async function filesUnder(folder: string): Promise<string[]> {
  return (await readdir(folder, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
}

/** The key a path-style request target names, as the router decodes it. */
const keyOf = (rawPath: string) => parseRequestTarget(`/${BUCKET}/${rawPath}`).key

describe('object keys cannot escape the data folder', () => {
  const hostile = [
    '../../../../etc/passwd',
    keyOf('..%2F..%2F..%2Foutside'),
    keyOf('%2E%2E/%2E%2E/x'),
    'nul\0byte',
    '/leading/slash',
    'ünï😀 ∕ key',
    'é'.repeat(MAX_KEY_BYTES / 2),
  ]

  it('stores and reads back every key, with every file inside {dataDir}/s3', async () => {
    const store = openStore()
    for (const key of hostile) await put(store, key, `content of ${key}`)
    for (const key of hostile) expect(await get(store, key)).toBe(`content of ${key}`)
    const files = await filesUnder(dataDir)
    for (const file of files) expect(relative(join(dataDir, 's3'), file)).not.toMatch(/^\.\./)
    // Nothing is named after a key: hashes only.
    expect(files.some((file) => file.includes('passwd') || file.includes('outside'))).toBe(false)
  })

  it('decodes the path as S3 does: %2F and / name the same key, + is a space', () => {
    expect(keyOf('a%2Fb')).toBe('a/b')
    expect(keyOf('a+b%20c')).toBe('a b c')
    expect(keyOf('a%2Bb')).toBe('a+b')
    expect(() => keyOf('bad%E0%A4%A')).toThrow(AwsError)
  })

  it('accepts keys of 1024 UTF-8 bytes and refuses 1025 with KeyTooLongError', () => {
    const route = (key: string) => resolveOperation('PUT', parseRequestTarget(`/${BUCKET}/${encodeURIComponent(key)}`), {})
    expect(route('é'.repeat(512))).toBe('PutObject')
    expect(() => route(`${'é'.repeat(512)}a`)).toThrow(expect.objectContaining({ code: 'KeyTooLongError', status: 400 }))
  })
})

describe('object writes', () => {
  it('replace atomically: an open reader keeps the old bytes, later readers get the new ones', async () => {
    const store = openStore()
    await put(store, 'photo', 'old photo')
    const reader = await store.open(BUCKET, 'photo')
    await put(store, 'photo', 'new photo')
    expect(await reader!.file.readFile('utf8')).toBe('old photo')
    await reader!.file.close()
    expect(await get(store, 'photo')).toBe('new photo')
    expect(await filesUnder(join(dataDir, 's3', 'buckets', BUCKET, 'data'))).toHaveLength(1)
  })

  it('leave nothing behind when the body fails verification', async () => {
    const store = openStore()
    const payload = new RequestPayload(Readable.from([Buffer.from('abc')]), { kind: 'sha256', sha256: '0'.repeat(64) }, {}, { maxBytes: 10 })
    await expect(store.receiveObject(BUCKET, payload)).rejects.toMatchObject({ code: 'XAmzContentSHA256Mismatch' })
    expect(await filesUnder(join(dataDir, 's3', 'buckets', BUCKET, 'data'))).toEqual([])
    expect(await filesUnder(join(dataDir, 's3', 'tmp'))).toEqual([])
  })

  it('survive a restart from a data folder of the earlier format, one JSON sidecar per object, which the journal takes over', async () => {
    const bucketFolder = join(dataDir, 's3', 'buckets', BUCKET)
    await mkdir(join(bucketFolder, 'meta'), { recursive: true })
    await mkdir(join(bucketFolder, 'data'), { recursive: true })
    const object = { key: 'protected/a/photo.jpg', contentType: 'image/jpeg', headers: {}, metadata: {}, size: 5, etag: '"e"', lastModified: 1, dataFile: 'abc-1' }
    await writeFile(join(bucketFolder, 'meta', 'f00.json'), JSON.stringify(object))
    await writeFile(join(bucketFolder, 'data', 'abc-1'), 'bytes')

    expect(await get(openStore(), object.key)).toBe('bytes')
    await expect(readdir(join(bucketFolder, 'meta'))).rejects.toMatchObject({ code: 'ENOENT' })
    expect(openStore().find(BUCKET, object.key)).toEqual(object)
  })

  it('survive a restart, which also clears interrupted uploads and unreferenced data', async () => {
    const first = openStore()
    await put(first, 'kept', 'still here')
    await put(first, 'deleted', 'gone')
    first.delete(BUCKET, 'deleted')
    const leftovers = [join(dataDir, 's3', 'tmp', 'half-received'), join(dataDir, 's3', 'buckets', BUCKET, 'data', 'orphan')]
    for (const leftover of leftovers) await writeFile(leftover, 'partial')

    const second = openStore()
    expect(await get(second, 'kept')).toBe('still here')
    expect(second.find(BUCKET, 'deleted')).toBeUndefined()
    expect(second.list(BUCKET).map((object) => object.key)).toEqual(['kept'])
    for (const leftover of leftovers) await expect(readFile(leftover)).rejects.toMatchObject({ code: 'ENOENT' })
  })
})
