import type { ResponseHeader } from '../template/model.ts'

/** An AWS service endpoint as a CSP source: `https://cognito-idp.us-east-1.amazonaws.com`, `https://bucket.s3.….amazonaws.com`. */
const AWS_SOURCE = /^https:\/\/[a-z0-9.-]+\.amazonaws\.com$/

/**
 * The template's response headers as a local server must send them: in the Content-Security-Policy, every AWS endpoint
 * is replaced by the one endpoint that stands for all of them locally (local AWS), so the app keeps talking to exactly
 * what the template allows and nothing else. Every other header is the template's, unchanged.
 */
export function localResponseHeaders(headers: readonly ResponseHeader[], endpoint: string): ResponseHeader[] {
  const localSource = new URL(endpoint).origin
  return headers.map(({ name, value }) => {
    if (name.toLowerCase() !== 'content-security-policy') return { name, value }
    const directives = value.split(';').map((directive) => {
      const sources = directive.trim().split(/\s+/)
      const replaced = sources.map((source) => (AWS_SOURCE.test(source) ? localSource : source))
      return [...new Set(replaced)].join(' ')
    })
    return { name, value: directives.filter(Boolean).join('; ') }
  })
}
