import type { FileHandle } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
import { AwsError } from '../errors.ts'
import { describeDenial, type Authorize } from '../iam/authorize.ts'
import { checksumHeaders, objectResponseHeaders } from './objectHeaders.ts'
import type { ObjectStore } from './objectStore.ts'
import type { S3Request } from './operation.ts'
import { queryValue } from './router.ts'

// What GetObject and HeadObject share: an object's headers, ranges and body, read from the object store.

export interface ObjectReadServices {
  store: ObjectStore
  authorize: Authorize
}

interface ByteRange {
  start: number
  /** Inclusive. */
  end: number
}

/** The `response-*` query parameters a signed GET or HEAD may use to override the stored headers. */
const RESPONSE_OVERRIDES: Record<string, string> = {
  'response-cache-control': 'Cache-Control',
  'response-content-disposition': 'Content-Disposition',
  'response-content-encoding': 'Content-Encoding',
  'response-content-language': 'Content-Language',
  'response-content-type': 'Content-Type',
  'response-expires': 'Expires',
}

/**
 * The one range of a `Range: bytes=…` header (`a-b`, `a-`, `-suffix`), clipped to the object. A header S3 cannot parse,
 * several ranges included, is ignored (the whole object is sent); a range starting past the end is `InvalidRange`.
 */
function parseRange(header: string | undefined, size: number): ByteRange | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '')
  if (!match || (match[1] === '' && match[2] === '')) return undefined
  const [first, last] = [match[1]!, match[2]!]
  const range =
    first === ''
      ? { start: Math.max(0, size - Number(last)), end: Number(last) === 0 ? -1 : size - 1 }
      : { start: Number(first), end: last === '' ? size - 1 : Math.min(Number(last), size - 1) }
  if (first !== '' && last !== '' && Number(last) < range.start) return undefined
  if (range.start >= size || range.end < range.start) {
    throw new AwsError('InvalidRange', 'The requested range is not satisfiable', 416, {
      RangeRequested: header!,
      ActualObjectSize: String(size),
    })
  }
  return range
}

/**
 * A missing key is `NoSuchKey` only for a caller allowed to list the bucket; to anyone else S3 answers `AccessDenied`,
 * so that key names cannot be probed. https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html (Permissions)
 */
function missingObject({ authorize }: ObjectReadServices, request: S3Request): AwsError {
  const listing = { session: request.session, action: 's3:ListBucket', resource: request.bucket.arn }
  const decision = authorize(listing)
  return decision === 'Allow'
    ? new AwsError('NoSuchKey', 'The specified key does not exist.', 404, { Key: request.key })
    : new AwsError('AccessDenied', describeDenial(listing, decision), 403)
}

/**
 * A rider's object is served from local AWS's own origin, which also serves the administrator key and the outbox: as a
 * document, an uploaded HTML file would be same-origin with them. `sandbox` gives it an opaque origin of its own
 * (no scripts, no same-origin reads); images, which the app shows with <img>, ignore the header. Real S3 sends no such
 * header: it has no developer endpoints to protect (README.md, "Local AWS", where it still differs from AWS).
 */
const OBJECT_SANDBOX = { 'Content-Security-Policy': 'sandbox' }

/**
 * Reads of 1 MiB rather than the stream default of 64 KiB: a 50 MiB GET in 50 reads and socket writes instead of 800,
 * and a client that gathers the body chunk by chunk copies far less (measured with bench/localAws.ts).
 */
const READ_CHUNK_BYTES = 1 << 20

/**
 * Read buffers of finished GETs, kept for the next ones: a fresh 1 MiB buffer per read (as a read stream allocates)
 * cost a 1 MiB GET 0.8 ms in page faults and garbage collection on our machines (docs/architecture.md#local-aws-s3-speed).
 */
const idleReadBuffers: Buffer[] = []
const MAX_IDLE_READ_BUFFERS = 8

/** Writes `chunk`; resolves once the socket is done with it, rejects if the client goes away first. */
function written(response: ServerResponse, chunk: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const goneAway = () => reject(new Error('The client went away'))
    response.once('close', goneAway)
    response.write(chunk, (error) => {
      response.off('close', goneAway)
      if (error) reject(error)
      else resolve()
    })
  })
}

/** A buffer of {@link READ_CHUNK_BYTES}, reused if one is idle. */
function takeReadBuffer(): Buffer {
  return idleReadBuffers.pop() ?? Buffer.allocUnsafeSlow(READ_CHUNK_BYTES)
}

/**
 * Sends bytes `start` to `end` (inclusive) of `file` and ends the response, reading the next MiB while the socket takes
 * one, through two reused buffers.
 */
async function sendBytes(file: FileHandle, start: number, end: number, response: ServerResponse): Promise<void> {
  const buffers = [takeReadBuffer()]
  const read = async (turn: number, position: number) => {
    const buffer = (buffers[turn] ??= takeReadBuffer())
    const { bytesRead } = await file.read(buffer, 0, Math.min(buffer.length, end + 1 - position), position)
    if (bytesRead === 0) throw new Error(`An object's data file ended at ${position} bytes, before its size`)
    return buffer.subarray(0, bytesRead)
  }
  let turn = 0
  let next: Promise<Buffer> | undefined = read(turn, start)
  // The buffer the socket may still hold when a write is interrupted: left to the garbage collector.
  let inSocket: Buffer | undefined
  try {
    for (let position = start; next; ) {
      const chunk = await next
      position += chunk.length
      inSocket = buffers[turn]
      turn = 1 - turn
      next = position <= end ? read(turn, position) : undefined
      // Failing while the socket still writes, it is awaited (and thrown) in the next turn, not reported unhandled.
      next?.catch(() => undefined)
      await written(response, chunk)
      inSocket = undefined
    }
    response.end()
  } finally {
    // A read in flight must end before its buffer is reused and the file closed.
    await next?.catch(() => undefined)
    for (const buffer of buffers) {
      if (buffer !== inSocket && idleReadBuffers.length < MAX_IDLE_READ_BUFFERS) idleReadBuffers.push(buffer)
    }
  }
}

/** GetObject and HeadObject: the object's headers, and for GET its bytes (or one range of them) streamed from disk. */
export async function serveObject(services: ObjectReadServices, request: S3Request, response: ServerResponse, withBody: boolean): Promise<void> {
  const opened = await services.store.open(request.bucket.name, request.key)
  if (!opened) throw missingObject(services, request)
  const { object, file } = opened
  try {
    const headers = objectResponseHeaders(object)
    for (const [parameter, header] of Object.entries(RESPONSE_OVERRIDES)) {
      const value = queryValue(request.query, parameter)
      if (value !== undefined) headers[header] = value
    }
    let range: ByteRange | undefined
    try {
      range = parseRange(request.headers.range, object.size)
    } catch (error) {
      response.setHeader('Content-Range', `bytes */${object.size}`)
      throw error
    }
    // A checksum describes the whole object: S3 sends it only for full reads.
    if (!range && request.headers['x-amz-checksum-mode'] === 'ENABLED') Object.assign(headers, checksumHeaders(object.checksum))
    if (range) headers['Content-Range'] = `bytes ${range.start}-${range.end}/${object.size}`
    const { start, end } = range ?? { start: 0, end: object.size - 1 }
    response.writeHead(range ? 206 : 200, { ...headers, ...OBJECT_SANDBOX, 'Content-Length': String(end - start + 1) })
    if (!withBody || end < start) return void response.end()
    try {
      await sendBytes(file, start, end, response)
    } catch {
      // The client went away (or the read failed) after the headers were sent: nothing more can be said to it.
      response.destroy()
    }
  } finally {
    await file.close()
  }
}
