import type { IncomingMessage, ServerResponse } from 'node:http'
import type { LocalAwsContext } from '../context.ts'
import type { LocalAwsConfig } from '../localConfig.ts'
import { renderMailbox } from './mailboxPage.ts'
import { renderRootPage } from './rootPage.ts'

// No Access-Control-Allow-Origin on any of them: the config holds the administrator key and the outbox every code, so
// only this machine's tools (curl, scripts, a tab opened on local AWS itself) may read them, never another origin's page.
function sendDevJson(response: ServerResponse, body: unknown): void {
  response.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' })
  response.end(JSON.stringify(body, null, 2))
}

/** The names under which this machine reaches local AWS: any port of localhost, 127.0.0.1 or [::1]. */
const LOCAL_HOST = /^(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/i

/**
 * Whether a request names this machine in its Host header. A DNS-rebinding page (a name of the internet's that now
 * resolves to 127.0.0.1) is same-origin with itself, not with local AWS: its requests carry its own name.
 */
export function isLocalHost(host: string | undefined): boolean {
  return host !== undefined && LOCAL_HOST.test(host)
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
  if (!isLocalHost(request.headers.host)) {
    response.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' })
    return void response.end(
      `Local AWS's developer pages answer only requests addressed to localhost, 127.0.0.1 or [::1] (any port); this one was addressed to ${JSON.stringify(request.headers.host ?? '')}. ` +
        'A page of another site that had its name resolve to this machine (DNS rebinding) is refused here.\n',
    )
  }
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
