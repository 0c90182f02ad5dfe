// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html
import { createHash } from 'node:crypto'
import { AwsError } from '../../errors.ts'
import { compositeChecksum } from '../checksums.ts'
import type { MultipartStore, MultipartUpload, UploadedPart } from '../multipartStore.ts'
import type { ObjectStore, StoredChecksum } from '../objectStore.ts'
import type { S3Operation } from '../operation.ts'
import { queryValue } from '../router.ts'
import { parseXml, sendXml } from '../xml.ts'

export interface CompleteMultipartUploadServices {
  store: ObjectStore
  uploads: MultipartStore
}

/** Every part but the last must hold at least 5 MiB. https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html */
const MIN_PART_BYTES = 5 * 1024 * 1024
const MAX_DOCUMENT_BYTES = 1024 * 1024

interface RequestedPart {
  partNumber: number
  etag: string
  checksums: Record<string, string>
}

function malformedXml(): AwsError {
  return new AwsError(
    'MalformedXML',
    'The XML you provided was not well-formed or did not validate against our published schema',
    400,
  )
}

function requestedParts(document: string): RequestedPart[] {
  const root = parseXml(document)?.CompleteMultipartUpload
  if (typeof root !== 'object' || root === null) throw malformedXml()
  const listed = (root as Record<string, unknown>).Part
  const parts = Array.isArray(listed) ? listed : listed === undefined ? [] : [listed]
  if (parts.length === 0) throw malformedXml()
  return parts.map((part: unknown) => {
    const fields = (typeof part === 'object' && part !== null ? part : {}) as Record<string, unknown>
    const partNumber = String(fields.PartNumber ?? '')
    if (!/^\d{1,5}$/.test(partNumber) || typeof fields.ETag !== 'string') throw malformedXml()
    const checksums: Record<string, string> = {}
    for (const [name, value] of Object.entries(fields)) {
      if (name.startsWith('Checksum') && typeof value === 'string') checksums[name.slice('Checksum'.length).toUpperCase()] = value
    }
    return { partNumber: Number(partNumber), etag: fields.ETag, checksums }
  })
}

/** ETags compare without their quotes: clients send them either way. */
function unquote(etag: string): string {
  return etag.trim().replace(/^"|"$/g, '')
}

/** The parts to join, checked as S3 checks them: ascending, uploaded, matching ETag and checksum, large enough. */
function selectParts(upload: MultipartUpload, requested: RequestedPart[], uploaded: Map<number, UploadedPart>): UploadedPart[] {
  requested.forEach((part, index) => {
    if (index > 0 && part.partNumber <= requested[index - 1]!.partNumber) {
      throw new AwsError(
        'InvalidPartOrder',
        'The list of parts was not in ascending order. The parts list must be specified in order by part number.',
        400,
        { UploadId: upload.uploadId },
      )
    }
  })
  const algorithm = upload.checksumAlgorithm
  return requested.map((requestedPart, index) => {
    const part = uploaded.get(requestedPart.partNumber)
    const invalidPart = () =>
      new AwsError(
        'InvalidPart',
        "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
        400,
        { UploadId: upload.uploadId, PartNumber: String(requestedPart.partNumber), ETag: requestedPart.etag },
      )
    if (!part || unquote(part.etag) !== unquote(requestedPart.etag)) throw invalidPart()
    if (algorithm) {
      const checksum = requestedPart.checksums[algorithm]
      if (checksum === undefined) {
        throw new AwsError(
          'InvalidRequest',
          `The upload was created using a ${algorithm.toLowerCase()} checksum. The complete request must include the checksum for each part. It was missing for part ${part.partNumber} in the request.`,
          400,
        )
      }
      if (checksum !== part.checksum) throw invalidPart()
    }
    if (index < requested.length - 1 && part.size < MIN_PART_BYTES) {
      throw new AwsError('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed object size.', 400, {
        ProposedSize: String(part.size),
        MinSizeAllowed: String(MIN_PART_BYTES),
        PartNumber: String(part.partNumber),
        ETag: part.etag,
      })
    }
    return part
  })
}

/**
 * The multipart ETag: the MD5 of the parts' binary MD5s, then `-{part count}`.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html#large-object-checksums
 */
function multipartEtag(parts: UploadedPart[]): string {
  const md5 = createHash('md5')
  for (const part of parts) md5.update(Buffer.from(unquote(part.etag), 'hex'))
  return `"${md5.digest('hex')}-${parts.length}"`
}

/** CompleteMultipartUpload: joins the listed parts into the object, published atomically, and forgets the upload. */
export function createCompleteMultipartUpload({ store, uploads }: CompleteMultipartUploadServices): S3Operation {
  return async (request, response) => {
    const upload = uploads.find(request.bucket.name, request.key, queryValue(request.query, 'uploadId') ?? '')
    const document = await request.openPayload({ maxBytes: MAX_DOCUMENT_BYTES }).text()
    const parts = selectParts(upload, requestedParts(document), uploads.parts(upload))
    const joined = await store.concatenate(request.bucket.name, parts.map((part) => uploads.partPath(upload, part)))
    const checksum: StoredChecksum | undefined = upload.checksumAlgorithm && {
      algorithm: upload.checksumAlgorithm,
      value: compositeChecksum(upload.checksumAlgorithm, parts.map((part) => part.checksum!)),
      type: 'COMPOSITE',
    }
    const object = store.commit(request.bucket.name, request.key, joined, {
      ...upload.description,
      size: parts.reduce((total, part) => total + part.size, 0),
      etag: multipartEtag(parts),
      checksum,
    })
    await uploads.remove(upload)
    const location = `${request.origin}/${request.bucket.name}/${request.key.split('/').map(encodeURIComponent).join('/')}`
    sendXml(response, 200, 'CompleteMultipartUploadResult', {
      Location: location,
      Bucket: request.bucket.name,
      Key: request.key,
      ETag: object.etag,
      ...(checksum && { [`Checksum${checksum.algorithm}`]: checksum.value, ChecksumType: checksum.type }),
    })
  }
}
