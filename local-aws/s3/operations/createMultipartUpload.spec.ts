import { XMLParser } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import { refusal } from '../../../tests/support/awsErrors.ts'
import { bucket, callS3, s3Fakes, s3Request, type S3Fakes } from '../../../tests/support/localAwsFakes.ts'
import type { RequestHeaders } from '../payload.ts'
import { createCreateMultipartUpload } from './createMultipartUpload.ts'

const KEY = 'private/us-east-1:rider/videos/ride.mp4'

function create(fakes: S3Fakes, headers: RequestHeaders = {}) {
  return callS3(createCreateMultipartUpload({ uploads: fakes.uploads }), s3Request(fakes, { key: KEY, query: { uploads: '' }, headers }), 'POST')
}

describe('CreateMultipartUpload', () => {
  it("answers an upload id and remembers the object's description for the completion", async () => {
    const fakes = await s3Fakes()
    const answer = await create(fakes, { 'content-type': 'video/mp4', 'x-amz-meta-ride': '42' })
    expect(answer.status).toBe(200)
    const result = (new XMLParser().parse(answer.body.toString()) as { InitiateMultipartUploadResult: { Bucket: string; Key: string; UploadId: string } })
      .InitiateMultipartUploadResult
    expect(result).toEqual({ Bucket: bucket.name, Key: KEY, UploadId: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/) })
    expect(fakes.uploads.find(bucket.name, KEY, result.UploadId)).toMatchObject({
      initiated: fakes.clock.now(),
      description: { contentType: 'video/mp4', metadata: { ride: '42' } },
    })
  })

  it('answers the composite checksum algorithm the upload will use', async () => {
    const fakes = await s3Fakes()
    const answer = await create(fakes, { 'x-amz-checksum-algorithm': 'crc32' })
    expect(answer.headers).toMatchObject({ 'x-amz-checksum-algorithm': 'CRC32', 'x-amz-checksum-type': 'COMPOSITE' })
  })

  it('refuses an unknown checksum algorithm with InvalidRequest and metadata over 2 KB with MetadataTooLarge', async () => {
    const fakes = await s3Fakes()
    expect(await refusal(create(fakes, { 'x-amz-checksum-algorithm': 'MD4' }))).toEqual({
      code: 'InvalidRequest',
      status: 400,
      message: 'Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]',
    })
    expect(await refusal(create(fakes, { 'x-amz-meta-notes': 'x'.repeat(2048) }))).toMatchObject({ code: 'MetadataTooLarge', status: 400 })
  })

  it('answers NotImplemented (501) for FULL_OBJECT checksums and CRC64NVME, which local AWS does not compute', async () => {
    const fakes = await s3Fakes()
    expect(await refusal(create(fakes, { 'x-amz-checksum-algorithm': 'CRC32', 'x-amz-checksum-type': 'FULL_OBJECT' }))).toMatchObject({ code: 'NotImplemented', status: 501 })
    expect(await refusal(create(fakes, { 'x-amz-checksum-algorithm': 'CRC64NVME' }))).toEqual({
      code: 'NotImplemented',
      status: 501,
      message: 'Local AWS does not verify CRC64NVME checksums',
    })
  })
})
