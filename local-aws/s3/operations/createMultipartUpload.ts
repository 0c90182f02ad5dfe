// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html
import { AwsError } from '../../errors.ts'
import { toChecksumAlgorithm, type ChecksumAlgorithm } from '../checksums.ts'
import { describeObject } from '../objectHeaders.ts'
import type { MultipartStore } from '../multipartStore.ts'
import type { S3Operation } from '../operation.ts'
import type { RequestHeaders } from '../payload.ts'
import { sendXml } from '../xml.ts'

export interface CreateMultipartUploadServices {
  uploads: MultipartStore
}

/** `x-amz-checksum-algorithm`, for the composite checksums local AWS computes; FULL_OBJECT CRCs are not implemented. */
function checksumAlgorithmOf(headers: RequestHeaders): ChecksumAlgorithm | undefined {
  const requested = headers['x-amz-checksum-algorithm']
  if (headers['x-amz-checksum-type'] !== undefined && headers['x-amz-checksum-type'].toUpperCase() !== 'COMPOSITE') {
    throw new AwsError('NotImplemented', 'Local AWS does not implement FULL_OBJECT checksums for multipart uploads', 501)
  }
  if (requested === undefined) return undefined
  const algorithm = toChecksumAlgorithm(requested)
  if (algorithm) return algorithm
  if (requested.toUpperCase() === 'CRC64NVME') throw new AwsError('NotImplemented', 'Local AWS does not verify CRC64NVME checksums', 501)
  throw new AwsError(
    'InvalidRequest',
    'Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]',
    400,
  )
}

/** CreateMultipartUpload: remembers the object's description for CompleteMultipartUpload and answers an upload id. */
export function createCreateMultipartUpload({ uploads }: CreateMultipartUploadServices): S3Operation {
  return async (request, response) => {
    const checksumAlgorithm = checksumAlgorithmOf(request.headers)
    const upload = uploads.create(request.bucket.name, request.key, describeObject(request.headers), checksumAlgorithm)
    if (checksumAlgorithm) {
      response.setHeader('x-amz-checksum-algorithm', checksumAlgorithm)
      response.setHeader('x-amz-checksum-type', 'COMPOSITE')
    }
    sendXml(response, 200, 'InitiateMultipartUploadResult', { Bucket: upload.bucket, Key: upload.key, UploadId: upload.uploadId })
  }
}
