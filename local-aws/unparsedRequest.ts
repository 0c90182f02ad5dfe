import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http'
import { randomBytes, randomUUID } from 'node:crypto'
import type { Duplex } from 'node:stream'
import { AwsError } from './errors.ts'
import { markBodyCutShort } from './http.ts'
import { requestTimeout } from './s3/payload.ts'
import { renderS3Error } from './s3/xml.ts'

// Requests Node's HTTP parser refuses before any handler sees them (server 'clientError'), answered the way the service
// behind the path would answer: S3's XML or the JSON protocols' body, never a bare status line.
// docs/aws-behaviour.md#requests-node-cannot-parse

/** A parser error as Node reports it: `code` such as `HPE_HEADER_OVERFLOW`, and the bytes it choked on. */
export type UnparsedRequestError = NodeJS.ErrnoException & { rawPacket?: Buffer }

/** The JSON protocols live at `/`; everything else but the JWKS and the dev endpoints is S3. */
export function isJsonPath(path: string): boolean {
  return path === '/' || path === ''
}

export interface ConnectionState {
  /** The request being answered on this connection, if any. */
  exchange?: { request: IncomingMessage; response: ServerResponse }
  /** No request has been read from this connection yet. */
  isFreshConnection: boolean
}

/** The path of the request line a raw packet starts with, when it starts with one. */
function requestPath(rawPacket: Buffer | undefined): string | undefined {
  const line = rawPacket?.subarray(0, 8192).toString('latin1').split('\r\n', 1)[0] ?? ''
  const target = /^[A-Z]+ (\S+)/.exec(line)?.[1]
  return target === undefined ? undefined : (target.split('?', 1)[0] ?? '')
}

/** What S3 answers for each parser refusal; anything else is a malformed request. */
function s3Error(code: string | undefined): AwsError {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return new AwsError('RequestHeaderSectionTooLarge', 'Your request header section exceeds the maximum allowed size.', 400, {
        MaxSizeAllowed: '8192',
      })
    case 'ERR_HTTP_REQUEST_TIMEOUT':
    case 'ERR_HTTP_HEADERS_TIMEOUT':
      return requestTimeout()
    default:
      return new AwsError('InvalidRequest', 'The HTTP request could not be parsed.', 400)
  }
}

function writeRawResponse(socket: Duplex, status: number, contentType: string, body: string, headers: Record<string, string>): void {
  const lines = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`,
    `Content-Type: ${contentType}`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    `Date: ${new Date().toUTCString()}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    'Connection: close',
  ]
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`)
}

/**
 * Answers a parser refusal. While a request is being answered on the connection, the refusal concerns that request's
 * tail: a half-close before the body was complete tells the body's reader, which answers as the service does
 * (S3's `IncompleteBody`), and bytes past the body (a body longer than its `Content-Length`) close the connection once the
 * answer to the request has been sent — never a second answer the client would take for the first. Bytes after a
 * finished exchange are the same tail, and close the connection quietly.
 */
export function answerUnparsedRequest(error: UnparsedRequestError, socket: Duplex, { exchange, isFreshConnection }: ConnectionState): void {
  if (exchange) {
    const { request, response } = exchange
    if (error.code === 'HPE_INVALID_EOF_STATE' && !request.readableEnded) markBodyCutShort(request)
    if (!response.headersSent) response.setHeader('Connection', 'close')
    else response.once('finish', () => socket.end())
    return
  }
  if (error.code === 'ECONNRESET' || !socket.writable || !isFreshConnection || error.code === 'HPE_INVALID_EOF_STATE') {
    return void socket.destroy()
  }
  const path = requestPath(error.rawPacket)
  if (path !== undefined && isJsonPath(path)) {
    const requestId = randomUUID()
    const body = JSON.stringify({ __type: 'SerializationException', Message: 'The HTTP request could not be parsed.' })
    return writeRawResponse(socket, 400, 'application/x-amz-json-1.1', body, { 'x-amzn-RequestId': requestId, 'x-amzn-ErrorType': 'SerializationException' })
  }
  const awsError = s3Error(error.code)
  const requestId = randomBytes(8).toString('hex').toUpperCase()
  const hostId = randomBytes(32).toString('base64')
  const body = renderS3Error(awsError, { requestId, hostId, resource: path ?? '/' })
  writeRawResponse(socket, awsError.status, 'application/xml', body, { 'x-amz-request-id': requestId, 'x-amz-id-2': hostId, Server: 'AmazonS3' })
}
