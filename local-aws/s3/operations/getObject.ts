// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html
import { serveObject, type ObjectReadServices } from '../objectReads.ts'
import type { S3Operation } from '../operation.ts'

/** GetObject: the object's headers and its bytes (or one range of them), streamed from disk. */
export function createGetObject(services: ObjectReadServices): S3Operation {
  return (request, response) => serveObject(services, request, response, true)
}
