// https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html
import { serveObject, type ObjectReadServices } from '../objectReads.ts'
import type { S3Operation } from '../operation.ts'

/** HeadObject: GetObject's headers without the body; its errors have no body either (the router sees to that). */
export function createHeadObject(services: ObjectReadServices): S3Operation {
  return (request, response) => serveObject(services, request, response, false)
}
