import { XMLParser } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import { refusal } from '../../../tests/support/awsErrors.ts'
import { bucket, callS3, putStoredObject, s3Fakes, s3Request, type S3Fakes } from '../../../tests/support/localAwsFakes.ts'
import type { QueryParameters } from '../router.ts'
import { createListObjectsV2 } from './listObjectsV2.ts'

const xml = new XMLParser({ parseTagValue: false, isArray: (name) => name === 'Contents' || name === 'CommonPrefixes' })

async function list(fakes: S3Fakes, query: QueryParameters) {
  const answer = await callS3(createListObjectsV2({ store: fakes.objects }), s3Request(fakes, { query: { 'list-type': '2', ...query } }))
  expect(answer.headers['content-type']).toBe('application/xml')
  return (xml.parse(answer.body.toString()) as { ListBucketResult: Record<string, unknown> & { Contents?: { Key: string }[] } }).ListBucketResult
}

describe('ListObjectsV2', () => {
  it('lists keys under a prefix in byte order, with common prefixes for the delimiter', async () => {
    const fakes = await s3Fakes()
    for (const key of ['private/a/z.webp', 'private/a/b/c.webp', 'private/a/A.webp', 'protected/x.webp']) await putStoredObject(fakes, key, key)
    const result = await list(fakes, { prefix: 'private/a/', delimiter: '/' })
    expect(result).toMatchObject({
      Name: bucket.name,
      Prefix: 'private/a/',
      Delimiter: '/',
      KeyCount: '3',
      MaxKeys: '1000',
      IsTruncated: 'false',
      CommonPrefixes: [{ Prefix: 'private/a/b/' }],
    })
    expect(result.Contents?.map((object) => object.Key)).toEqual(['private/a/A.webp', 'private/a/z.webp'])
    expect(result.Contents?.[0]).toMatchObject({ Size: '16', StorageClass: 'STANDARD', LastModified: new Date(fakes.clock.now()).toISOString() })
  })

  it('pages with max-keys and the continuation token it answers', async () => {
    const fakes = await s3Fakes()
    for (const key of ['a', 'b', 'c']) await putStoredObject(fakes, key, key)
    const first = await list(fakes, { 'max-keys': '2' })
    expect(first).toMatchObject({ IsTruncated: 'true', KeyCount: '2' })
    const second = await list(fakes, { 'max-keys': '2', 'continuation-token': String(first.NextContinuationToken) })
    expect(second.Contents?.map((object) => object.Key)).toEqual(['c'])
    expect(second).toMatchObject({ IsTruncated: 'false', ContinuationToken: first.NextContinuationToken })
  })

  it('refuses a max-keys that is not a number, a token it did not issue and an unknown encoding with InvalidArgument', async () => {
    const fakes = await s3Fakes()
    expect(await refusal(list(fakes, { 'max-keys': 'ten' }))).toEqual({
      code: 'InvalidArgument',
      status: 400,
      message: 'Provided max-keys not an integer or within integer range',
    })
    expect(await refusal(list(fakes, { 'continuation-token': 'not-ours' }))).toEqual({
      code: 'InvalidArgument',
      status: 400,
      message: 'The continuation token provided is incorrect',
    })
    expect(await refusal(list(fakes, { 'encoding-type': 'base64' }))).toEqual({
      code: 'InvalidArgument',
      status: 400,
      message: 'Invalid Encoding Method specified in Request',
    })
  })
})
