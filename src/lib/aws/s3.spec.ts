import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { credentialsUntil } from '../../../tests/support/fixtures'
import type { RiderCredentials } from './credentials'
import { deleteObject, putObject, type UploadProgress } from './s3'

// The real S3 client and XHR handler (jsdom's XMLHttpRequest) against a stub server that records requests;
// the credentials are fixed. tests/integration/profilePhoto.spec.ts runs the same module against local AWS.
const config = vi.hoisted(() => ({ endpoint: '' }))
const riders = vi.hoisted(() => ({ current: undefined as RiderCredentials | undefined }))

vi.mock('./config', () => ({
  getAwsConfig: () => ({ region: 'eu-west-1', photoBucket: 'photos', endpoint: config.endpoint }),
}))
vi.mock('./credentials', () => ({ getRiderCredentials: async () => riders.current }))

/** A new rider object, hence a new S3 client, whose credentials expire at `expiration`. */
function signInWithCredentialsUntil(expiration: number): void {
  riders.current = credentialsUntil(expiration)
}

const KEY = 'protected/eu-west-1:a/profile/3f1c.webp'
/** The stub server drops the connection of any request for this key, as a network cut would. */
const CUT_KEY = 'cut-mid-upload.webp'

interface Recorded {
  method: string
  /** The path, without the SDK's `?x-id=` marker. */
  path: string
  headers: IncomingMessage['headers']
  bytes: number
}

let server: Server
let requests: Recorded[]
/** Holds PUT responses back until released, so a test can abort mid-upload. */
let holdPuts: Promise<void> | undefined

beforeAll(async () => {
  server = createServer((request, response) => {
    // jsdom enforces CORS like a browser: answer as the bucket's CORS rules would.
    response.setHeader('Access-Control-Allow-Origin', request.headers.origin ?? '*')
    if (request.method === 'OPTIONS') {
      response.writeHead(200, {
        'Access-Control-Allow-Methods': 'GET, PUT, DELETE',
        'Access-Control-Allow-Headers': request.headers['access-control-request-headers'] ?? '*',
      })
      return void response.end()
    }
    if (request.url?.includes(CUT_KEY)) return void request.socket.destroy()
    let bytes = 0
    request.on('data', (chunk: Buffer) => (bytes += chunk.length))
    request.on('end', async () => {
      const path = new URL(request.url ?? '/', 'http://stub').pathname
      requests.push({ method: request.method ?? '', path, headers: request.headers, bytes })
      if (request.method === 'PUT') await holdPuts
      response.writeHead(request.method === 'DELETE' ? 204 : 200, { ETag: '"etag"' })
      response.end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  config.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(() => {
  server.closeAllConnections()
  server.close()
})

beforeEach(() => {
  requests = []
  holdPuts = undefined
  signInWithCredentialsUntil(Date.now() + 3_600_000)
})

afterEach(() => {
  vi.useRealTimers()
})

describe('putObject', () => {
  it('PUTs the body path-style with its content type and no checksum, reporting progress', async () => {
    const body = new Uint8Array(300_000).fill(7)
    const progress: UploadProgress[] = []
    await putObject(KEY, body, 'image/webp', { onProgress: (event) => progress.push(event) })
    const [put] = requests
    expect(put).toMatchObject({ method: 'PUT', path: '/photos/protected/eu-west-1%3Aa/profile/3f1c.webp', bytes: 300_000 })
    expect(put?.headers['content-type']).toBe('image/webp')
    expect(put?.headers['x-amz-security-token']).toBe('session-token')
    expect(Object.keys(put?.headers ?? {}).filter((name) => name.startsWith('x-amz-checksum'))).toEqual([])
    // jsdom reports upload progress but not the bytes sent (always 0); browsers do.
    expect(progress.length).toBeGreaterThan(0)
    expect(progress.every(({ loaded, total }) => total === 300_000 && loaded >= 0 && loaded <= total)).toBe(true)
  })

  it('reports only its own upload’s progress', async () => {
    const progressA: UploadProgress[] = []
    const progressB: UploadProgress[] = []
    await Promise.all([
      putObject(KEY, new Uint8Array(1000), 'image/webp', { onProgress: (event) => progressA.push(event) }),
      putObject('protected/eu-west-1:a/profile/other.webp', new Uint8Array(2000), 'image/webp', {
        onProgress: (event) => progressB.push(event),
      }),
    ])
    expect(progressA.every(({ total }) => total === 1000)).toBe(true)
    expect(progressB.every(({ total }) => total === 2000)).toBe(true)
  })

  it('rejects with an AbortError when its signal aborts', async () => {
    let release = () => {}
    holdPuts = new Promise((resolve) => (release = resolve))
    const controller = new AbortController()
    const upload = putObject(KEY, new Uint8Array(10), 'image/webp', { signal: controller.signal })
    await vi.waitFor(() => expect(requests).toHaveLength(1))
    controller.abort()
    await expect(upload).rejects.toMatchObject({ name: 'AbortError' })
    release()
  })

  it('rejects with a NetworkError when the connection drops, rather than report a stored photo', async () => {
    await expect(putObject(`protected/eu-west-1:a/profile/${CUT_KEY}`, new Uint8Array(10), 'image/webp')).rejects.toMatchObject({
      name: 'NetworkError',
    })
  })
})

describe('deleteObject', () => {
  it('sends DELETE for the key', async () => {
    await deleteObject(KEY)
    expect(requests).toMatchObject([{ method: 'DELETE', path: '/photos/protected/eu-west-1%3Aa/profile/3f1c.webp' }])
  })
})
