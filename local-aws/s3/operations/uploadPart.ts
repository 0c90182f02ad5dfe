// https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPart.html
import { AwsError } from '../../errors.ts'
import { checksumHeaderName } from '../checksums.ts'
import type { MultipartStore } from '../multipartStore.ts'
import type { ObjectStore } from '../objectStore.ts'
import { MAX_UPLOAD_BYTES, type S3Operation } from '../operation.ts'
import { queryValue } from '../router.ts'

export interface UploadPartServices {
  store: ObjectStore
  uploads: MultipartStore
}

const MAX_PART_NUMBER = 10_000

function partNumberOf(value: string | undefined): number {
  if (value === undefined || !/^\d{1,5}$/.test(value) || Number(value) < 1 || Number(value) > MAX_PART_NUMBER) {
    throw new AwsError('InvalidArgument', `Part number must be an integer between 1 and ${MAX_PART_NUMBER}, inclusive`, 400, {
      ArgumentName: 'partNumber',
      ArgumentValue: value ?? '',
    })
  }
  return Number(value)
}

/** UploadPart: streams and verifies one part (with the upload's checksum when it was created with one). */
export function createUploadPart({ store, uploads }: UploadPartServices): S3Operation {
  return async (request, response) => {
    const partNumber = partNumberOf(queryValue(request.query, 'partNumber'))
    const upload = uploads.find(request.bucket.name, request.key, queryValue(request.query, 'uploadId') ?? '')
    const payload = request.openPayload({ maxBytes: MAX_UPLOAD_BYTES, checksumAlgorithm: upload.checksumAlgorithm })
    const received = await store.receive(payload)
    const part = uploads.commitPart(upload, partNumber, received)
    const checksum = received.digests.checksum
    response.writeHead(200, { ETag: part.etag, ...(checksum && { [checksumHeaderName(checksum.algorithm)]: checksum.value }) })
    response.end()
  }
}
