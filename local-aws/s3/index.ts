import type { IncomingMessage, ServerResponse } from 'node:http'
import { randomBytes } from 'node:crypto'
import type { Clock } from '../clock.ts'
import type { S3Service } from '../context.ts'
import type { CredentialRegistry } from '../credentials.ts'
import { AwsError } from '../errors.ts'
import { describeDenial, type Authorize } from '../iam/authorize.ts'
import { isSecureTransport } from '../iam/secureTransport.ts'
import type { ProvisionedModel } from '../template/model.ts'
import { createAbortMultipartUpload } from './operations/abortMultipartUpload.ts'
import { createCompleteMultipartUpload } from './operations/completeMultipartUpload.ts'
import { corsHeadersFor, preflight } from './cors.ts'
import { createCreateMultipartUpload } from './operations/createMultipartUpload.ts'
import { createDeleteObject } from './operations/deleteObject.ts'
import { createGetObject } from './operations/getObject.ts'
import { createHeadObject } from './operations/headObject.ts'
import { createListObjectsV2 } from './operations/listObjectsV2.ts'
import { MultipartStore } from './multipartStore.ts'
import type { ObjectStore } from './objectStore.ts'
import type { S3Operation } from './operation.ts'
import { RequestPayload, requestTimeout, type RequestHeaders } from './payload.ts'
import { createPutObject } from './operations/putObject.ts'
import { findBucket, parseRequestTarget, permissionFor, resolveOperation, type QueryParameters, type S3OperationName } from './router.ts'
import { createSigV4Authenticator } from './sigv4.ts'
import { createUploadPart } from './operations/uploadPart.ts'
import { sendS3Error } from './xml.ts'
import { incompleteBody } from './awsChunked.ts'
import { requestChunks } from '../http.ts'

/** The query parameters of SigV4 itself, which never stand for headers. */
const QUERY_AUTH_PARAMETERS = new Set([
  'x-amz-algorithm',
  'x-amz-credential',
  'x-amz-date',
  'x-amz-expires',
  'x-amz-signedheaders',
  'x-amz-signature',
  'x-amz-security-token',
  'x-amz-content-sha256',
])

/** The body's chunks: S3's `IncompleteBody` when it is cut short, `RequestTimeout` when the client stalls. */
function bodyChunks(request: IncomingMessage, idleTimeoutMs: number): AsyncIterable<Buffer> {
  return requestChunks(request, { cutShort: incompleteBody, idle: { timeoutMs: idleTimeoutMs, error: requestTimeout } })
}

/** How much of an unread body is read and dropped before answering an error, so the client can read the answer. */
const MAX_DRAIN_BYTES = 64 * 1024 * 1024

/** S3 gives up on an upload after about 20 seconds without a byte (docs/aws-behaviour.md#stalled-uploads-time-out). */
const DEFAULT_IDLE_TIMEOUT_MS = 20_000

/** Errors after which the rest of the body will never come: answer and close instead of draining. */
const BODY_LOST = new Set(['RequestTimeout', 'IncompleteBody'])

/** The operations whose answers carry `x-amz-server-side-encryption` (docs/aws-behaviour.md#default-encryption-headers). */
const ENCRYPTED_OBJECT_OPERATIONS = new Set<S3OperationName>([
  'PutObject', 'GetObject', 'HeadObject', 'CreateMultipartUpload', 'UploadPart', 'CompleteMultipartUpload',
])

function singleValued(headers: IncomingMessage['headers']): RequestHeaders {
  const result: RequestHeaders = Object.create(null) as RequestHeaders
  for (const [name, value] of Object.entries(headers)) result[name] = Array.isArray(value) ? value.join(', ') : value
  return result
}

/** A presigned URL carries the headers it was signed with (`x-amz-meta-*`, `x-amz-checksum-*`…) as query parameters. */
function withHoistedHeaders(headers: RequestHeaders, query: QueryParameters): RequestHeaders {
  const result = { ...headers }
  for (const [name, value] of Object.entries(query)) {
    const lower = name.toLowerCase()
    if (lower.startsWith('x-amz-') && !QUERY_AUTH_PARAMETERS.has(lower)) result[lower] ??= Array.isArray(value) ? value[0] : value
  }
  return result
}

/**
 * Reads and drops what is left of a request body, up to a limit, so that an error sent before the body was read
 * reaches the client instead of a connection reset. Returns whether the whole body was read.
 */
async function drain(request: IncomingMessage, idleTimeoutMs: number): Promise<boolean> {
  if (request.readableEnded) return true
  let drained = 0
  try {
    for await (const chunk of bodyChunks(request, idleTimeoutMs)) {
      drained += chunk.length
      if (drained > MAX_DRAIN_BYTES) return false
    }
  } catch {
    return false
  }
  return true
}

export interface S3Services {
  model: ProvisionedModel
  /** Every bucket's objects; the site server reads the same store. */
  store: ObjectStore
  credentials: CredentialRegistry
  /** The IAM decision for a role session's request. */
  authorize: Authorize
  clock: Clock
  log: (line: string) => void
  /** How long an upload may send nothing before it is refused; {@link DEFAULT_IDLE_TIMEOUT_MS} unless a test shortens it. */
  idleTimeoutMs?: number
}

/** S3, path-style (`/{bucket}/{key}`): CORS, then routing, SigV4, the IAM policy of the caller's role, and the operation. */
export function createS3Service({
  model, store, credentials, authorize, clock, log, idleTimeoutMs = DEFAULT_IDLE_TIMEOUT_MS,
}: S3Services): S3Service {
  const uploads = new MultipartStore(store, clock)
  const authenticate = createSigV4Authenticator({ credentials, clock, region: model.region })
  const operations: Record<S3OperationName, S3Operation> = {
    PutObject: createPutObject({ store }),
    GetObject: createGetObject({ store, authorize }),
    HeadObject: createHeadObject({ store, authorize }),
    DeleteObject: createDeleteObject({ store }),
    ListObjectsV2: createListObjectsV2({ store }),
    CreateMultipartUpload: createCreateMultipartUpload({ uploads }),
    UploadPart: createUploadPart({ store, uploads }),
    CompleteMultipartUpload: createCompleteMultipartUpload({ store, uploads }),
    AbortMultipartUpload: createAbortMultipartUpload({ uploads }),
  }

  async function serve(request: IncomingMessage, response: ServerResponse, rawHeaders: RequestHeaders): Promise<void> {
    const method = request.method ?? 'GET'
    const target = parseRequestTarget(request.url ?? '/')
    const bucket = findBucket(model.buckets, target.bucketName)
    if (method === 'OPTIONS') {
      response.writeHead(200, preflight(bucket.corsRules, rawHeaders))
      return void response.end()
    }
    for (const [name, value] of Object.entries(corsHeadersFor(bucket.corsRules, method, rawHeaders))) response.setHeader(name, value)
    const operation = resolveOperation(method, target, rawHeaders)
    const authentication = await authenticate({ method, target, headers: request.headers })
    const { session } = authentication
    const permission = { session, ...permissionFor(operation, bucket, target), secureTransport: isSecureTransport(request.socket) }
    const decision = authorize(permission)
    if (decision !== 'Allow') throw new AwsError('AccessDenied', describeDenial(permission, decision), 403)
    if (ENCRYPTED_OBJECT_OPERATIONS.has(operation)) response.setHeader('x-amz-server-side-encryption', bucket.defaultEncryption)
    const headers = authentication.isPresigned ? withHoistedHeaders(rawHeaders, target.query) : rawHeaders
    await operations[operation](
      {
        bucket,
        key: target.key,
        query: target.query,
        headers,
        session,
        origin: `http://${rawHeaders.host ?? 'localhost'}`,
        openPayload: (options) => new RequestPayload(bodyChunks(request, idleTimeoutMs), authentication.payload, headers, options),
      },
      response,
    )
  }

  return {
    async handle(request, response) {
      const requestId = randomBytes(8).toString('hex').toUpperCase()
      const hostId = randomBytes(32).toString('base64')
      response.setHeader('x-amz-request-id', requestId)
      response.setHeader('x-amz-id-2', hostId)
      // S3's clock, which the SDKs read to correct their own skew.
      response.setHeader('Date', new Date(clock.now()).toUTCString())
      response.setHeader('Server', 'AmazonS3')
      try {
        await serve(request, response, singleValued(request.headers))
      } catch (caught) {
        if (response.headersSent) return void response.destroy()
        let error: AwsError
        if (caught instanceof AwsError) {
          error = caught
        } else {
          log(`[local-aws] S3 internal error (request ${requestId}): ${caught instanceof Error ? (caught.stack ?? caught.message) : String(caught)}`)
          // S3's own 500, in its XML shape, so that the SDKs parse it and retry.
          error = new AwsError('InternalError', 'We encountered an internal error. Please try again.', 500)
        }
        // Encryption describes a stored object; S3's error answers carry none.
        response.removeHeader('x-amz-server-side-encryption')
        if (BODY_LOST.has(error.code) || !(await drain(request, idleTimeoutMs))) response.setHeader('Connection', 'close')
        sendS3Error(response, error, {
          requestId,
          hostId,
          resource: (request.url ?? '/').split('?')[0]!,
          hasBody: request.method !== 'HEAD',
        })
      }
    },
  }
}
