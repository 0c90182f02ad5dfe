import type { IncomingMessage, ServerResponse } from 'node:http'
import type { LocalAwsContext } from '../context.ts'
import type { LocalAwsConfig } from '../localConfig.ts'
import { renderMailbox } from './mailboxPage.ts'
import { renderRootPage } from './rootPage.ts'

function sendDevJson(response: ServerResponse, body: unknown): void {
  response.writeHead(200, { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'no-store' })
  response.end(JSON.stringify(body, null, 2))
}

/**
 * Development endpoints, never part of AWS's surface: the config, the outbox as JSON, the mailbox page, and the root
 * page a browser gets at `/`.
 */
export function handleDevRequest(
  context: LocalAwsContext,
  config: LocalAwsConfig,
  path: string,
  request: IncomingMessage,
  response: ServerResponse,
): void {
  if (request.method !== 'GET') {
    response.writeHead(405, { Allow: 'GET' })
    return void response.end()
  }
  switch (path) {
    case '/':
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' })
      return void response.end(renderRootPage(config))
    case '/_local/config':
      return sendDevJson(response, config)
    case '/_local/env':
      // The app's `VITE_*` values in .env form, for building against this local AWS (README, "Build and preview").
      response.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' })
      return void response.end(
        Object.entries(config.viteEnv)
          .map(([name, value]) => `${name}='${value}'\n`)
          .join(''),
      )
    case '/_local/outbox':
      return sendDevJson(response, context.outbox.messages.map(({ to, kind, medium, code, sentAt }) => ({ to, kind, medium, code, sentAt })))
    case '/_local':
    case '/_local/':
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' })
      return void response.end(renderMailbox(context.outbox.messages, context.outbox.defaultSenderEmailsToday()))
    default:
      response.writeHead(404, { 'Content-Type': 'text/plain' })
      return void response.end('Not found')
  }
}
