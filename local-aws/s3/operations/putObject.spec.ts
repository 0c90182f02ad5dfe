import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { refusal } from '../../../tests/support/awsErrors.ts'
import { bucket, callS3, s3Fakes, s3Request, type S3Call, type S3Fakes } from '../../../tests/support/localAwsFakes.ts'
import { createPutObject } from './putObject.ts'

const KEY = 'protected/us-east-1:rider/profile/photo.webp'
const PHOTO = Buffer.from('RIFF....WEBPVP8 a tiny photo')

function put(fakes: S3Fakes, call: S3Call = {}) {
  return callS3(createPutObject({ store: fakes.objects }), s3Request(fakes, { key: KEY, body: PHOTO, ...call }), 'PUT')
}

const md5 = (body: Buffer) => createHash('md5').update(body).digest()

describe('PutObject', () => {
  it('stores the body with its type, headers and metadata, and answers its MD5 as the ETag', async () => {
    const fakes = await s3Fakes()
    const answer = await put(fakes, { headers: { 'content-type': 'image/webp', 'cache-control': 'max-age=60', 'x-amz-meta-origin': 'camera' } })
    const etag = `"${md5(PHOTO).toString('hex')}"`
    expect(answer).toMatchObject({ status: 200, headers: { etag } })
    expect(fakes.objects.find(bucket.name, KEY)).toMatchObject({
      size: PHOTO.length,
      etag,
      contentType: 'image/webp',
      headers: { 'cache-control': 'max-age=60' },
      metadata: { origin: 'camera' },
      lastModified: fakes.clock.now(),
    })
  })

  it('verifies and keeps a checksum the client sends, and answers it', async () => {
    const fakes = await s3Fakes()
    const sha256 = createHash('sha256').update(PHOTO).digest('base64')
    const answer = await put(fakes, { headers: { 'x-amz-checksum-sha256': sha256, 'x-amz-sdk-checksum-algorithm': 'SHA256' } })
    expect(answer.headers).toMatchObject({ 'x-amz-checksum-sha256': sha256, 'x-amz-checksum-type': 'FULL_OBJECT' })
    expect(fakes.objects.find(bucket.name, KEY)?.checksum).toEqual({ algorithm: 'SHA256', value: sha256, type: 'FULL_OBJECT' })
  })

  it('refuses a body that does not match its Content-MD5 or checksum with BadDigest, storing nothing', async () => {
    const fakes = await s3Fakes()
    const other = md5(Buffer.from('another photo')).toString('base64')
    expect(await refusal(put(fakes, { headers: { 'content-md5': other } }))).toEqual({
      code: 'BadDigest',
      status: 400,
      message: 'The Content-MD5 you specified did not match what we received.',
    })
    const wrongSha = createHash('sha256').update('another photo').digest('base64')
    expect(await refusal(put(fakes, { headers: { 'x-amz-checksum-sha256': wrongSha } }))).toEqual({
      code: 'BadDigest',
      status: 400,
      message: 'The SHA256 you specified did not match the calculated checksum.',
    })
    expect(fakes.objects.find(bucket.name, KEY)).toBeUndefined()
  })

  it('refuses a Content-MD5 that is not an MD5 with InvalidDigest, and an invalid checksum value with InvalidRequest', async () => {
    const fakes = await s3Fakes()
    expect(await refusal(put(fakes, { headers: { 'content-md5': 'bm90IGFuIG1kNQ==' } }))).toEqual({
      code: 'InvalidDigest',
      status: 400,
      message: 'The Content-MD5 you specified was invalid.',
    })
    expect(await refusal(put(fakes, { headers: { 'x-amz-checksum-crc32': 'nope' } }))).toEqual({
      code: 'InvalidRequest',
      status: 400,
      message: 'Value for x-amz-checksum-crc32 header is invalid.',
    })
  })

  it('refuses a body whose SHA-256 is not the signed one with XAmzContentSHA256Mismatch', async () => {
    const fakes = await s3Fakes()
    const signedSha256 = createHash('sha256').update('the photo that was signed').digest('hex')
    expect(await refusal(put(fakes, { signedSha256 }))).toEqual({
      code: 'XAmzContentSHA256Mismatch',
      status: 400,
      message: "The provided 'x-amz-content-sha256' header does not match what was computed.",
    })
    expect(fakes.objects.find(bucket.name, KEY)).toBeUndefined()
  })

  it('refuses a body shorter than its Content-Length with IncompleteBody, and metadata over 2 KB with MetadataTooLarge', async () => {
    const fakes = await s3Fakes()
    expect(await refusal(put(fakes, { headers: { 'content-length': String(PHOTO.length + 10) } }))).toEqual({
      code: 'IncompleteBody',
      status: 400,
      message: 'You did not provide the number of bytes specified by the Content-Length HTTP header',
    })
    expect(await refusal(put(fakes, { headers: { 'x-amz-meta-notes': 'x'.repeat(2048) } }))).toEqual({
      code: 'MetadataTooLarge',
      status: 400,
      message: 'Your metadata headers exceed the maximum allowed metadata size.',
    })
  })

  it('refuses a body over 5 GiB with EntityTooLarge before reading it', async () => {
    const fakes = await s3Fakes()
    expect(await refusal(put(fakes, { headers: { 'content-length': String(5 * 1024 ** 3 + 1) } }))).toEqual({
      code: 'EntityTooLarge',
      status: 400,
      message: 'Your proposed upload exceeds the maximum allowed size',
    })
  })
})
