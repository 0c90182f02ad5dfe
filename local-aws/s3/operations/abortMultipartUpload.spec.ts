import { describe, expect, it } from 'vitest'
import { refusal } from '../../../tests/support/awsErrors.ts'
import { bucket, callS3, s3Fakes, s3Request, type S3Fakes } from '../../../tests/support/localAwsFakes.ts'
import { createAbortMultipartUpload } from './abortMultipartUpload.ts'

const KEY = 'private/us-east-1:rider/videos/ride.mp4'

function abort(fakes: S3Fakes, uploadId: string) {
  return callS3(createAbortMultipartUpload({ uploads: fakes.uploads }), s3Request(fakes, { key: KEY, query: { uploadId } }), 'DELETE')
}

describe('AbortMultipartUpload', () => {
  it('forgets the upload and answers 204', async () => {
    const fakes = await s3Fakes()
    const { uploadId } = fakes.uploads.create(bucket.name, KEY, { contentType: 'video/mp4', headers: {}, metadata: {} })
    expect(await abort(fakes, uploadId)).toMatchObject({ status: 204 })
    expect(() => fakes.uploads.find(bucket.name, KEY, uploadId)).toThrow('The specified upload does not exist.')
  })

  it('refuses an upload that is not in progress, aborted ones included, with NoSuchUpload', async () => {
    const fakes = await s3Fakes()
    const { uploadId } = fakes.uploads.create(bucket.name, KEY, { contentType: 'video/mp4', headers: {}, metadata: {} })
    await abort(fakes, uploadId)
    expect(await refusal(abort(fakes, uploadId))).toEqual({
      code: 'NoSuchUpload',
      status: 404,
      message: 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    })
    expect(await refusal(abort(fakes, ''))).toMatchObject({ code: 'NoSuchUpload' })
  })
})
