import { createHash } from 'node:crypto'
import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { refusal } from '../../tests/support/awsErrors.ts'
import { compositeChecksum, createChecksum, type ChecksumAlgorithm } from './checksums.ts'
import { RequestPayload, type PayloadDigests, type PayloadOptions, type RequestHeaders } from './payload.ts'
import type { PayloadSigning } from './sigv4.ts'

const CHECK = Buffer.from('123456789')

function digest(algorithm: ChecksumAlgorithm, data: Buffer): string {
  const checksum = createChecksum(algorithm)
  checksum.update(data)
  return checksum.digest().toString('base64')
}

async function read(
  body: Buffer | Buffer[],
  headers: RequestHeaders,
  signing: PayloadSigning = { kind: 'unsigned' },
  options: PayloadOptions = { maxBytes: 1 << 20 },
): Promise<PayloadDigests & { data: Buffer }> {
  const payload = new RequestPayload(Readable.from(Array.isArray(body) ? body : [body]), signing, headers, options)
  const chunks: Buffer[] = []
  for await (const chunk of payload.chunks()) chunks.push(chunk)
  return { ...(await payload.finish()), data: Buffer.concat(chunks) }
}

const chunked = (...pieces: string[]) => Buffer.from(pieces.join(''))
const trailerSigning: PayloadSigning = { kind: 'aws-chunked', hasTrailer: true }

describe('checksums', () => {
  it('match the standard check values of "123456789"', () => {
    expect(Buffer.from(digest('CRC32', CHECK), 'base64').toString('hex')).toBe('cbf43926')
    expect(Buffer.from(digest('CRC32C', CHECK), 'base64').toString('hex')).toBe('e3069283')
    expect(digest('SHA1', CHECK)).toBe(createHash('sha1').update(CHECK).digest('base64'))
    expect(digest('SHA256', CHECK)).toBe(createHash('sha256').update(CHECK).digest('base64'))
  })

  it('are the same fed in pieces', () => {
    const pieces = createChecksum('CRC32C')
    pieces.update(CHECK.subarray(0, 4))
    pieces.update(CHECK.subarray(4))
    expect(pieces.digest().toString('base64')).toBe(digest('CRC32C', CHECK))
  })

  it('combine into a multipart checksum: the checksum of the part checksums, then the part count', () => {
    const parts = [digest('CRC32', Buffer.from('a')), digest('CRC32', Buffer.from('b'))]
    const joined = Buffer.concat(parts.map((part) => Buffer.from(part, 'base64')))
    expect(compositeChecksum('CRC32', parts)).toBe(`${digest('CRC32', joined)}-2`)
  })
})

describe('request payloads', () => {
  it('hash the body for the ETag and verify every x-amz-checksum-* algorithm sent', async () => {
    for (const algorithm of ['CRC32', 'CRC32C', 'SHA1', 'SHA256'] as const) {
      const header = `x-amz-checksum-${algorithm.toLowerCase()}`
      const result = await read(CHECK, { [header]: digest(algorithm, CHECK) })
      expect(result.md5.toString('hex')).toBe(createHash('md5').update(CHECK).digest('hex'))
      expect(result.checksum).toEqual({ algorithm, value: digest(algorithm, CHECK) })
      expect(await refusal(read(CHECK, { [header]: digest(algorithm, Buffer.from('other')) }))).toEqual({
        code: 'BadDigest',
        status: 400,
        message: `The ${algorithm} you specified did not match the calculated checksum.`,
      })
    }
  })

  it('refuse malformed, multiple or unverifiable checksum headers before reading a byte', async () => {
    expect(await refusal(read(CHECK, { 'x-amz-checksum-crc32': 'not base64!' }))).toMatchObject({ code: 'InvalidRequest', status: 400 })
    expect(
      await refusal(read(CHECK, { 'x-amz-checksum-crc32': digest('CRC32', CHECK), 'x-amz-checksum-sha1': digest('SHA1', CHECK) })),
    ).toMatchObject({ code: 'InvalidRequest', message: 'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.' })
    expect(await refusal(read(CHECK, { 'x-amz-checksum-crc64nvme': 'AAAAAAAAAAA=' }))).toMatchObject({ code: 'NotImplemented', status: 501 })
    expect(await refusal(read(CHECK, { 'x-amz-sdk-checksum-algorithm': 'CRC32' }))).toMatchObject({ code: 'InvalidRequest' })
  })

  it('verify Content-MD5', async () => {
    const md5 = createHash('md5').update(CHECK).digest('base64')
    await expect(read(CHECK, { 'content-md5': md5 })).resolves.toMatchObject({ size: 9 })
    expect(await refusal(read(Buffer.from('12345678X'), { 'content-md5': md5 }))).toMatchObject({ code: 'BadDigest', status: 400 })
    expect(await refusal(read(CHECK, { 'content-md5': 'short' }))).toMatchObject({ code: 'InvalidDigest', status: 400 })
  })

  it('verify the body against x-amz-content-sha256', async () => {
    const sha256 = createHash('sha256').update(CHECK).digest('hex')
    await expect(read(CHECK, {}, { kind: 'sha256', sha256 })).resolves.toMatchObject({ size: 9 })
    expect(await refusal(read(Buffer.from('12345678X'), {}, { kind: 'sha256', sha256 }))).toMatchObject({
      code: 'XAmzContentSHA256Mismatch',
      status: 400,
    })
  })

  it('decode aws-chunked bodies split anywhere, and verify the trailing checksum', async () => {
    const data = Buffer.alloc(9000, 'd')
    const body = chunked(`2328\r\n`, data.toString(), `\r\n3\r\nend\r\n0\r\nx-amz-checksum-crc32c:${digest('CRC32C', Buffer.concat([data, Buffer.from('end')]))}\r\n\r\n`)
    const pieces = [body.subarray(0, 3), body.subarray(3, 5000), body.subarray(5000, 9007), body.subarray(9007)]
    const headers = { 'x-amz-decoded-content-length': '9003', 'x-amz-trailer': 'x-amz-checksum-crc32c' }
    const result = await read(pieces, headers, trailerSigning)
    expect(result.data.equals(Buffer.concat([data, Buffer.from('end')]))).toBe(true)
    expect(result.checksum?.algorithm).toBe('CRC32C')

    const wrong = chunked(`2328\r\n`, data.toString(), `\r\n3\r\nend\r\n0\r\nx-amz-checksum-crc32c:AAAAAA==\r\n\r\n`)
    expect(await refusal(read(wrong, headers, trailerSigning))).toMatchObject({ code: 'BadDigest' })
    const missingTrailer = chunked(`2328\r\n`, data.toString(), `\r\n3\r\nend\r\n0\r\n\r\n`)
    expect(await refusal(read(missingTrailer, headers, trailerSigning))).toMatchObject({ code: 'InvalidRequest' })
  })

  it('refuse aws-chunked bodies that are cut short, mis-sized or chunked under 8 KiB', async () => {
    const headers = { 'x-amz-decoded-content-length': '5' }
    expect(await refusal(read(chunked('5\r\nhel'), headers, trailerSigning))).toMatchObject({ code: 'IncompleteBody' })
    expect(await refusal(read(chunked('4\r\nhell\r\n0\r\n\r\n'), headers, trailerSigning))).toMatchObject({ code: 'IncompleteBody' })
    expect(await refusal(read(chunked('5\r\nhello\r\n0\r\n\r\n'), {}, trailerSigning))).toMatchObject({ code: 'MissingContentLength', status: 411 })
    expect(await refusal(read(chunked('2\r\nhe\r\n3\r\nllo\r\n0\r\n\r\n'), headers, trailerSigning))).toMatchObject({
      code: 'InvalidChunkSizeError',
      status: 403,
    })
    expect(await refusal(read(chunked('zz\r\n'), headers, trailerSigning))).toMatchObject({ code: 'InvalidRequest' })
  })

  it('refuse a body larger than allowed, whether declared or streamed', async () => {
    expect(await refusal(read(CHECK, { 'content-length': '9' }, undefined, { maxBytes: 8 }))).toMatchObject({ code: 'EntityTooLarge' })
    expect(await refusal(read(CHECK, {}, undefined, { maxBytes: 8 }))).toMatchObject({ code: 'EntityTooLarge' })
  })
})
