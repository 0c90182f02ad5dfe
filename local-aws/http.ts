import type { IncomingMessage, ServerResponse } from 'node:http'
import { randomUUID } from 'node:crypto'
import { AwsError } from './errors.ts'

/**
 * A request whose client half-closed the connection before the body was complete (Node's parser reports it for the
 * connection only: see local-aws/unparsedRequest.ts). Ending the request stream instead would make Node destroy the
 * socket, and the answer with it. Kept as a mark as well as an event: the body may not be read yet.
 */
const BODY_CUT_SHORT = Symbol('local-aws: body cut short')
const cutShortRequests = new WeakSet<IncomingMessage>()

export function markBodyCutShort(request: IncomingMessage): void {
  cutShortRequests.add(request)
  request.emit(BODY_CUT_SHORT)
}

export interface BodyReading {
  /** The error when the client sends nothing for `idleTimeoutMs`. */
  idle?: { timeoutMs: number; error: () => Error }
  /** The error when the client half-closes before the body is complete. */
  cutShort: () => Error
}

/**
 * A request body's chunks, failing when the body is cut short or (with `idle`) when the client stalls. Leaving the
 * loop early must not destroy the request, which would reset the connection before the answer that made us leave it.
 */
export async function* requestChunks(request: IncomingMessage, reading: BodyReading): AsyncGenerator<Buffer> {
  const iterator = request.iterator({ destroyOnReturn: false })
  let isCut = cutShortRequests.has(request)
  let interrupt: ((reason: 'cut' | 'idle') => void) | undefined
  const markCut = () => {
    isCut = true
    interrupt?.('cut')
  }
  request.once(BODY_CUT_SHORT, markCut)
  try {
    for (;;) {
      if (isCut) throw reading.cutShort()
      let timer: NodeJS.Timeout | undefined
      // A fresh promise per chunk: racing every chunk against one long-lived promise would keep every chunk alive.
      const interrupted = new Promise<'cut' | 'idle'>((resolve) => {
        interrupt = resolve
        if (reading.idle) timer = setTimeout(() => resolve('idle'), reading.idle.timeoutMs)
      })
      const next = await Promise.race([iterator.next() as Promise<IteratorResult<Buffer>>, interrupted])
      clearTimeout(timer)
      interrupt = undefined
      if (next === 'cut') throw reading.cutShort()
      if (next === 'idle') throw reading.idle!.error()
      if (next.done) return
      yield next.value
    }
  } finally {
    request.off(BODY_CUT_SHORT, markCut)
  }
}

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
  const cutShort = () => new AwsError('SerializationException', 'The request body is shorter than its Content-Length')
  for await (const chunk of requestChunks(request, { cutShort })) {
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
