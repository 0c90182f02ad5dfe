import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  type ListObjectsV2CommandOutput,
} from '@aws-sdk/client-s3'
import { Upload } from '@aws-sdk/lib-storage'
import { getSignedUrl } from '@aws-sdk/s3-request-presigner'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakeClock } from '../support/fakeClock.ts'
import type { SessionCredentials } from '../../local-aws/credentials.ts'
import { startLocalAws, type LocalAws } from '../../local-aws/index.ts'
import { issueRiderSession } from '../support/localAws.ts'

type ChecksumMode = 'WHEN_REQUIRED' | 'WHEN_SUPPORTED'

const APP_ORIGIN = 'http://localhost:5173'

let aws: LocalAws
let dataDir: string
let clock: FakeClock
let bucket: string
let riderA: Rider
let riderB: Rider

interface Rider {
  identityId: string
  session: SessionCredentials
  /** The rider’s own profile folder, writable only by them. */
  folder: string
  client(checksums?: ChecksumMode): S3Client
}

async function start(): Promise<LocalAws> {
  return startLocalAws({ port: 0, dataDir, clock, log: () => {}, parameters: { AppOrigins: 'http://localhost:*' } })
}

/** Credentials as the identity pool would issue them to a signed-in rider, straight from the registry. */
function issueRider(): Rider {
  const { model } = aws.context
  const { identityId, session } = issueRiderSession(aws)
  return {
    identityId,
    session,
    folder: `protected/${identityId}/profile/`,
    client: (checksums = 'WHEN_REQUIRED') =>
      new S3Client({
        region: model.region,
        endpoint: aws.url,
        forcePathStyle: true,
        credentials: { ...session, expiration: new Date(session.expiration) },
        requestChecksumCalculation: checksums,
        responseChecksumValidation: checksums,
        maxAttempts: 1,
      }),
  }
}

/** The error name, HTTP status and message a client sees for a refused request. */
async function refusal(promise: Promise<unknown>): Promise<{ name: string; status?: number; message: string }> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught as Error & { $metadata?: { httpStatusCode?: number } },
  )
  if (!error) throw new Error('expected the request to be refused')
  return { name: error.name, status: error.$metadata?.httpStatusCode, message: error.message }
}

function md5(data: Uint8Array): string {
  return createHash('md5').update(data).digest('hex')
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'la-'))
  clock = new FakeClock()
  aws = await start()
  bucket = aws.config.bucket
  riderA = issueRider()
  riderB = issueRider()
})

afterAll(async () => {
  await aws.stop()
  // The 100 MB object should not outlive the run.
  await rm(dataDir, { recursive: true, force: true })
})

describe('S3 on local AWS with the official client', () => {
  it('round-trips an object with its content type, metadata and stored headers, then deletes it', async () => {
    const s3 = riderA.client()
    const Key = `${riderA.folder}ünï code+plus & space.webp`
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key,
        Body: 'webp bytes',
        ContentType: 'image/webp',
        CacheControl: 'max-age=60',
        ContentDisposition: 'inline',
        Metadata: { 'uploaded-by': 'rider-a' },
      }),
    )
    expect(put.ETag).toBe(`"${md5(Buffer.from('webp bytes'))}"`)
    // The bucket's default encryption (the template's AES256) is reported on every write and read.
    expect(put.ServerSideEncryption).toBe('AES256')

    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key }))
    expect(await got.Body!.transformToString()).toBe('webp bytes')
    expect(got).toMatchObject({
      ContentType: 'image/webp',
      ContentLength: 10,
      CacheControl: 'max-age=60',
      ContentDisposition: 'inline',
      Metadata: { 'uploaded-by': 'rider-a' },
      ETag: put.ETag,
      AcceptRanges: 'bytes',
      ServerSideEncryption: 'AES256',
    })
    expect(got.LastModified).toBeInstanceOf(Date)

    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key }))
    expect(head).toMatchObject({ ContentLength: 10, ContentType: 'image/webp', ETag: put.ETag, ServerSideEncryption: 'AES256' })

    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key }))
    // Riders may not list the bucket root, so S3 will not tell them whether a key exists.
    expect(await refusal(s3.send(new HeadObjectCommand({ Bucket: bucket, Key })))).toMatchObject({ status: 403 })
    expect(await refusal(s3.send(new GetObjectCommand({ Bucket: bucket, Key })))).toMatchObject({ name: 'AccessDenied', status: 403 })
  })

  it('serves byte ranges with 206 and Content-Range, and refuses unsatisfiable ones with 416', async () => {
    const s3 = riderA.client()
    const Key = `${riderA.folder}range.txt`
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: '0123456789' }))
    const middle = await s3.send(new GetObjectCommand({ Bucket: bucket, Key, Range: 'bytes=2-5' }))
    expect(middle.$metadata.httpStatusCode).toBe(206)
    expect(middle.ContentRange).toBe('bytes 2-5/10')
    expect(await middle.Body!.transformToString()).toBe('2345')
    const suffix = await s3.send(new GetObjectCommand({ Bucket: bucket, Key, Range: 'bytes=-3' }))
    expect(await suffix.Body!.transformToString()).toBe('789')
    expect(await refusal(s3.send(new GetObjectCommand({ Bucket: bucket, Key, Range: 'bytes=10-' })))).toMatchObject({
      name: 'InvalidRange',
      status: 416,
    })
  })

  it('lists a rider’s own folder with prefix, delimiter and pagination', async () => {
    const s3 = riderA.client()
    const folder = `${riderA.folder}list/`
    const keys = ['a/1', 'a/2', 'b.txt', 'c/1', 'd.txt', 'e/1'].map((name) => `${folder}${name}`)
    for (const Key of keys) await s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: Key }))

    const pages: ListObjectsV2CommandOutput[] = []
    let ContinuationToken: string | undefined
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: folder, Delimiter: '/', MaxKeys: 2, ContinuationToken }))
      pages.push(page)
      ContinuationToken = page.NextContinuationToken
    } while (ContinuationToken)
    expect(pages.map((page) => [page.KeyCount, page.IsTruncated])).toEqual([
      [2, true],
      [2, true],
      [1, false],
    ])
    expect(pages.flatMap((page) => [...(page.CommonPrefixes ?? []).map(({ Prefix }) => Prefix), ...(page.Contents ?? []).map(({ Key }) => Key)])).toEqual([
      `${folder}a/`,
      `${folder}b.txt`,
      `${folder}c/`,
      `${folder}d.txt`,
      `${folder}e/`,
    ])
    const all = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: folder, StartAfter: `${folder}b.txt` }))
    expect(all.Contents?.map(({ Key }) => Key)).toEqual(keys.slice(3))
    expect(all.Contents?.[0]).toMatchObject({ Size: keys[3]!.length, StorageClass: 'STANDARD', ETag: `"${md5(Buffer.from(keys[3]!))}"` })
  })

  it('enforces the role policy: a rider writes only their own folder, reads others’ protected photos, lists only their own', async () => {
    const s3 = riderB.client()
    await riderA.client().send(new PutObjectCommand({ Bucket: bucket, Key: `${riderA.folder}photo.webp`, Body: 'A' }))
    // S3's same-account wording: who, which action, which resource, and why.
    const role = aws.context.model.roles.find((candidate) => candidate.arn === riderB.session.roleArn)!
    const principal = `arn:aws:sts::${aws.context.model.accountId}:assumed-role/${role.name}/CognitoIdentityCredentials`
    const denied = (action: string, resource: string) => ({
      name: 'AccessDenied',
      status: 403,
      message: `User: ${principal} is not authorized to perform: ${action} on resource: "${resource}" because no identity-based policy allows the ${action} action`,
    })
    const objectArn = `arn:aws:s3:::${bucket}/${riderA.folder}photo.webp`
    expect(await refusal(s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${riderA.folder}photo.webp`, Body: 'B' })))).toEqual(denied('s3:PutObject', objectArn))
    expect(await refusal(s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: `${riderA.folder}photo.webp` })))).toEqual(denied('s3:DeleteObject', objectArn))
    expect(await refusal(s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: riderA.folder })))).toEqual(denied('s3:ListBucket', `arn:aws:s3:::${bucket}`))
    expect(await refusal(s3.send(new ListObjectsV2Command({ Bucket: bucket })))).toEqual(denied('s3:ListBucket', `arn:aws:s3:::${bucket}`))
    const read = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `${riderA.folder}photo.webp` }))
    expect(await read.Body!.transformToString()).toBe('A')
  })

  it('uploads 12 MB with lib-storage (multipart) and reads it back byte-identical', async () => {
    const data = randomBytes(12 * 1024 * 1024)
    const Key = `${riderA.folder}big.bin`
    const result = await new Upload({ client: riderA.client(), params: { Bucket: bucket, Key, Body: data } }).done()
    expect(result.ETag).toMatch(/^"[0-9a-f]{32}-3"$/)
    expect(result).toMatchObject({ ServerSideEncryption: 'AES256' })
    const got = await riderA.client().send(new GetObjectCommand({ Bucket: bucket, Key }))
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(data)).toBe(true)
    expect(got.ETag).toBe(result.ETag)
  })

  it('checks the parts a multipart upload is completed with', async () => {
    const s3 = riderA.client()
    const Key = `${riderA.folder}parts.bin`
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key }))
    const upload = (PartNumber: number, Body: string) => s3.send(new UploadPartCommand({ Bucket: bucket, Key, UploadId, PartNumber, Body }))
    const first = await upload(1, 'small')
    const second = await upload(2, 'last')
    const complete = (Parts: { PartNumber: number; ETag?: string }[]) =>
      s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key, UploadId, MultipartUpload: { Parts } }))
    expect(await refusal(complete([{ PartNumber: 2, ETag: second.ETag }, { PartNumber: 1, ETag: first.ETag }]))).toMatchObject({
      name: 'InvalidPartOrder',
      status: 400,
    })
    expect(await refusal(complete([{ PartNumber: 1, ETag: '"0123"' }]))).toMatchObject({ name: 'InvalidPart', status: 400 })
    expect(await refusal(complete([{ PartNumber: 1, ETag: first.ETag }, { PartNumber: 2, ETag: second.ETag }]))).toMatchObject({
      name: 'EntityTooSmall',
      status: 400,
    })
    // A single (last) part may be small.
    await complete([{ PartNumber: 2, ETag: second.ETag }])
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key }))
    expect(await got.Body!.transformToString()).toBe('last')
    expect(await refusal(complete([{ PartNumber: 2, ETag: second.ETag }]))).toMatchObject({ name: 'NoSuchUpload', status: 404 })
  })

  it('verifies checksums with the client’s default WHEN_SUPPORTED: aws-chunked CRC32 trailers, composite multipart, refused mismatches', async () => {
    const s3 = riderA.client('WHEN_SUPPORTED')
    const Key = `${riderA.folder}checked.bin`
    const data = randomBytes(64 * 1024)
    const put = await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key, Body: Readable.from([data.subarray(0, 32 * 1024), data.subarray(32 * 1024)]), ContentLength: data.length }),
    )
    expect(put.ChecksumCRC32).toMatch(/^[A-Za-z0-9+/]{6}==$/)
    // The client validates the CRC32 local AWS returns against the bytes it receives.
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key, ChecksumMode: 'ENABLED' }))
    expect(got.ChecksumCRC32).toBe(put.ChecksumCRC32)
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(data)).toBe(true)

    expect(await refusal(s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: 'tampered', ChecksumCRC32: put.ChecksumCRC32 })))).toEqual({
      name: 'BadDigest',
      status: 400,
      message: 'The CRC32 you specified did not match the calculated checksum.',
    })

    const big = randomBytes(11 * 1024 * 1024)
    const multipart = await new Upload({ client: s3, params: { Bucket: bucket, Key: `${riderA.folder}checked-multipart.bin`, Body: big } }).done()
    expect(multipart.ChecksumCRC32).toMatch(/-3$/)
    const readBack = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `${riderA.folder}checked-multipart.bin`, ChecksumMode: 'ENABLED' }))
    expect(Buffer.from(await readBack.Body!.transformToByteArray()).equals(big)).toBe(true)
  })

  it('serves presigned GET and PUT URLs to plain fetch, and refuses them tampered with', async () => {
    const s3 = riderA.client()
    const Key = `${riderA.folder}presigned.txt`
    const putUrl = await getSignedUrl(s3, new PutObjectCommand({ Bucket: bucket, Key, ContentType: 'text/plain' }), { expiresIn: 300 })
    const put = await fetch(putUrl, { method: 'PUT', body: 'via presigned PUT', headers: { 'Content-Type': 'text/plain' } })
    expect(put.status).toBe(200)
    expect(put.headers.get('etag')).toBe(`"${md5(Buffer.from('via presigned PUT'))}"`)

    const getUrl = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key }), { expiresIn: 300 })
    const got = await fetch(getUrl)
    expect(got.status).toBe(200)
    expect(got.headers.get('content-type')).toBe('text/plain')
    expect(await got.text()).toBe('via presigned PUT')

    const tampered = await fetch(getUrl.replace('presigned.txt', 'presigned.TXT'))
    expect(tampered.status).toBe(403)
    const body = await tampered.text()
    expect(body).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?><Error><Code>SignatureDoesNotMatch<\/Code><Message>/)
    expect(body).toMatch(/<RequestId>[0-9A-F]{16}<\/RequestId>/)
    expect(tampered.headers.get('x-amz-request-id')).toMatch(/^[0-9A-F]{16}$/)
  })

  // Why the app presigns with checksums WHEN_REQUIRED: docs/aws-behaviour.md#s3-checksums-only-when-required.
  it('refuses a presigned PUT that baked in the empty body’s CRC32 (WHEN_SUPPORTED presigning)', async () => {
    const url = await getSignedUrl(riderA.client('WHEN_SUPPORTED'), new PutObjectCommand({ Bucket: bucket, Key: `${riderA.folder}x` }), {
      expiresIn: 300,
    })
    expect(url).toContain('x-amz-checksum-crc32=AAAAAA%3D%3D')
    const response = await fetch(url, { method: 'PUT', body: 'not empty' })
    expect(response.status).toBe(400)
    expect(await response.text()).toContain('<Code>BadDigest</Code>')
  })

  it('answers CORS preflights from the template’s rule, and puts CORS headers on errors too', async () => {
    const preflight = (origin: string) =>
      fetch(`${aws.url}/${bucket}/${riderA.folder}photo.webp`, {
        method: 'OPTIONS',
        headers: { Origin: origin, 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'authorization,x-amz-date,amz-sdk-request' },
      })
    const allowed = await preflight('http://localhost:5173')
    expect(allowed.status).toBe(200)
    expect(Object.fromEntries(allowed.headers)).toMatchObject({
      'access-control-allow-origin': 'http://localhost:5173',
      'access-control-allow-methods': 'GET, HEAD, PUT, POST, DELETE',
      'access-control-allow-headers': 'authorization, x-amz-date, amz-sdk-request',
      'access-control-max-age': '3000',
    })
    const refused = await preflight('http://evil.test')
    expect(refused.status).toBe(403)
    expect(await refused.text()).toContain('<Code>AccessForbidden</Code><Message>CORSResponse: This CORS request is not allowed.')

    const anonymous = await fetch(`${aws.url}/${bucket}/${riderA.folder}photo.webp`, { headers: { Origin: APP_ORIGIN } })
    expect(anonymous.status).toBe(403)
    expect(anonymous.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN)
    expect(anonymous.headers.get('access-control-expose-headers')).toBe('ETag, x-amz-version-id, x-amz-request-id, Date')
  })

  it('answers HEAD errors with a status and no body', async () => {
    const url = await getSignedUrl(riderA.client(), new HeadObjectCommand({ Bucket: bucket, Key: `${riderA.folder}missing` }), { expiresIn: 60 })
    const response = await fetch(url, { method: 'HEAD' })
    expect(response.status).toBe(403)
    expect(await response.text()).toBe('')
  })

  it('names unknown buckets, too-long keys and operations it does not implement as S3 does', async () => {
    const s3 = riderA.client()
    expect(await refusal(s3.send(new GetObjectCommand({ Bucket: 'no-such-bucket', Key: 'k' })))).toMatchObject({ name: 'NoSuchBucket', status: 404 })
    expect(await refusal(s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${riderA.folder}${'k'.repeat(1024)}`, Body: 'x' })))).toMatchObject({
      name: 'KeyTooLongError',
      status: 400,
    })
    expect(await refusal(s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: `${riderA.folder}photo.webp` })))).toMatchObject({
      name: 'NotImplemented',
      status: 501,
    })
  })

  it('streams a 100 MB upload to disk without holding it in memory, and streams it back', async () => {
    const size = 100 * 1024 * 1024
    const piece = randomBytes(1024 * 1024)
    const Key = `${riderA.folder}hundred.bin`
    const rssBefore = process.memoryUsage().rss
    let rssPeak = rssBefore
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 5)
    try {
      const body = Readable.from((function* () {
        for (let sent = 0; sent < size; sent += piece.length) yield piece
      })())
      const put = await riderA.client().send(new PutObjectCommand({ Bucket: bucket, Key, Body: body, ContentLength: size }))
      const got = await riderA.client().send(new GetObjectCommand({ Bucket: bucket, Key }))
      const hash = createHash('md5')
      for await (const chunk of got.Body as Readable) hash.update(chunk as Buffer)
      expect(`"${hash.digest('hex')}"`).toBe(put.ETag)
    } finally {
      clearInterval(sampler)
    }
    // Holding the body (once on each side) would add 200 MB or more.
    expect(rssPeak - rssBefore).toBeLessThan(80 * 1024 * 1024)
  })

  it('serves reads in parallel, after an abandoned one and across reads of the server byte-identical (read buffers are reused)', async () => {
    const bodies = [randomBytes(3 << 20), randomBytes(5 << 20), randomBytes(2 << 20)]
    const keys = bodies.map((_, index) => `${riderA.folder}reused-${index}.bin`)
    const s3 = riderA.client()
    await Promise.all(bodies.map((Body, index) => s3.send(new PutObjectCommand({ Bucket: bucket, Key: keys[index], Body }))))
    // A reader that goes away after its first chunk, while the server still has MiBs to send.
    const abandoned = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: keys[1] }))
    for await (const chunk of abandoned.Body as Readable) {
      expect(chunk.length).toBeGreaterThan(0)
      break
    }
    for (let round = 0; round < 3; round += 1) {
      const read = await Promise.all(keys.map(async (Key) => Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key }))).Body!.transformToByteArray())))
      read.forEach((bytes, index) => expect(bytes.equals(bodies[index]!)).toBe(true))
    }
    // A range across several reads of the server.
    const range = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: keys[1], Range: 'bytes=1000000-3500000' }))
    expect(Buffer.from(await range.Body!.transformToByteArray()).equals(bodies[1]!.subarray(1_000_000, 3_500_001))).toBe(true)
  })

  it('refuses expired credentials with ExpiredToken', async () => {
    const started = clock.now()
    try {
      clock.set(riderA.session.expiration + 1000)
      expect(await refusal(riderA.client().send(new GetObjectCommand({ Bucket: bucket, Key: `${riderA.folder}photo.webp` })))).toEqual({
        name: 'ExpiredToken',
        status: 400,
        message: 'The provided token has expired.',
      })
    } finally {
      clock.set(started)
    }
  })

  it('refuses an access key named like an inherited property (__proto__, constructor) as one it never issued', async () => {
    for (const accessKeyId of ['__proto__', 'constructor']) {
      const s3 = new S3Client({
        region: aws.config.region,
        endpoint: aws.url,
        forcePathStyle: true,
        credentials: { accessKeyId, secretAccessKey: 'undefined', sessionToken: 'token' },
        maxAttempts: 1,
      })
      expect(await refusal(s3.send(new GetObjectCommand({ Bucket: bucket, Key: `${riderA.folder}photo.webp` })))).toEqual({
        name: 'InvalidAccessKeyId',
        status: 403,
        message: 'The AWS Access Key Id you provided does not exist in our records.',
      })
      s3.destroy()
    }
  })

  it('keeps objects across a restart', async () => {
    const Key = `${riderA.folder}durable.txt`
    await riderA.client().send(new PutObjectCommand({ Bucket: bucket, Key, Body: 'still here', ContentType: 'text/plain' }))
    await aws.stop()
    aws = await start()
    const got = await riderA.client().send(new GetObjectCommand({ Bucket: bucket, Key }))
    expect(got.ContentType).toBe('text/plain')
    expect(await got.Body!.transformToString()).toBe('still here')
  })
})
