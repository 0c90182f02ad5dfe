// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
import { AwsError } from '../../errors.ts'
import { listKeys, type ListRequest, type Marker } from '../listing.ts'
import type { ObjectStore } from '../objectStore.ts'
import type { S3Operation } from '../operation.ts'
import { queryValue, type QueryParameters } from '../router.ts'
import { sendXml, type XmlContent } from '../xml.ts'

export interface ListObjectsV2Services {
  store: ObjectStore
}

const MAX_KEYS = 1000

function invalidArgument(message: string, name: string, value: string): AwsError {
  return new AwsError('InvalidArgument', message, 400, { ArgumentName: name, ArgumentValue: value })
}

/** Continuation tokens are opaque to clients; ours is base64 (so `+`, `/` and `=` travel in query strings). */
function encodeContinuationToken(marker: Marker): string {
  return Buffer.from(JSON.stringify(marker)).toString('base64')
}

function decodeContinuationToken(token: string): Marker {
  try {
    const marker = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as Partial<Marker>
    if (typeof marker.after === 'string' && typeof marker.isCommonPrefix === 'boolean') return { after: marker.after, isCommonPrefix: marker.isCommonPrefix }
  } catch {
    // Falls through to S3's answer for a token it did not issue.
  }
  throw invalidArgument('The continuation token provided is incorrect', 'continuation-token', token)
}

function parseMaxKeys(value: string | undefined): number {
  if (value === undefined) return MAX_KEYS
  if (!/^\d{1,10}$/.test(value)) throw invalidArgument('Provided max-keys not an integer or within integer range', 'max-keys', value)
  return Math.min(Number(value), MAX_KEYS)
}

function listRequestOf(query: QueryParameters): ListRequest {
  const token = queryValue(query, 'continuation-token')
  return {
    prefix: queryValue(query, 'prefix') ?? '',
    delimiter: queryValue(query, 'delimiter') ?? '',
    maxKeys: parseMaxKeys(queryValue(query, 'max-keys')),
    startAfter: queryValue(query, 'start-after') ?? '',
    continuation: token === undefined ? undefined : decodeContinuationToken(token),
  }
}

/** ListObjectsV2: one page of keys and common prefixes, with a continuation token when more follow. */
export function createListObjectsV2({ store }: ListObjectsV2Services): S3Operation {
  return async (request, response) => {
    const { query } = request
    const encodingType = queryValue(query, 'encoding-type')
    if (encodingType !== undefined && encodingType !== 'url') {
      throw invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', encodingType)
    }
    // encoding-type=url lets keys holding characters XML 1.0 cannot carry travel percent-encoded.
    const encode = (text: string) => (encodingType === 'url' ? encodeURIComponent(text).replace(/%2F/g, '/') : text)
    const listRequest = listRequestOf(query)
    const listing = listKeys(store.list(request.bucket.name), listRequest)
    const content: XmlContent = {
      Name: request.bucket.name,
      Prefix: encode(listRequest.prefix),
      Delimiter: listRequest.delimiter === '' ? undefined : encode(listRequest.delimiter),
      MaxKeys: listRequest.maxKeys,
      EncodingType: encodingType,
      KeyCount: listing.contents.length + listing.commonPrefixes.length,
      IsTruncated: listing.next !== undefined,
      ContinuationToken: queryValue(query, 'continuation-token'),
      NextContinuationToken: listing.next && encodeContinuationToken(listing.next),
      StartAfter: listRequest.startAfter === '' ? undefined : encode(listRequest.startAfter),
      Contents: listing.contents.map((object) => ({
        Key: encode(object.key),
        LastModified: new Date(object.lastModified).toISOString(),
        ETag: object.etag,
        ChecksumAlgorithm: object.checksum?.algorithm,
        ChecksumType: object.checksum?.type,
        Size: object.size,
        StorageClass: 'STANDARD',
      })),
      CommonPrefixes: listing.commonPrefixes.map((commonPrefix) => ({ Prefix: encode(commonPrefix) })),
    }
    sendXml(response, 200, 'ListBucketResult', content)
  }
}
