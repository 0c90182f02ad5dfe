import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { randomUUID } from 'node:crypto'
import type { Duplex } from 'node:stream'
import type { JsonService, LocalAwsContext, S3Service } from './context.ts'
import { AwsError } from './errors.ts'
import { MAX_JSON_BODY_BYTES, readBody, sendJson, sendJsonError } from './http.ts'
import { handleDevRequest } from './dev/devEndpoints.ts'
import { parseJsonBody } from './protocol/jsonInput.ts'
import { answerUnparsedRequest, isJsonPath, type UnparsedRequestError } from './unparsedRequest.ts'

/**
 * S3 refuses a request whose header section passes 8 KiB (`RequestHeaderSectionTooLarge`); Node's own limit is 16 KiB.
 * The Cognito clients send a few hundred bytes of headers (tokens travel in the body), so one limit serves all.
 * docs/aws-behaviour.md#requests-node-cannot-parse
 */
const MAX_HEADER_BYTES = 8 * 1024
import type { LocalAwsConfig } from './localConfig.ts'

const JSON_CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'x-amzn-RequestId, x-amzn-ErrorType, x-amzn-ErrorMessage, Date',
}

/**
 * Both Cognito services share this one origin here (on AWS they are two hosts), and a browser caches one preflight per
 * URL: allowing every header either official client sends keeps GetUser after GetId from costing a second preflight.
 */
const JSON_ALLOWED_HEADERS = ['content-type', 'x-amz-target', 'x-amz-user-agent', 'x-amz-date', 'x-amz-security-token',
  'amz-sdk-invocation-id', 'amz-sdk-request', 'cache-control']

function allowedHeaders(requested: string | undefined): string {
  const names = new Set(JSON_ALLOWED_HEADERS)
  for (const name of requested?.split(',') ?? []) if (name.trim()) names.add(name.trim().toLowerCase())
  return [...names].join(', ')
}

export interface ServerParts {
  context: LocalAwsContext
  jsonServices: JsonService[]
  s3: S3Service
  /** What `/_local/config` answers, known once local AWS listens. */
  config: () => LocalAwsConfig
}

/**
 * One port for everything: `X-Amz-Target` JSON protocols (Cognito user pools and identity pools) at `/`, JWKS, the dev
 * endpoints under `/_local/`, and S3 path-style (`/{bucket}/{key}`) for anything else.
 */
export function createLocalAwsServer(parts: ServerParts): Server {
  // The exchange under way on each connection, for the parser errors Node reports about the connection only.
  const exchanges = new WeakMap<Duplex, { request: IncomingMessage; response: ServerResponse }>()
  const usedConnections = new WeakSet<Duplex>()
  const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (request, response) => {
    const { socket } = request
    exchanges.set(socket, { request, response })
    usedConnections.add(socket)
    response.once('close', () => {
      if (exchanges.get(socket)?.request === request) exchanges.delete(socket)
    })
    route(parts, request, response).catch((error: unknown) => answerInternalError(parts, request, response, error))
  })
  server.on('clientError', (error: UnparsedRequestError, socket: Duplex) => {
    answerUnparsedRequest(error, socket, { exchange: exchanges.get(socket), isFreshConnection: !usedConnections.has(socket) })
  })
  return server
}

/**
 * Anything an operation did not expect: AWS's 500 in the service's shape, with a request id, logged once
 * (docs/aws-behaviour.md#internal-errors-and-hostile-input). S3 answers its own in XML; this covers the JSON protocols,
 * the JWKS and the dev endpoints.
 */
function answerInternalError(parts: ServerParts, request: IncomingMessage, response: ServerResponse, error: unknown): void {
  // A client that hung up is no fault of local AWS: nobody is left to answer, nothing to report.
  if (request.socket.destroyed || response.writableEnded) return
  const requestId = randomUUID()
  parts.context.log(`[local-aws] internal error (request ${requestId}): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
  if (response.headersSent) return void response.destroy()
  sendJsonError(response, new AwsError('InternalErrorException', 'Internal server error.', 500), { 'x-amzn-RequestId': requestId })
}

async function route(parts: ServerParts, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const path = new URL(request.url ?? '/', 'http://local').pathname
  // A browser opening the printed URL gets a page; the JSON protocols POST to `/`.
  if (path === '/' && request.method === 'GET' && /text\/html/.test(request.headers.accept ?? '')) {
    return handleDevRequest(parts.context, parts.config(), '/', request, response)
  }
  if (isJsonPath(path)) return handleJson(parts, request, response)
  if (path.startsWith('/_local')) return handleDevRequest(parts.context, parts.config(), path, request, response)
  const jwks = /^\/([\w-]+_[0-9a-zA-Z]+)\/\.well-known\/jwks\.json$/.exec(path)
  if (jwks && request.method === 'GET') {
    const pool = parts.context.model.userPools.find((candidate) => candidate.id === jwks[1])
    if (pool) return sendJson(response, 200, parts.context.keys.jwks, { ...JSON_CORS_HEADERS, 'Content-Type': 'application/json' })
  }
  return parts.s3.handle(request, response)
}

async function handleJson(parts: ServerParts, request: IncomingMessage, response: ServerResponse): Promise<void> {
  // Errors need these too, or the browser hides them from the app behind a CORS failure.
  for (const [name, value] of Object.entries(JSON_CORS_HEADERS)) response.setHeader(name, value)
  if (request.method === 'OPTIONS') {
    response.writeHead(204, {
      'Access-Control-Allow-Methods': 'POST, OPTIONS',
      'Access-Control-Allow-Headers': allowedHeaders(request.headers['access-control-request-headers']),
      'Access-Control-Max-Age': '86400',
    })
    return void response.end()
  }
  try {
    if (request.method !== 'POST') throw new AwsError('UnknownOperationException', `Method ${request.method} is not supported at /`, 404)
    const target = String(request.headers['x-amz-target'] ?? '')
    const [prefix, operationName] = target.split('.', 2)
    const service = parts.jsonServices.find((candidate) => candidate.targetPrefix === prefix)
    // Own properties only: `constructor` or `toString` must not run Object's methods as operations.
    const operation = service && operationName && Object.hasOwn(service.operations, operationName) ? service.operations[operationName] : undefined
    if (!operation) throw new AwsError('UnknownOperationException', target ? `Unknown operation ${target}` : 'Missing X-Amz-Target header')
    const body = await readBody(request, MAX_JSON_BODY_BYTES)
    const input = parseJsonBody(body)
    const result = await operation(input, { headers: request.headers, method: request.method, url: request.url ?? '/', body })
    sendJson(response, 200, result)
  } catch (error) {
    if (!(error instanceof AwsError)) throw error
    sendJsonError(response, error)
  }
}
