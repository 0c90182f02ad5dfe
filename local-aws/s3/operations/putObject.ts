// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html
import { checksumHeaders, describeObject } from '../objectHeaders.ts'
import type { ObjectStore } from '../objectStore.ts'
import { MAX_UPLOAD_BYTES, type S3Operation } from '../operation.ts'

export interface PutObjectServices {
  store: ObjectStore
}

/** PutObject: streams the body to its data file, verifies it, then publishes it atomically; the ETag is the body's MD5. */
export function createPutObject({ store }: PutObjectServices): S3Operation {
  return async (request, response) => {
    const description = describeObject(request.headers)
    const received = await store.receiveObject(request.bucket.name, request.openPayload({ maxBytes: MAX_UPLOAD_BYTES }))
    const { size, md5, checksum } = received.digests
    const object = store.commit(request.bucket.name, request.key, received.dataFile, {
      ...description,
      size,
      etag: `"${md5.toString('hex')}"`,
      checksum: checksum && { ...checksum, type: 'FULL_OBJECT' },
    })
    response.writeHead(200, { ETag: object.etag, ...checksumHeaders(object.checksum) })
    response.end()
  }
}
