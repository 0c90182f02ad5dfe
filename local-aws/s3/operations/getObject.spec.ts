import { describe, expect, it } from 'vitest'
import { refusal } from '../../../tests/support/awsErrors.ts'
import { bucket, callS3, putStoredObject, riderSession, s3Fakes, s3Request, type S3Call, type S3Fakes } from '../../../tests/support/localAwsFakes.ts'
import { createGetObject } from './getObject.ts'

const KEY = 'protected/us-east-1:rider/profile/photo.webp'

function get(fakes: S3Fakes, call: S3Call = {}) {
  return callS3(createGetObject({ store: fakes.objects, authorize: fakes.authorize }), s3Request(fakes, { key: KEY, ...call }))
}

describe('GetObject', () => {
  it("answers the object's bytes with its type, ETag, size and date", async () => {
    const fakes = await s3Fakes()
    const stored = await putStoredObject(fakes, KEY, 'a tiny photo')
    const answer = await get(fakes)
    expect(answer.status).toBe(200)
    expect(answer.body.toString()).toBe('a tiny photo')
    expect(answer.headers).toMatchObject({
      'content-type': 'image/webp',
      etag: stored.etag,
      'content-length': '12',
      'last-modified': new Date(fakes.clock.now()).toUTCString(),
      'accept-ranges': 'bytes',
    })
  })

  it('answers one range with 206 and Content-Range, and applies response-* overrides', async () => {
    const fakes = await s3Fakes()
    await putStoredObject(fakes, KEY, 'a tiny photo')
    const answer = await get(fakes, { headers: { range: 'bytes=2-5' }, query: { 'response-content-type': 'image/png' } })
    expect(answer).toMatchObject({ status: 206, headers: { 'content-range': 'bytes 2-5/12', 'content-type': 'image/png' } })
    expect(answer.body.toString()).toBe('tiny')
  })

  it('refuses a range past the end with InvalidRange', async () => {
    const fakes = await s3Fakes()
    await putStoredObject(fakes, KEY, 'a tiny photo')
    expect(await refusal(get(fakes, { headers: { range: 'bytes=100-' } }))).toEqual({
      code: 'InvalidRange',
      status: 416,
      message: 'The requested range is not satisfiable',
    })
  })

  it('answers a missing key with NoSuchKey to a caller who may list the bucket, and AccessDenied to a rider who may not', async () => {
    const fakes = await s3Fakes()
    expect(await refusal(get(fakes))).toEqual({ code: 'NoSuchKey', status: 404, message: 'The specified key does not exist.' })
    expect(await refusal(get(fakes, { session: riderSession(fakes) }))).toMatchObject({
      code: 'AccessDenied',
      status: 403,
      message: expect.stringContaining(`is not authorized to perform: s3:ListBucket on resource: "${bucket.arn}"`),
    })
  })
})
