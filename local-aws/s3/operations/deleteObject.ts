// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObject.html
import type { ObjectStore } from '../objectStore.ts'
import type { S3Operation } from '../operation.ts'

export interface DeleteObjectServices {
  store: ObjectStore
}

/** DeleteObject: 204 whether or not the key existed, as on an unversioned bucket. */
export function createDeleteObject({ store }: DeleteObjectServices): S3Operation {
  return async (request, response) => {
    store.delete(request.bucket.name, request.key)
    response.writeHead(204)
    response.end()
  }
}
