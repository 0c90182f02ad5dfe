import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { refusal } from '../../../tests/support/awsErrors.ts'
import { bucket, callS3, s3Fakes, s3Request, type S3Call, type S3Fakes } from '../../../tests/support/localAwsFakes.ts'
import { createUploadPart } from './uploadPart.ts'

const KEY = 'private/us-east-1:rider/videos/ride.mp4'
const PART = Buffer.from('the first part of a ride')

function uploadPart(fakes: S3Fakes, uploadId: string, call: S3Call = {}) {
  const request = s3Request(fakes, { key: KEY, body: PART, ...call, query: { partNumber: '1', uploadId, ...call.query } })
  return callS3(createUploadPart({ store: fakes.objects, uploads: fakes.uploads }), request, 'PUT')
}

function startUpload(fakes: S3Fakes, checksumAlgorithm?: 'SHA256') {
  return fakes.uploads.create(bucket.name, KEY, { contentType: 'video/mp4', headers: {}, metadata: {} }, checksumAlgorithm).uploadId
}

describe('UploadPart', () => {
  it("stores the part and answers its MD5 as the ETag, with the upload's checksum", async () => {
    const fakes = await s3Fakes()
    const uploadId = startUpload(fakes, 'SHA256')
    const answer = await uploadPart(fakes, uploadId)
    const etag = `"${createHash('md5').update(PART).digest('hex')}"`
    const sha256 = createHash('sha256').update(PART).digest('base64')
    expect(answer).toMatchObject({ status: 200, headers: { etag, 'x-amz-checksum-sha256': sha256 } })
    const upload = fakes.uploads.find(bucket.name, KEY, uploadId)
    expect(fakes.uploads.parts(upload).get(1)).toMatchObject({ partNumber: 1, size: PART.length, etag, checksum: sha256 })
  })

  it('refuses an upload id that is unknown, aborted or of another key with NoSuchUpload', async () => {
    const fakes = await s3Fakes()
    const noSuchUpload = {
      code: 'NoSuchUpload',
      status: 404,
      message: 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    }
    expect(await refusal(uploadPart(fakes, 'A'.repeat(32)))).toEqual(noSuchUpload)
    expect(await refusal(uploadPart(fakes, '../../meta'))).toEqual(noSuchUpload)
    const uploadId = startUpload(fakes)
    expect(await refusal(uploadPart(fakes, uploadId, { key: 'private/us-east-1:rider/other.mp4' }))).toEqual(noSuchUpload)
  })

  it('refuses a part number outside 1 to 10,000 with InvalidArgument', async () => {
    const fakes = await s3Fakes()
    const uploadId = startUpload(fakes)
    for (const partNumber of ['0', '10001', 'one']) {
      expect(await refusal(uploadPart(fakes, uploadId, { query: { partNumber } }))).toEqual({
        code: 'InvalidArgument',
        status: 400,
        message: 'Part number must be an integer between 1 and 10000, inclusive',
      })
    }
  })

  it("refuses a checksum of another algorithm than the upload's with InvalidRequest, and a wrong one with BadDigest", async () => {
    const fakes = await s3Fakes()
    const uploadId = startUpload(fakes, 'SHA256')
    expect(await refusal(uploadPart(fakes, uploadId, { headers: { 'x-amz-checksum-crc32': 'AAAAAA==' } }))).toEqual({
      code: 'InvalidRequest',
      status: 400,
      message: 'Checksum Type mismatch occurred, expected checksum Type: sha256, actual checksum Type: crc32',
    })
    const wrong = createHash('sha256').update('another part').digest('base64')
    expect(await refusal(uploadPart(fakes, uploadId, { headers: { 'x-amz-checksum-sha256': wrong } }))).toMatchObject({ code: 'BadDigest', status: 400 })
    expect(fakes.uploads.parts(fakes.uploads.find(bucket.name, KEY, uploadId)).size).toBe(0)
  })
})
