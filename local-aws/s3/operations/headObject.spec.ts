import { describe, expect, it } from 'vitest'
import { refusal } from '../../../tests/support/awsErrors.ts'
import { callS3, putStoredObject, riderSession, s3Fakes, s3Request, type S3Call, type S3Fakes } from '../../../tests/support/localAwsFakes.ts'
import { createHeadObject } from './headObject.ts'

const KEY = 'protected/us-east-1:rider/profile/photo.webp'

function head(fakes: S3Fakes, call: S3Call = {}) {
  return callS3(createHeadObject({ store: fakes.objects, authorize: fakes.authorize }), s3Request(fakes, { key: KEY, ...call }), 'HEAD')
}

describe('HeadObject', () => {
  it("answers the object's headers and length without its bytes", async () => {
    const fakes = await s3Fakes()
    const stored = await putStoredObject(fakes, KEY, 'a tiny photo')
    const answer = await head(fakes)
    expect(answer).toMatchObject({ status: 200, headers: { etag: stored.etag, 'content-length': '12', 'content-type': 'image/webp' } })
    expect(answer.body).toHaveLength(0)
  })

  it('answers a range request with 206 and its Content-Range', async () => {
    const fakes = await s3Fakes()
    await putStoredObject(fakes, KEY, 'a tiny photo')
    expect(await head(fakes, { headers: { range: 'bytes=-5' } })).toMatchObject({ status: 206, headers: { 'content-range': 'bytes 7-11/12', 'content-length': '5' } })
  })

  it('answers a missing key with a 404 NoSuchKey, and AccessDenied to a rider who may not list the bucket', async () => {
    const fakes = await s3Fakes()
    expect(await refusal(head(fakes))).toMatchObject({ code: 'NoSuchKey', status: 404 })
    expect(await refusal(head(fakes, { session: riderSession(fakes) }))).toMatchObject({ code: 'AccessDenied', status: 403 })
  })

  it('refuses a range past the end with InvalidRange', async () => {
    const fakes = await s3Fakes()
    await putStoredObject(fakes, KEY, 'a tiny photo')
    expect(await refusal(head(fakes, { headers: { range: 'bytes=12-' } }))).toMatchObject({ code: 'InvalidRange', status: 416 })
  })
})
