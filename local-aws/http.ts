import type { IncomingMessage, ServerResponse } from 'node:http'
import { randomUUID } from 'node:crypto'
import { AwsError } from './errors.ts'

/** The most a JSON-protocol request body may hold; Cognito's own requests are a few kilobytes. */
export const MAX_JSON_BODY_BYTES = 1024 * 1024

/**
 * Reads a request body up to `limit` bytes. A larger body is refused as soon as its declared length or the bytes
 * received pass the limit, without buffering the rest.
 */
export async function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const tooLarge = () => new AwsError('RequestEntityTooLargeException', `Request body exceeds ${limit} bytes`, 413)
  if (Number(request.headers['content-length'] ?? 0) > limit) throw tooLarge()
  const chunks: Buffer[] = []
  let received = 0
  for await (const chunk of request as AsyncIterable<Buffer>) {
    received += chunk.length
    if (received > limit) throw tooLarge()
    chunks.push(chunk)
  }
  return Buffer.concat(chunks)
}

/** Answers in the AWS JSON 1.1 protocol, success or error. */
export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body)
  response.writeHead(status, {
    'Content-Type': 'application/x-amz-json-1.1',
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': randomUUID(),
    ...headers,
  })
  response.end(text)
}

/**
 * `{"__type": "NotAuthorizedException", "message": "…"}`, as the SDKs and amazon-cognito-identity-js parse it. AWS's
 * deserializer spells its own error's member `Message`, which both clients read too
 * (docs/aws-behaviour.md#wrong-json-types-are-serializationexception).
 */
export function sendJsonError(response: ServerResponse, error: AwsError, extraHeaders: Record<string, string> = {}): void {
  const headers: Record<string, string> = { 'x-amzn-ErrorType': error.code, ...extraHeaders }
  // The request body was not read to its end: do not let the client reuse the connection for another request.
  if (error.status === 413) headers.Connection = 'close'
  const messageMember = error.code === 'SerializationException' ? 'Message' : 'message'
  sendJson(response, error.status, { __type: error.code, [messageMember]: error.message }, headers)
}
