import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { JsonService, LocalAwsContext, S3Service } from './context.ts'
import { AwsError } from './errors.ts'
import { MAX_JSON_BODY_BYTES, readBody, sendJson, sendJsonError } from './http.ts'
import { handleDevRequest } from './dev/devEndpoints.ts'
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
  return createServer((request, response) => {
    route(parts, request, response).catch((error: unknown) => {
      // A client that hung up mid-request is no fault of local AWS: nobody is left to answer, nothing to report.
      if (request.destroyed) return void response.destroy()
      parts.context.log(`[local-aws] internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
      if (!response.headersSent) sendJsonError(response, new AwsError('InternalErrorException', 'Internal error', 500))
      else response.destroy()
    })
  })
}

async function route(parts: ServerParts, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const path = new URL(request.url ?? '/', 'http://local').pathname
  if (path === '/' || path === '') return handleJson(parts, request, response)
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
    let input: unknown
    try {
      input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'))
    } catch {
      throw new AwsError('SerializationException', 'The request body is not valid JSON')
    }
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw new AwsError('SerializationException', 'The request body must be a JSON object')
    }
    const result = await operation(input as Record<string, unknown>, { headers: request.headers })
    sendJson(response, 200, result)
  } catch (error) {
    if (!(error instanceof AwsError)) throw error
    sendJsonError(response, error)
  }
}
