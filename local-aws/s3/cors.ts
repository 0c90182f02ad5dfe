import { AwsError } from '../errors.ts'
import type { CorsRule } from '../template/model.ts'
import type { RequestHeaders } from './payload.ts'

/** S3 names these whether or not a rule matched, so caches keep answers for different origins apart. */
const VARY = 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method'

/**
 * Whether `value` matches a CORS pattern: exact (case-insensitive), or with its one `*` standing for any run of
 * characters, as S3 allows in `AllowedOrigin` and `AllowedHeader`.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/ManageCorsUsing.html
 */
export function matchesPattern(pattern: string, value: string): boolean {
  const lowerPattern = pattern.toLowerCase()
  const lowerValue = value.toLowerCase()
  const star = lowerPattern.indexOf('*')
  if (star === -1) return lowerPattern === lowerValue
  const [head, tail] = [lowerPattern.slice(0, star), lowerPattern.slice(star + 1)]
  return lowerValue.length >= head.length + tail.length && lowerValue.startsWith(head) && lowerValue.endsWith(tail)
}

export interface CorsQuery {
  origin: string
  method: string
  /** Lower-case names from `Access-Control-Request-Headers`; empty for actual requests. */
  requestHeaders: string[]
}

/** The first rule allowing the origin, the method and every requested header, as S3 evaluates rules in order. */
export function findCorsRule(rules: CorsRule[], { origin, method, requestHeaders }: CorsQuery): CorsRule | undefined {
  return rules.find(
    (rule) =>
      rule.allowedOrigins.some((pattern) => matchesPattern(pattern, origin)) &&
      rule.allowedMethods.some((allowed) => allowed.toUpperCase() === method.toUpperCase()) &&
      requestHeaders.every((header) => rule.allowedHeaders.some((pattern) => matchesPattern(pattern, header))),
  )
}

function allowOrigin(rule: CorsRule, origin: string): Record<string, string> {
  // A rule open to every origin answers `*`, which browsers refuse with credentials: S3 then does not offer them.
  return rule.allowedOrigins.includes('*')
    ? { 'Access-Control-Allow-Origin': '*' }
    : { 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': 'true' }
}

function ruleHeaders(rule: CorsRule, origin: string): Record<string, string> {
  return {
    ...allowOrigin(rule, origin),
    'Access-Control-Allow-Methods': rule.allowedMethods.join(', '),
    ...(rule.exposedHeaders.length > 0 && { 'Access-Control-Expose-Headers': rule.exposedHeaders.join(', ') }),
    ...(rule.maxAgeSeconds !== undefined && { 'Access-Control-Max-Age': String(rule.maxAgeSeconds) }),
  }
}

/**
 * The CORS headers of an actual (non-preflight) request, errors included: without them a browser hides S3's answer
 * from the app. Nothing when the request has no `Origin` or no rule allows it.
 */
export function corsHeadersFor(rules: CorsRule[], method: string, headers: RequestHeaders): Record<string, string> {
  const origin = headers.origin
  if (origin === undefined || rules.length === 0) return {}
  const rule = findCorsRule(rules, { origin, method, requestHeaders: [] })
  return { Vary: VARY, ...(rule && ruleHeaders(rule, origin)) }
}

/** S3's refusal of a preflight: `AccessForbidden`, its message prefixed with `CORSResponse: `. */
function corsRefused(message: string): AwsError {
  return new AwsError('AccessForbidden', `CORSResponse: ${message}`, 403)
}

/**
 * Answers a preflight `OPTIONS` request: the headers of a 200 when a rule allows the origin, the requested method and
 * every requested header; S3's refusals otherwise.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/RESTOPTIONSobject.html
 */
export function preflight(rules: CorsRule[], headers: RequestHeaders): Record<string, string> {
  const origin = headers.origin
  const method = headers['access-control-request-method']
  if (origin === undefined) throw new AwsError('BadRequest', 'Insufficient information. Origin request header needed.', 400)
  if (method === undefined) throw new AwsError('BadRequest', 'Invalid Access-Control-Request-Method: null', 400)
  if (rules.length === 0) throw corsRefused('CORS is not enabled for this bucket.')
  const requested = headers['access-control-request-headers'] ?? ''
  const requestHeaders = requested
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '')
  const rule = findCorsRule(rules, { origin, method, requestHeaders })
  if (!rule) {
    throw corsRefused(
      "This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
    )
  }
  return {
    ...ruleHeaders(rule, origin),
    ...(requestHeaders.length > 0 && { 'Access-Control-Allow-Headers': requestHeaders.join(', ') }),
    Vary: VARY,
  }
}
