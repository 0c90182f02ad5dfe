import { AwsError } from '../errors.ts'
import { decodeComponent } from '../protocol/sigv4.ts'
import type { BucketModel } from '../template/model.ts'

/** Decoded query parameters; a parameter sent twice keeps both values, as SigV4 signs both. */
export type QueryParameters = Record<string, string | string[]>

export interface RequestTarget {
  /** The path exactly as sent, percent-encoding included. */
  rawPath: string
  /** The query exactly as sent, without `?`: SigV4 derives its canonical form from it. */
  rawQuery: string
  query: QueryParameters
  bucketName: string
  /** The decoded object key; empty for a bucket-level request. */
  key: string
}

export type S3OperationName =
  | 'PutObject'
  | 'GetObject'
  | 'HeadObject'
  | 'DeleteObject'
  | 'ListObjectsV2'
  | 'CreateMultipartUpload'
  | 'UploadPart'
  | 'CompleteMultipartUpload'
  | 'AbortMultipartUpload'

/** What IAM is asked for a request. */
export interface Permission {
  action: string
  resource: string
  conditionKeys?: Record<string, string>
}

/** S3 measures the key limit in UTF-8 bytes. https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html */
export const MAX_KEY_BYTES = 1024

function invalidUri(): AwsError {
  return new AwsError('InvalidURI', "Couldn't parse the specified URI.", 400)
}

function decode(text: string): string {
  const decoded = decodeComponent(text)
  if (decoded === undefined) throw invalidUri()
  return decoded
}

/** The first value of a query parameter. */
export function queryValue(query: QueryParameters, name: string): string | undefined {
  const value = query[name]
  return Array.isArray(value) ? value[0] : value
}

/**
 * Splits a request target (`/bucket/key?query`) path-style. The key is percent-decoded, so `a%2Fb` and `a/b` name the
 * same object, as on S3; a `+` in the path or query is a space, as on S3
 * (docs/aws-behaviour.md#s3-reads-a-plus-in-the-path-or-query-as-a-space).
 */
export function parseRequestTarget(url: string): RequestTarget {
  const queryStart = url.indexOf('?')
  const rawPath = queryStart === -1 ? url : url.slice(0, queryStart)
  const rawQuery = queryStart === -1 ? '' : url.slice(queryStart + 1)
  if (!rawPath.startsWith('/')) throw invalidUri()
  const query: QueryParameters = Object.create(null) as QueryParameters
  if (queryStart !== -1) {
    for (const pair of rawQuery.split('&')) {
      if (pair === '') continue
      const equals = pair.indexOf('=')
      const name = decode(equals === -1 ? pair : pair.slice(0, equals))
      const value = equals === -1 ? '' : decode(pair.slice(equals + 1))
      const existing = query[name]
      query[name] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value]
    }
  }
  const slash = rawPath.indexOf('/', 1)
  const bucketName = decode(slash === -1 ? rawPath.slice(1) : rawPath.slice(1, slash))
  const key = slash === -1 ? '' : decode(rawPath.slice(slash + 1))
  return { rawPath, rawQuery, query, bucketName, key }
}

export function findBucket(buckets: BucketModel[], name: string): BucketModel {
  const bucket = buckets.find((candidate) => candidate.name === name)
  if (!bucket) throw new AwsError('NoSuchBucket', 'The specified bucket does not exist', 404, { BucketName: name })
  return bucket
}

// Parameters that never select an operation: the SDK's `x-id`, SigV4's and hoisted headers' `X-Amz-*`.
const NEUTRAL_PARAMETER = /^(x-id|x-amz-.*)$/i

const RESPONSE_OVERRIDES = [
  'response-cache-control',
  'response-content-disposition',
  'response-content-encoding',
  'response-content-language',
  'response-content-type',
  'response-expires',
]

/** The query parameters each operation understands; any other one names a sub-resource local AWS does not serve. */
const PARAMETERS: Record<S3OperationName, string[]> = {
  PutObject: [],
  GetObject: RESPONSE_OVERRIDES,
  HeadObject: RESPONSE_OVERRIDES,
  DeleteObject: [],
  ListObjectsV2: ['list-type', 'prefix', 'delimiter', 'max-keys', 'continuation-token', 'start-after', 'encoding-type'],
  CreateMultipartUpload: ['uploads'],
  UploadPart: ['uploadId', 'partNumber'],
  CompleteMultipartUpload: ['uploadId'],
  AbortMultipartUpload: ['uploadId'],
}

function notImplemented(what: string): AwsError {
  return new AwsError('NotImplemented', `Local AWS does not implement ${what}`, 501)
}

function methodNotAllowed(method: string, resourceType: string): AwsError {
  return new AwsError('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405, {
    Method: method,
    ResourceType: resourceType,
  })
}

function objectOperation(method: string, query: QueryParameters, headers: Record<string, string | undefined>): S3OperationName {
  const has = (name: string) => query[name] !== undefined
  if (has('uploads')) {
    if (method === 'POST') return 'CreateMultipartUpload'
    throw methodNotAllowed(method, 'OBJECT')
  }
  if (has('uploadId')) {
    if (method === 'PUT' && has('partNumber')) {
      if (headers['x-amz-copy-source'] !== undefined) throw notImplemented('UploadPartCopy')
      return 'UploadPart'
    }
    if (method === 'POST') return 'CompleteMultipartUpload'
    if (method === 'DELETE') return 'AbortMultipartUpload'
    if (method === 'GET') throw notImplemented('ListParts')
    throw methodNotAllowed(method, 'OBJECT')
  }
  switch (method) {
    case 'PUT':
      if (headers['x-amz-copy-source'] !== undefined) throw notImplemented('CopyObject')
      return 'PutObject'
    case 'GET':
      return 'GetObject'
    case 'HEAD':
      return 'HeadObject'
    case 'DELETE':
      return 'DeleteObject'
    default:
      throw methodNotAllowed(method, 'OBJECT')
  }
}

/**
 * The operation a request names, from its method, whether it names a key, and its query flags (`?uploads`,
 * `?uploadId=`, `?partNumber=`, `?list-type=2`). Anything else is `NotImplemented`, never a guess.
 */
export function resolveOperation(
  method: string,
  target: RequestTarget,
  headers: Record<string, string | undefined>,
): S3OperationName {
  let operation: S3OperationName
  if (target.key === '') {
    if (method !== 'GET') throw notImplemented(`${method} on a bucket`)
    if (queryValue(target.query, 'list-type') !== '2') throw notImplemented('this bucket operation (only ListObjectsV2 is served)')
    operation = 'ListObjectsV2'
  } else {
    const size = Buffer.byteLength(target.key)
    if (size > MAX_KEY_BYTES) {
      throw new AwsError('KeyTooLongError', 'Your key is too long', 400, { Size: String(size), MaxSizeAllowed: String(MAX_KEY_BYTES) })
    }
    operation = objectOperation(method, target.query, headers)
  }
  const understood = PARAMETERS[operation]
  const unknown = Object.keys(target.query).find((name) => !NEUTRAL_PARAMETER.test(name) && !understood.includes(name))
  if (unknown !== undefined) throw notImplemented(`the "${unknown}" parameter of ${operation}`)
  return operation
}

/**
 * The IAM action and resource of an operation. Multipart steps are authorized as `s3:PutObject`, as S3 does; listing is
 * `s3:ListBucket` on the bucket, with the request's `s3:prefix`, `s3:delimiter` and `s3:max-keys` (absent when the
 * request leaves them out).
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
 */
export function permissionFor(operation: S3OperationName, bucket: BucketModel, target: RequestTarget): Permission {
  const objectArn = `${bucket.arn}/${target.key}`
  switch (operation) {
    case 'PutObject':
    case 'CreateMultipartUpload':
    case 'UploadPart':
    case 'CompleteMultipartUpload':
      return { action: 's3:PutObject', resource: objectArn }
    case 'GetObject':
    case 'HeadObject':
      return { action: 's3:GetObject', resource: objectArn }
    case 'DeleteObject':
      return { action: 's3:DeleteObject', resource: objectArn }
    case 'AbortMultipartUpload':
      return { action: 's3:AbortMultipartUpload', resource: objectArn }
    case 'ListObjectsV2': {
      const conditionKeys: Record<string, string> = {}
      for (const [parameter, key] of [
        ['prefix', 's3:prefix'],
        ['delimiter', 's3:delimiter'],
        ['max-keys', 's3:max-keys'],
      ] as const) {
        const value = queryValue(target.query, parameter)
        if (value !== undefined) conditionKeys[key] = value
      }
      return { action: 's3:ListBucket', resource: bucket.arn, conditionKeys }
    }
  }
}
