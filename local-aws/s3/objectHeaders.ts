import { AwsError } from '../errors.ts'
import { checksumHeaderName } from './checksums.ts'
import type { ObjectDescription, StoredChecksum, StoredObject } from './objectStore.ts'
import type { RequestHeaders } from './payload.ts'

/** The representation headers S3 stores with an object and returns with it, by lower-case name. */
const STORED_HEADERS: Record<string, string> = {
  'cache-control': 'Cache-Control',
  'content-disposition': 'Content-Disposition',
  'content-encoding': 'Content-Encoding',
  'content-language': 'Content-Language',
  expires: 'Expires',
}

const METADATA_PREFIX = 'x-amz-meta-'
/** https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingMetadata.html#UserMetadata */
const MAX_METADATA_BYTES = 2048
/** What S3 stores when a PUT names no type. */
const DEFAULT_CONTENT_TYPE = 'binary/octet-stream'

/** The description a PUT (or CreateMultipartUpload) gives an object: its type, representation headers and metadata. */
export function describeObject(headers: RequestHeaders): ObjectDescription {
  const stored: Record<string, string> = {}
  for (const name of Object.keys(STORED_HEADERS)) {
    const value = headers[name]
    if (value !== undefined) stored[name] = value
  }
  // aws-chunked describes the upload's framing, not the object: S3 drops it.
  const encodings = stored['content-encoding']
    ?.split(',')
    .map((encoding) => encoding.trim())
    .filter((encoding) => encoding !== '' && encoding !== 'aws-chunked')
  if (encodings?.length) stored['content-encoding'] = encodings.join(',')
  else delete stored['content-encoding']

  const metadata: Record<string, string> = {}
  let metadataBytes = 0
  for (const [name, value] of Object.entries(headers)) {
    if (!name.startsWith(METADATA_PREFIX) || value === undefined) continue
    const key = name.slice(METADATA_PREFIX.length)
    metadata[key] = value
    metadataBytes += Buffer.byteLength(key) + Buffer.byteLength(value)
  }
  if (metadataBytes > MAX_METADATA_BYTES) {
    throw new AwsError('MetadataTooLarge', 'Your metadata headers exceed the maximum allowed metadata size.', 400, {
      Size: String(metadataBytes),
      MaxSizeAllowed: String(MAX_METADATA_BYTES),
    })
  }
  return { contentType: headers['content-type'] ?? DEFAULT_CONTENT_TYPE, headers: stored, metadata }
}

/** `x-amz-checksum-{algorithm}` and `x-amz-checksum-type`, for an object or a part that has a checksum. */
export function checksumHeaders(checksum: StoredChecksum | undefined): Record<string, string> {
  if (!checksum) return {}
  return { [checksumHeaderName(checksum.algorithm)]: checksum.value, 'x-amz-checksum-type': checksum.type }
}

/** The headers GetObject and HeadObject describe an object with. */
export function objectResponseHeaders(object: StoredObject): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Type': object.contentType,
    ETag: object.etag,
    'Last-Modified': new Date(object.lastModified).toUTCString(),
    'Accept-Ranges': 'bytes',
  }
  for (const [name, value] of Object.entries(object.headers)) headers[STORED_HEADERS[name] ?? name] = value
  for (const [name, value] of Object.entries(object.metadata)) headers[`${METADATA_PREFIX}${name}`] = value
  return headers
}
