import { createHash } from 'node:crypto'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Readable } from 'node:stream'
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3'
import { getSignedUrl } from '@aws-sdk/s3-request-presigner'
import { Hash } from '@smithy/hash-node'
import { SignatureV4 } from '@smithy/signature-v4'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { FakeClock } from '../../tests/support/fakeClock.ts'
import type { SessionCredentials } from '../credentials.ts'
import { refusal } from '../../tests/support/awsErrors.ts'
import { createChecksum } from './checksums.ts'
import { RequestPayload } from './payload.ts'
import { parseRequestTarget } from './router.ts'
import { createSigV4Authenticator, type Authentication } from './sigv4.ts'

const REGION = 'us-east-1'
const BUCKET = 'photos'

function session(overrides: Partial<SessionCredentials> = {}): SessionCredentials {
  return {
    accessKeyId: 'ASIATESTTESTTESTTEST',
    secretAccessKey: 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0',
    sessionToken: 'dG9rZW4tdG9rZW4tdG9rZW4=',
    expiration: Date.now() + 3_600_000,
    roleArn: 'arn:aws:iam::000000000000:role/rider',
    roleId: 'AROATESTROLE',
    identityId: `${REGION}:00000000-0000-4000-8000-000000000001`,
    identityPoolId: `${REGION}:00000000-0000-4000-8000-000000000002`,
    amr: ['authenticated'],
    ...overrides,
  }
}

/** A request as the server receives it: method, request target, headers and body bytes. */
interface WireRequest {
  method: string
  url: string
  headers: IncomingHttpHeaders
  body: Buffer
}

/** A server that records what the official client puts on the wire and answers 200 with nothing. */
let capture: { url: string; requests: WireRequest[]; close: () => Promise<void> }

beforeAll(async () => {
  const requests: WireRequest[] = []
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = []
    for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk)
    requests.push({ method: request.method!, url: request.url!, headers: request.headers, body: Buffer.concat(chunks) })
    response.writeHead(200, { 'Content-Length': '0' })
    response.end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  capture = { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) }
})

afterAll(() => capture.close())

function client(credentials: SessionCredentials, checksums: 'WHEN_REQUIRED' | 'WHEN_SUPPORTED' = 'WHEN_REQUIRED', region = REGION): S3Client {
  return new S3Client({
    region,
    endpoint: capture.url,
    forcePathStyle: true,
    credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey, sessionToken: credentials.sessionToken },
    requestChecksumCalculation: checksums,
    responseChecksumValidation: checksums,
    maxAttempts: 1,
  })
}

/** What the client sends for one command (whatever it makes of the empty answer). */
async function sent(send: () => Promise<unknown>): Promise<WireRequest> {
  const before = capture.requests.length
  await send().catch(() => undefined)
  expect(capture.requests.length).toBe(before + 1)
  return capture.requests[before]!
}

/** The request a presigned URL makes when fetched. */
function presignedRequest(url: string, method: string, body = Buffer.alloc(0)): WireRequest {
  const parsed = new URL(url)
  return { method, url: parsed.pathname + parsed.search, headers: { host: parsed.host }, body }
}

let clock: FakeClock
let sessions: Map<string, SessionCredentials>
let rider: SessionCredentials

beforeEach(() => {
  clock = new FakeClock()
  rider = session()
  sessions = new Map([[rider.accessKeyId, rider]])
})

function authenticate(request: WireRequest): Promise<Authentication> {
  const verify = createSigV4Authenticator({ credentials: { find: (id) => sessions.get(id) }, clock, region: REGION })
  return verify({ method: request.method, target: parseRequestTarget(request.url), headers: request.headers })
}

/** Authenticates, then reads the body as the object store would, verifying hashes and checksums. */
async function receive(request: WireRequest): Promise<{ authentication: Authentication; body: Buffer }> {
  const authentication = await authenticate(request)
  const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)]))
  const payload = new RequestPayload(Readable.from([request.body]), authentication.payload, headers, { maxBytes: 1 << 30 })
  const chunks: Buffer[] = []
  for await (const chunk of payload.chunks()) chunks.push(chunk)
  await payload.finish()
  return { authentication, body: Buffer.concat(chunks) }
}

function withHeaders(request: WireRequest, headers: IncomingHttpHeaders): WireRequest {
  return { ...request, headers: { ...request.headers, ...headers } }
}

const unicodeKey = 'protected/ü 😀/a+b c&d=e.txt'

describe('SigV4 verification of what the official S3 client sends', () => {
  it('accepts a PUT with unicode, spaces and + in the key, and checks its SHA-256 body hash', async () => {
    const request = await sent(() => client(rider).send(new PutObjectCommand({ Bucket: BUCKET, Key: unicodeKey, Body: 'hello' })))
    expect(request.url).toContain('%2B')
    expect(parseRequestTarget(request.url).key).toBe(unicodeKey)
    const { authentication, body } = await receive(request)
    expect(authentication.session.accessKeyId).toBe(rider.accessKeyId)
    expect(authentication.payload).toEqual({ kind: 'sha256', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) })
    expect(body.toString()).toBe('hello')
  })

  it('accepts a ranged GET and a listing with an encoded continuation token', async () => {
    const get = await sent(() => client(rider).send(new GetObjectCommand({ Bucket: BUCKET, Key: unicodeKey, Range: 'bytes=2-5' })))
    await expect(authenticate(get)).resolves.toMatchObject({ isPresigned: false })
    const list = await sent(() =>
      client(rider).send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'protected/ü/', Delimiter: '/', ContinuationToken: 'ab+c/d==' })),
    )
    expect(parseRequestTarget(list.url).query['continuation-token']).toBe('ab+c/d==')
    await expect(authenticate(list)).resolves.toMatchObject({ isPresigned: false })
  })

  it('accepts the steps of a multipart upload', async () => {
    const s3 = client(rider)
    const create = await sent(() => s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: unicodeKey })))
    const part = await sent(() => s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: unicodeKey, UploadId: 'upload+id/=', PartNumber: 1, Body: 'part' })))
    const complete = await sent(() =>
      s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: BUCKET,
          Key: unicodeKey,
          UploadId: 'upload+id/=',
          MultipartUpload: { Parts: [{ PartNumber: 1, ETag: '"abc"' }] },
        }),
      ),
    )
    await expect(authenticate(create)).resolves.toBeDefined()
    expect((await receive(part)).body.toString()).toBe('part')
    expect((await receive(complete)).body.toString()).toContain('<PartNumber>1</PartNumber>')
  })

  it('decodes an aws-chunked body with a CRC32 trailer (checksums WHEN_SUPPORTED, stream body)', async () => {
    const data = Buffer.alloc(20_000, 'x')
    const request = await sent(() =>
      client(rider, 'WHEN_SUPPORTED').send(
        new PutObjectCommand({ Bucket: BUCKET, Key: 'k', Body: Readable.from([data.subarray(0, 10_000), data.subarray(10_000)]), ContentLength: data.length }),
      ),
    )
    expect(request.headers['x-amz-content-sha256']).toBe('STREAMING-UNSIGNED-PAYLOAD-TRAILER')
    const { authentication, body } = await receive(request)
    expect(authentication.payload).toMatchObject({ kind: 'aws-chunked', hasTrailer: true })
    expect(body.equals(data)).toBe(true)

    const corrupted = Buffer.from(request.body.toString('latin1').replace('xxxxx', 'xxxxy'), 'latin1')
    expect(await refusal(receive({ ...request, body: corrupted }))).toMatchObject({ code: 'BadDigest', status: 400 })
  })

  it('accepts presigned GET and PUT URLs, and refuses them tampered with', async () => {
    const getUrl = await getSignedUrl(client(rider), new GetObjectCommand({ Bucket: BUCKET, Key: unicodeKey }), { expiresIn: 60 })
    const putUrl = await getSignedUrl(client(rider), new PutObjectCommand({ Bucket: BUCKET, Key: unicodeKey, ContentType: 'image/png' }), {
      expiresIn: 60,
    })
    await expect(authenticate(presignedRequest(getUrl, 'GET'))).resolves.toMatchObject({ isPresigned: true, payload: { kind: 'unsigned' } })
    const { body } = await receive(presignedRequest(putUrl, 'PUT', Buffer.from('png bytes')))
    expect(body.toString()).toBe('png bytes')

    const otherKey = getUrl.replace('a%2Bb', 'a%2Bc')
    expect(await refusal(authenticate(presignedRequest(otherKey, 'GET')))).toMatchObject({ code: 'SignatureDoesNotMatch', status: 403 })
    expect(await refusal(authenticate(presignedRequest(getUrl, 'PUT')))).toMatchObject({ code: 'SignatureDoesNotMatch', status: 403 })
    const longer = getUrl.replace('X-Amz-Expires=60', 'X-Amz-Expires=3600')
    expect(await refusal(authenticate(presignedRequest(longer, 'GET')))).toMatchObject({ code: 'SignatureDoesNotMatch' })
  })

  it('refuses a presigned URL dated more than 15 minutes ahead of the server clock', async () => {
    const url = await getSignedUrl(client(rider), new GetObjectCommand({ Bucket: BUCKET, Key: 'k' }), { expiresIn: 3600 })
    clock.advance(-14 * 60_000)
    await expect(authenticate(presignedRequest(url, 'GET'))).resolves.toMatchObject({ isPresigned: true })
    clock.advance(-2 * 60_000)
    expect(await refusal(authenticate(presignedRequest(url, 'GET')))).toEqual({ code: 'AccessDenied', status: 403, message: 'Request is not yet valid' })
  })

  it('refuses an expired presigned URL, and one that would live longer than a week', async () => {
    const url = await getSignedUrl(client(rider), new GetObjectCommand({ Bucket: BUCKET, Key: 'k' }), { expiresIn: 60 })
    clock.advance(61_000)
    expect(await refusal(authenticate(presignedRequest(url, 'GET')))).toEqual({ code: 'AccessDenied', status: 403, message: 'Request has expired' })
    const tooLong = url.replace('X-Amz-Expires=60', 'X-Amz-Expires=604801')
    expect(await refusal(authenticate(presignedRequest(tooLong, 'GET')))).toMatchObject({
      code: 'AuthorizationQueryParametersError',
      status: 400,
    })
  })

  describe('refuses a signed request', () => {
    let put: WireRequest
    beforeEach(async () => {
      put = await sent(() =>
        client(rider).send(new PutObjectCommand({ Bucket: BUCKET, Key: unicodeKey, Body: 'hello', ContentType: 'text/plain' })),
      )
    })

    it('with a signed header changed', async () => {
      expect(await refusal(authenticate(withHeaders(put, { 'content-type': 'text/html' })))).toMatchObject({
        code: 'SignatureDoesNotMatch',
        status: 403,
      })
    })

    it('with another path or query', async () => {
      expect(await refusal(authenticate({ ...put, url: put.url.replace('a%2Bb', 'a%2Bc') }))).toMatchObject({ code: 'SignatureDoesNotMatch' })
      expect(await refusal(authenticate({ ...put, url: `${put.url}&uploads` }))).toMatchObject({ code: 'SignatureDoesNotMatch' })
    })

    it('with another body hash, or a body that does not match it', async () => {
      const otherHash = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
      expect(await refusal(authenticate(withHeaders(put, { 'x-amz-content-sha256': otherHash })))).toMatchObject({
        code: 'SignatureDoesNotMatch',
      })
      expect(await refusal(receive({ ...put, body: Buffer.from('hellO') }))).toMatchObject({ code: 'XAmzContentSHA256Mismatch', status: 400 })
    })

    it('with an x-amz-* header that was not signed', async () => {
      expect(await refusal(authenticate(withHeaders(put, { 'x-amz-meta-extra': 'sneaky' })))).toEqual({
        code: 'AccessDenied',
        status: 403,
        message: 'There were headers present in the request which were not signed',
      })
    })

    it('whose signature leaves out the host header, which SigV4 requires', async () => {
      const { accessKeyId, secretAccessKey, sessionToken } = rider
      const signer = new SignatureV4({ credentials: { accessKeyId, secretAccessKey, sessionToken }, region: REGION, service: 's3', sha256: Hash.bind(null, 'sha256'), uriEscapePath: false })
      const path = `/${BUCKET}/k`
      const signed = await signer.sign(
        { method: 'GET', protocol: 'http:', hostname: '127.0.0.1', path, headers: { host: '127.0.0.1', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } },
        { signingDate: new Date(clock.now()), unsignableHeaders: new Set(['host']) },
      )
      expect(signed.headers.authorization).not.toMatch(/SignedHeaders=[^,]*host/)
      expect(await refusal(authenticate({ method: 'GET', url: path, headers: signed.headers, body: Buffer.alloc(0) }))).toEqual({
        code: 'AccessDenied',
        status: 403,
        message: 'There were headers present in the request which were not signed',
      })
    })

    it('with expired credentials', async () => {
      clock.set(rider.expiration)
      expect(await refusal(authenticate(put))).toEqual({ code: 'ExpiredToken', status: 400, message: 'The provided token has expired.' })
    })

    it('sent more than 15 minutes away from the server clock', async () => {
      clock.advance(16 * 60_000)
      expect(await refusal(authenticate(put))).toMatchObject({ code: 'RequestTimeTooSkewed', status: 403 })
      clock.advance(-32 * 60_000)
      expect(await refusal(authenticate(put))).toMatchObject({ code: 'RequestTimeTooSkewed', status: 403 })
    })

    it('with a wrong or missing session token', async () => {
      expect(await refusal(authenticate(withHeaders(put, { 'x-amz-security-token': 'forged' })))).toEqual({
        code: 'InvalidToken',
        status: 400,
        message: 'The provided token is malformed or otherwise invalid.',
      })
      const { 'x-amz-security-token': _token, ...withoutToken } = put.headers
      expect(await refusal(authenticate({ ...put, headers: withoutToken }))).toMatchObject({ code: 'InvalidAccessKeyId', status: 403 })
    })

    it('with an access key local AWS never issued, or no signature at all', async () => {
      sessions.clear()
      expect(await refusal(authenticate(put))).toEqual({
        code: 'InvalidAccessKeyId',
        status: 403,
        message: 'The AWS Access Key Id you provided does not exist in our records.',
      })
      const { authorization: _authorization, ...anonymous } = put.headers
      expect(await refusal(authenticate({ ...put, headers: anonymous }))).toEqual({ code: 'AccessDenied', status: 403, message: 'Access Denied' })
    })

    it('signed for another region', async () => {
      const elsewhere = await sent(() => client(rider, 'WHEN_REQUIRED', 'eu-west-1').send(new GetObjectCommand({ Bucket: BUCKET, Key: 'k' })))
      expect(await refusal(authenticate(elsewhere))).toMatchObject({ code: 'AuthorizationHeaderMalformed', status: 400 })
    })
  })
})

describe('signed aws-chunked bodies (STREAMING-AWS4-HMAC-SHA256-PAYLOAD)', () => {
  // The worked example of https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html: 66560 bytes of "a" in
  // chunks of 65536 and 1024 bytes, signed with AWS's example long-term key on 2013-05-24.
  const example = session({
    accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    sessionToken: '',
    expiration: Date.UTC(2030, 0, 1),
  })
  const chunk = (size: number, signature: string, data = Buffer.alloc(size, 'a')) =>
    Buffer.concat([Buffer.from(`${size.toString(16)};chunk-signature=${signature}\r\n`), data, Buffer.from('\r\n')])
  const body = (firstChunk = Buffer.alloc(65536, 'a')) =>
    Buffer.concat([
      chunk(65536, 'ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648', firstChunk),
      chunk(1024, '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497'),
      chunk(0, 'b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9'),
    ])
  const request = (content: Buffer): WireRequest => ({
    method: 'PUT',
    url: '/examplebucket/chunkObject.txt',
    headers: {
      host: 's3.amazonaws.com',
      'x-amz-date': '20130524T000000Z',
      'x-amz-storage-class': 'REDUCED_REDUNDANCY',
      authorization:
        'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9',
      'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
      'content-encoding': 'aws-chunked',
      'x-amz-decoded-content-length': '66560',
      'content-length': '66824',
    },
    body: content,
  })

  beforeEach(() => {
    clock.set(Date.UTC(2013, 4, 24))
    sessions.set(example.accessKeyId, example)
  })

  it('accepts the documented example and yields its 66560 bytes', async () => {
    expect(body().length).toBe(66824)
    const { body: decoded } = await receive(request(body()))
    expect(decoded.equals(Buffer.alloc(66560, 'a'))).toBe(true)
  })

  it('refuses a chunk whose data no longer matches its signature', async () => {
    const tampered = Buffer.alloc(65536, 'a')
    tampered[100] = 0x62
    expect(await refusal(receive(request(body(tampered))))).toMatchObject({ code: 'SignatureDoesNotMatch', status: 403 })
  })

  it('verifies the trailer signature of STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER', async () => {
    // The string to sign of sigv4-streaming-trailers.html: the chunk chain, then the trailing headers as "name:value\n".
    const signer = new SignatureV4({ credentials: { accessKeyId: example.accessKeyId, secretAccessKey: example.secretAccessKey }, region: REGION, service: 's3', sha256: Hash.bind(null, 'sha256'), uriEscapePath: false, applyChecksum: false })
    const signingDate = new Date(Date.UTC(2013, 4, 24))
    const scope = '20130524/us-east-1/s3/aws4_request'
    const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex')
    const headers = {
      host: 's3.amazonaws.com',
      'x-amz-date': '20130524T000000Z',
      'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
      'content-encoding': 'aws-chunked',
      'x-amz-decoded-content-length': '9000',
      'x-amz-trailer': 'x-amz-checksum-crc32',
    }
    const signed = await signer.sign({ method: 'PUT', protocol: 'http:', hostname: 's3.amazonaws.com', path: '/examplebucket/trailer.txt', headers }, { signingDate })
    let previous = /Signature=(\w+)/.exec(signed.headers.authorization!)![1]!
    const sign = async (lines: string[]) => (previous = await signer.sign(lines.join('\n'), { signingDate }))
    const data = Buffer.alloc(9000, 'b')
    const dataSignature = await sign(['AWS4-HMAC-SHA256-PAYLOAD', '20130524T000000Z', scope, previous, sha256(''), sha256(data)])
    const finalSignature = await sign(['AWS4-HMAC-SHA256-PAYLOAD', '20130524T000000Z', scope, previous, sha256(''), sha256('')])
    const trailerFor = async (crc: string) => {
      const signature = await signer.sign(['AWS4-HMAC-SHA256-TRAILER', '20130524T000000Z', scope, finalSignature, sha256(`x-amz-checksum-crc32:${crc}\n`)].join('\n'), { signingDate })
      return `x-amz-checksum-crc32:${crc}\r\nx-amz-trailer-signature:${signature}\r\n\r\n`
    }
    const body = (trailer: string) =>
      Buffer.concat([chunk(9000, dataSignature, data), Buffer.from(`0;chunk-signature=${finalSignature}\r\n${trailer}`)])
    const wire = (content: Buffer): WireRequest => ({ method: 'PUT', url: '/examplebucket/trailer.txt', headers: { ...signed.headers }, body: content })

    const crc = createChecksum('CRC32')
    crc.update(data)
    const good = crc.digest().toString('base64')
    const { body: decoded } = await receive(wire(body(await trailerFor(good))))
    expect(decoded.equals(data)).toBe(true)
    const forged = (await trailerFor(good)).replace(good, 'AAAAAA==')
    expect(await refusal(receive(wire(body(forged))))).toMatchObject({ code: 'SignatureDoesNotMatch', status: 403 })
  })
})
