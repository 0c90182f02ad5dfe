import { describe, expect, it } from 'vitest'
import { bucket, callS3, putStoredObject, s3Fakes, s3Request } from '../../../tests/support/localAwsFakes.ts'
import { createDeleteObject } from './deleteObject.ts'

const KEY = 'protected/us-east-1:rider/profile/photo.webp'

describe('DeleteObject', () => {
  it('deletes the object and answers 204', async () => {
    const fakes = await s3Fakes()
    await putStoredObject(fakes, KEY, 'a tiny photo')
    const answer = await callS3(createDeleteObject({ store: fakes.objects }), s3Request(fakes, { key: KEY }), 'DELETE')
    expect(answer).toMatchObject({ status: 204, body: Buffer.alloc(0) })
    expect(fakes.objects.find(bucket.name, KEY)).toBeUndefined()
    expect(await fakes.objects.open(bucket.name, KEY)).toBeUndefined()
  })

  it('answers 204 for a key that does not exist, as an unversioned bucket does (the API reference lists no error of its own)', async () => {
    const fakes = await s3Fakes()
    await putStoredObject(fakes, 'another/key', 'kept')
    expect(await callS3(createDeleteObject({ store: fakes.objects }), s3Request(fakes, { key: KEY }), 'DELETE')).toMatchObject({ status: 204 })
    expect(fakes.objects.list(bucket.name).map((object) => object.key)).toEqual(['another/key'])
  })
})
