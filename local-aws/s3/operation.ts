import type { ServerResponse } from 'node:http'
import type { SessionCredentials } from '../credentials.ts'
import type { BucketModel } from '../template/model.ts'
import type { PayloadOptions, RequestHeaders, RequestPayload } from './payload.ts'
import type { QueryParameters } from './router.ts'

/** An S3 request once routed, authenticated and authorized. */
export interface S3Request {
  bucket: BucketModel
  /** Decoded; empty for bucket-level operations. */
  key: string
  query: QueryParameters
  /** By lower-case name; for a presigned URL, its `x-amz-*` query parameters too, as S3 reads them. */
  headers: RequestHeaders
  session: SessionCredentials
  /** `http://host:port`, for the `Location` S3 reports. */
  origin: string
  /** The body, decoded and verified as it is read. Operations without a body never open it. */
  openPayload(options: PayloadOptions): RequestPayload
}

export type S3Operation = (request: S3Request, response: ServerResponse) => Promise<void>

/** S3's largest single PUT, and its largest part. https://docs.aws.amazon.com/AmazonS3/latest/userguide/upload-objects.html */
export const MAX_UPLOAD_BYTES = 5 * 1024 ** 3
