// https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { runInNewContext } from 'node:vm'
import { pipeline } from 'node:stream/promises'
import { createGzip } from 'node:zlib'
import type { ObjectStore } from '../s3/objectStore.ts'
import type { DistributionModel, ResponseHeader } from '../template/model.ts'

/** A CloudFront Function's event and the request it may rewrite, as far as our functions read them. */
interface FunctionRequest {
  method: string
  uri: string
  querystring: Record<string, { value: string }>
  headers: Record<string, { value: string }>
  cookies: Record<string, { value: string }>
}
interface FunctionResponse {
  statusCode: number
  statusDescription?: string
  headers?: Record<string, { value: string }>
}
type ViewerRequestHandler = (event: unknown) => FunctionRequest | FunctionResponse

/**
 * Compiles the distribution's viewer-request function from the template's own source, in a context of its own (the
 * CloudFront Functions runtime has no Node APIs either).
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/functions-event-structure.html
 */
function compileViewerRequest(source: string): ViewerRequestHandler {
  const handler: unknown = runInNewContext(`${source}\n;handler`, Object.create(null), { timeout: 1000 })
  if (typeof handler !== 'function') throw new Error('The CloudFront Function defines no handler(event)')
  return handler as ViewerRequestHandler
}

function functionEvent(distribution: DistributionModel, request: IncomingMessage, url: URL): { request: FunctionRequest } & Record<string, unknown> {
  const headers: Record<string, { value: string }> = {}
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined && name !== 'cookie') headers[name] = { value: Array.isArray(value) ? value.join(',') : value }
  }
  return {
    version: '1.0',
    context: { distributionDomainName: distribution.domainName, distributionId: distribution.id, eventType: 'viewer-request', requestId: '' },
    viewer: { ip: request.socket.remoteAddress ?? '127.0.0.1' },
    request: {
      method: request.method ?? 'GET',
      uri: url.pathname,
      querystring: Object.fromEntries([...url.searchParams].map(([name, value]) => [name, { value }])),
      headers,
      cookies: {},
    },
  }
}

/**
 * What CloudFront compresses when a cache behaviour has `Compress: true`: files of 1,000 to 10,000,000 bytes of a text
 * type (HTML, CSS, JavaScript, JSON, SVG…).
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/ServingCompressedFiles.html
 */
function isCompressible(contentType: string, size: number): boolean {
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? ''
  const isText = type.startsWith('text/') || /^application\/(javascript|json|manifest\+json|xml)$/.test(type) || type === 'image/svg+xml'
  return isText && size >= 1_000 && size <= 10_000_000
}

function acceptsGzip(request: IncomingMessage): boolean {
  return /\bgzip\b/i.test(String(request.headers['accept-encoding'] ?? ''))
}

function xmlError(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`
}

/**
 * The distribution as a local web server: the viewer-request function from the template decides the path, the root
 * path is the default root object, the object comes from the origin bucket with the Content-Type and Cache-Control it
 * was uploaded with, and every response (errors included) carries the headers of the response headers policy.
 * A missing object is S3's 404: the template's bucket policy lets the distribution list the bucket
 * (docs/aws-behaviour.md#cloudfront-reads-the-site-bucket-through-origin-access-control).
 */
export function createSiteServer({ distribution, store, headers }: { distribution: DistributionModel; store: ObjectStore; headers: readonly ResponseHeader[] }): Server {
  const viewerRequest = distribution.viewerRequestFunction ? compileViewerRequest(distribution.viewerRequestFunction) : undefined
  return createServer((request, response) => {
    serve(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(502, { 'Content-Type': 'text/plain' })
      response.end(`Local CloudFront error: ${error instanceof Error ? error.message : String(error)}`)
    })
  })

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    for (const { name, value } of headers) response.setHeader(name, value)
    response.setHeader('Server', 'CloudFront')
    const method = request.method ?? 'GET'
    // The template allows GET and HEAD only: CloudFront refuses other methods with 403.
    if (method !== 'GET' && method !== 'HEAD') {
      response.writeHead(403, { 'Content-Type': 'text/plain' })
      return void response.end('This distribution is not configured to allow the HTTP request method that was used for this request.')
    }
    const url = new URL(request.url ?? '/', 'http://site.local')
    let uri = url.pathname
    if (viewerRequest) {
      const result = viewerRequest(functionEvent(distribution, request, url))
      if ('statusCode' in result) {
        for (const [name, { value }] of Object.entries(result.headers ?? {})) response.setHeader(name, value)
        response.writeHead(result.statusCode, result.statusDescription)
        return void response.end()
      }
      uri = result.uri
    }
    const key = uri === '/' && distribution.defaultRootObject ? distribution.defaultRootObject : decodeURIComponent(uri.slice(1))
    const opened = await store.open(distribution.originBucket, key)
    if (!opened) {
      response.writeHead(404, { 'Content-Type': 'application/xml' })
      return void response.end(method === 'HEAD' ? undefined : xmlError('NoSuchKey', 'The specified key does not exist.'))
    }
    const { object, file } = opened
    const isGzipped = distribution.compress && isCompressible(object.contentType, object.size) && acceptsGzip(request)
    try {
      response.writeHead(200, {
        'Content-Type': object.contentType,
        ...(isGzipped ? { 'Content-Encoding': 'gzip', Vary: 'Accept-Encoding' } : { 'Content-Length': object.size }),
        ETag: object.etag,
        'Last-Modified': new Date(object.lastModified).toUTCString(),
        ...(object.headers['cache-control'] && { 'Cache-Control': object.headers['cache-control'] }),
      })
      if (method === 'HEAD') return void response.end()
      const stream = file.createReadStream({ autoClose: false })
      try {
        await (isGzipped ? pipeline(stream, createGzip(), response) : pipeline(stream, response))
      } catch {
        // The viewer went away mid-file (a cancelled load): the file is closed below all the same, not left to the GC.
        response.destroy()
      }
    } finally {
      await file.close()
    }
  }
}
