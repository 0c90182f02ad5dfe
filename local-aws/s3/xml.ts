import type { ServerResponse } from 'node:http'
import { XMLBuilder, XMLParser } from 'fast-xml-parser'
import type { AwsError } from '../errors.ts'

const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/'

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_' })

/** An XML element's content as fast-xml-parser builds it: arrays repeat the element, `undefined` omits it. */
export type XmlContent = { [name: string]: XmlContent | XmlContent[] | string | number | boolean | undefined }

function document(rootName: string, content: XmlContent, namespace?: string): string {
  return builder.build({
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    [rootName]: namespace ? { '@_xmlns': namespace, ...content } : content,
  }) as string
}

/** Answers with an S3 result document, e.g. `<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">`. */
export function sendXml(response: ServerResponse, status: number, rootName: string, content: XmlContent): void {
  const text = document(rootName, content, S3_NAMESPACE)
  response.writeHead(status, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(text) })
  response.end(text)
}

export interface ErrorContext {
  requestId: string
  hostId: string
  /** The path the request named, as S3 echoes it in `<Resource>`. */
  resource: string
  /** HEAD responses carry no body: the client only sees the status. */
  hasBody: boolean
}

/**
 * S3's error shape: `<Error><Code/><Message/>…details…<RequestId/><HostId/></Error>` (no namespace).
 * https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#RESTErrorResponses
 */
export function sendS3Error(response: ServerResponse, error: AwsError, context: ErrorContext): void {
  if (!context.hasBody) {
    response.writeHead(error.status)
    return void response.end()
  }
  const text = renderS3Error(error, context)
  response.writeHead(error.status, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(text) })
  response.end(text)
}

/** The error document alone, for answers written without a `ServerResponse`. */
export function renderS3Error(error: AwsError, context: Omit<ErrorContext, 'hasBody'>): string {
  return document('Error', {
    Code: error.code,
    Message: error.message,
    ...error.details,
    Resource: error.details.Resource ?? context.resource,
    RequestId: context.requestId,
    HostId: context.hostId,
  })
}

const parser = new XMLParser({
  ignoreAttributes: true,
  ignoreDeclaration: true,
  // Values stay strings: an ETag or a key must never turn into a number.
  parseTagValue: false,
  trimValues: false,
  htmlEntities: false,
})

/** Parses a request document; `undefined` when it is not well-formed XML. */
export function parseXml(text: string): Record<string, unknown> | undefined {
  try {
    return parser.parse(text, true) as Record<string, unknown>
  } catch {
    return undefined
  }
}
