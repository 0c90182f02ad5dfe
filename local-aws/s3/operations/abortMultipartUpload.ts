// https://docs.aws.amazon.com/AmazonS3/latest/API/API_AbortMultipartUpload.html
import type { MultipartStore } from '../multipartStore.ts'
import type { S3Operation } from '../operation.ts'
import { queryValue } from '../router.ts'

export interface AbortMultipartUploadServices {
  uploads: MultipartStore
}

/** AbortMultipartUpload: drops the upload and its parts; `NoSuchUpload` when it is not in progress. */
export function createAbortMultipartUpload({ uploads }: AbortMultipartUploadServices): S3Operation {
  return async (request, response) => {
    const upload = uploads.find(request.bucket.name, request.key, queryValue(request.query, 'uploadId') ?? '')
    await uploads.remove(upload)
    response.writeHead(204)
    response.end()
  }
}
