/*
 * The rider's photo objects in S3, written and deleted with their identity-pool credentials. The app's largest code,
 * loaded only to write (docs/performance.md#the-upload-code-ahead-of-need), never to show a photo.
 */
import {
  DeleteObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type DeleteObjectCommandOutput,
  type ListObjectsV2CommandOutput,
  type PutObjectCommandOutput,
} from '@aws-sdk/client-s3'
import { XhrHttpHandler } from '@aws-sdk/xhr-http-handler'
import { getAwsConfig } from './config'
import { getRiderCredentials, type RiderCredentials } from './credentials'
import { cognitoNow } from './tokens'

export interface UploadProgress {
  loaded: number
  total: number
}

export interface PutObjectOptions {
  onProgress?: (progress: UploadProgress) => void
  /** Aborting rejects with an `AbortError`; the object may or may not have been written. */
  signal?: AbortSignal
}

type UploadProgressListener = (event: ProgressEvent, request: { method: string; path: string }) => void

/**
 * What we use of XhrHttpHandler, an EventEmitter from the `events` package, whose types the browser build (no Node
 * types) cannot see.
 */
interface UploadProgressEmitter {
  on(eventName: typeof XhrHttpHandler.EVENTS.UPLOAD_PROGRESS, listener: UploadProgressListener): unknown
  off(eventName: typeof XhrHttpHandler.EVENTS.UPLOAD_PROGRESS, listener: UploadProgressListener): unknown
}

interface RiderS3 {
  client: S3Client
  /** Absent where there is no XMLHttpRequest (Node, in integration tests): no upload progress there. */
  xhrHandler?: XhrHttpHandler & UploadProgressEmitter
}

/** One client per rider, dropped with their credentials on sign-out (docs/aws-behaviour.md#identity-ids-are-cached-per-rider). */
const clients = new WeakMap<RiderCredentials, RiderS3>()

function createRiderS3(credentials: RiderCredentials): RiderS3 {
  const { region, endpoint } = getAwsConfig()
  // fetch reports no upload progress; XMLHttpRequest does. Elsewhere the SDK's default handler serves.
  // docs/aws-behaviour.md#upload-progress-and-failed-uploads-over-xhr
  const xhrHandler =
    typeof XMLHttpRequest === 'function' ? (new XhrHttpHandler({}) as XhrHttpHandler & UploadProgressEmitter) : undefined
  const client = new S3Client({
    region,
    credentials: credentials.provider,
    ...(xhrHandler ? { requestHandler: xhrHandler } : {}),
    // A custom endpoint (local AWS) has no per-bucket DNS names: use /bucket/key.
    // docs/aws-behaviour.md#path-style-addressing-for-a-custom-endpoint
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
    // Default CRC32 checksums break Blob bodies in browsers (aws-sdk-js-v3#6834).
    // docs/aws-behaviour.md#s3-checksums-only-when-required
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // Signed at AWS's time from the first request: a device clock off by more than S3 tolerates would otherwise send
    // the whole photo once to learn the skew. docs/aws-behaviour.md#uploads-use-the-corrected-clock
    systemClockOffset: cognitoNow() - Date.now(),
  })
  return { client, ...(xhrHandler ? { xhrHandler } : {}) }
}

function namedError(name: 'AbortError' | 'NetworkError', message: string): Error {
  return Object.assign(new Error(message), { name })
}

/**
 * XhrHttpHandler resolves an aborted or failed request (network cut, CORS refusal) as a response with status 0, since
 * XMLHttpRequest fires readystatechange before abort/error; S3's deserializers take any status below 300 for success.
 */
async function requireAnswer<Output extends PutObjectCommandOutput | DeleteObjectCommandOutput | ListObjectsV2CommandOutput>(
  sending: Promise<Output>,
  signal?: AbortSignal,
): Promise<Output> {
  const output = await sending
  if (signal?.aborted) throw namedError('AbortError', 'Request aborted')
  if (!output.$metadata.httpStatusCode) throw namedError('NetworkError', 'S3 gave no answer (the request failed or was cut)')
  return output
}

async function riderS3(): Promise<RiderS3> {
  const credentials = await getRiderCredentials()
  let s3 = clients.get(credentials)
  if (!s3) {
    s3 = createRiderS3(credentials)
    clients.set(credentials, s3)
  }
  return s3
}

/**
 * Writes an object, reporting upload progress where the browser can.
 * @param key e.g. `protected/{identityId}/profile/{uuid}.webp`
 * @throws an `AbortError` when `options.signal` aborts, a `NetworkError` when no answer came; S3's errors
 * (`AccessDenied`, …) by name
 */
export async function putObject(key: string, body: Blob | Uint8Array, contentType: string, options: PutObjectOptions = {}): Promise<void> {
  const { client, xhrHandler } = await riderS3()
  const { photoBucket } = getAwsConfig()
  const { onProgress, signal } = options
  const size = body instanceof Blob ? body.size : body.byteLength
  // The handler reports every request it sends: keep this upload's (path-style or virtual-host, the key ends the path).
  const onUploadProgress: UploadProgressListener = (event, request) => {
    if (request.method === 'PUT' && decodeURIComponent(request.path).endsWith(`/${key}`)) {
      onProgress?.({ loaded: event.loaded, total: size })
    }
  }
  if (onProgress) xhrHandler?.on(XhrHttpHandler.EVENTS.UPLOAD_PROGRESS, onUploadProgress)
  try {
    const command = new PutObjectCommand({ Bucket: photoBucket, Key: key, Body: body, ContentType: contentType })
    await requireAnswer(client.send(command, signal ? { abortSignal: signal } : {}), signal)
  } finally {
    xhrHandler?.off(XhrHttpHandler.EVENTS.UPLOAD_PROGRESS, onUploadProgress)
  }
}

/** Deletes an object; deleting one that is already gone succeeds, as in S3. */
export async function deleteObject(key: string): Promise<void> {
  const { client } = await riderS3()
  await requireAnswer(client.send(new DeleteObjectCommand({ Bucket: getAwsConfig().photoBucket, Key: key })))
}

/**
 * The keys under `prefix`, every page of them. The rider's role may list only their own prefixes.
 * @param prefix e.g. `protected/{identityId}/profile/`
 */
export async function listObjectKeys(prefix: string): Promise<string[]> {
  const { client } = await riderS3()
  const keys: string[] = []
  let continuationToken: string | undefined
  do {
    const page = await requireAnswer(
      client.send(new ListObjectsV2Command({ Bucket: getAwsConfig().photoBucket, Prefix: prefix, ContinuationToken: continuationToken })),
    )
    keys.push(...(page.Contents ?? []).flatMap((object) => (object.Key ? [object.Key] : [])))
    continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined
  } while (continuationToken)
  return keys
}
