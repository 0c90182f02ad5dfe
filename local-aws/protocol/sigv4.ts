/*
 * The server's half of Signature Version 4, for S3 and the JSON services alike: the canonical request derived from the
 * request as it arrived, however a correct signer chose to encode it on the wire
 * (docs/aws-behaviour.md#sigv4-canonical-request-from-the-received-request).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 *
 * Hand-written rather than @smithy/signature-v4's `sign`: a signer starts from the request it is about to send, a
 * verifier from the one it received. The signer sorts query names before encoding them, re-encodes a path that is
 * already encoded, and keeps the first of two values when its input is a map; the specification differs on each.
 * The signing key still comes from @smithy (derived once per key, scope and day, and cached).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import { Hash } from '@smithy/hash-node'
import { getSigningKey } from '@smithy/signature-v4'

export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256'

/** `YYYYMMDDTHHMMSSZ` as a date; undefined when malformed. */
export function parseAmzDate(amzDate: string | undefined): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate ?? '')
  if (!match) return undefined
  const [, year, month, day, hour, minute, second] = match.map(Number) as number[]
  const date = new Date(Date.UTC(year!, month! - 1, day!, hour!, minute!, second!))
  return Number.isNaN(date.getTime()) ? undefined : date
}

/** Compares two signatures (or tokens) in constant time. */
export function isSameSignature(expected: string, provided: string): boolean {
  const expectedBytes = Buffer.from(expected)
  const providedBytes = Buffer.from(provided)
  return expectedBytes.length === providedBytes.length && timingSafeEqual(expectedBytes, providedBytes)
}

/** SigV4's URI encoding: every UTF-8 byte but `A-Za-z0-9-._~` as `%XY` (upper-case hex); `/` kept when asked. */
export function uriEncode(text: string, keepSlash = false): string {
  const encoded = encodeURIComponent(text).replace(/[!'()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`)
  return keepSlash ? encoded.replaceAll('%2F', '/') : encoded
}

/**
 * A path or query component as S3 reads it: `+` is a space (a literal plus arrives as `%2B`), then percent-decoding.
 * Undefined when the escapes are not UTF-8.
 * docs/aws-behaviour.md#s3-reads-a-plus-in-the-path-or-query-as-a-space
 */
export function decodeComponent(text: string): string | undefined {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '))
  } catch {
    return undefined
  }
}

/** RFC 3986's remove_dot_segments, with empty segments dropped too, as the SigV4 docs ask of every service but S3. */
function normalizedSegments(rawPath: string): string[] {
  const segments: string[] = []
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue
    if (segment === '..') segments.pop()
    else segments.push(segment)
  }
  return segments
}

/**
 * The canonical URI. S3: the decoded path URI-encoded once, `/` kept, no normalisation (`a//b`, `./` and `%2F` stay
 * as they decode). Every other service: the path normalised, each segment encoded twice (the value's own encoding,
 * then once more). Undefined when the path is not valid percent-encoded UTF-8.
 */
export function canonicalUri(rawPath: string, service: string): string | undefined {
  if (service === 's3') {
    const decoded = decodeComponent(rawPath)
    return decoded === undefined ? undefined : uriEncode(decoded, true)
  }
  const segments: string[] = []
  for (const segment of normalizedSegments(rawPath)) {
    const decoded = decodeComponent(segment)
    if (decoded === undefined) return undefined
    segments.push(uriEncode(uriEncode(decoded)))
  }
  const hasTrailingSlash = segments.length > 0 && rawPath.endsWith('/')
  return `/${segments.join('/')}${hasTrailingSlash ? '/' : ''}`
}

/**
 * The canonical query string: each name and value decoded then encoded once, sorted by encoded name then value, a
 * parameter without a value as `name=`, a repeated one once per value; the signature itself left out.
 */
export function canonicalQuery(rawQuery: string, leaveOut?: string): string | undefined {
  const pairs: [string, string][] = []
  for (const parameter of rawQuery.split('&')) {
    if (parameter === '') continue
    const equals = parameter.indexOf('=')
    const name = decodeComponent(equals === -1 ? parameter : parameter.slice(0, equals))
    const value = equals === -1 ? '' : decodeComponent(parameter.slice(equals + 1))
    if (name === undefined || value === undefined) return undefined
    if (name !== leaveOut) pairs.push([uriEncode(name), uriEncode(value)])
  }
  const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
  pairs.sort(([nameA, valueA], [nameB, valueB]) => byCodePoint(nameA, nameB) || byCodePoint(valueA, valueB))
  return pairs.map(([name, value]) => `${name}=${value}`).join('&')
}

/** A signed header's canonical value: every value the request carries, each trimmed and with inner spaces collapsed. */
function canonicalHeaderValue(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name]
  const values = value === undefined ? [] : Array.isArray(value) ? value : [value]
  return values.map((each) => each.trim().replace(/\s+/g, ' ')).join(',')
}

/** What a request claims of its own signature, whichever form (header or query) it came in. */
export interface SignatureScope {
  accessKeyId: string
  /** `YYYYMMDD`. */
  scopeDate: string
  region: string
  service: string
  /** `YYYYMMDDTHHMMSSZ`. */
  amzDate: string
}

export interface ReceivedRequest {
  method: string
  /** The path as sent, percent-encoding included. */
  rawPath: string
  /** The query as sent, without `?`. */
  rawQuery: string
  headers: IncomingHttpHeaders
  /** The names the signer listed in `SignedHeaders`, in its order. */
  signedHeaders: readonly string[]
  /** The last line of the canonical request: the body's hex SHA-256, `UNSIGNED-PAYLOAD`, or a `STREAMING-*` mode. */
  payloadHash: string
  /** A query parameter the canonical query leaves out: `X-Amz-Signature` for a presigned URL. */
  unsignedParameter?: string
}

/** A SigV4 signing key with which to sign strings to sign of its scope (the seed, then chunks and trailer). */
export interface ScopeSigner {
  scope: string
  sign(lines: readonly string[]): string
}

export async function scopeSigner(claim: Omit<SignatureScope, 'amzDate'>, secretAccessKey: string): Promise<ScopeSigner> {
  const key = await getSigningKey(Hash.bind(null, 'sha256'), { accessKeyId: claim.accessKeyId, secretAccessKey }, claim.scopeDate, claim.region, claim.service)
  return {
    scope: `${claim.scopeDate}/${claim.region}/${claim.service}/aws4_request`,
    sign: (lines) => createHmac('sha256', key).update(lines.join('\n')).digest('hex'),
  }
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex')
}

/** The canonical request; undefined when its path or query is not valid percent-encoded UTF-8. */
export function canonicalRequest(request: ReceivedRequest, service: string): string | undefined {
  const uri = canonicalUri(request.rawPath, service)
  const query = canonicalQuery(request.rawQuery, request.unsignedParameter)
  if (uri === undefined || query === undefined) return undefined
  const headerLines = request.signedHeaders.map((name) => `${name}:${canonicalHeaderValue(request.headers, name)}\n`).join('')
  return [request.method, uri, query, headerLines, request.signedHeaders.join(';'), request.payloadHash].join('\n')
}

/** The signature a request should carry, with what it signs (S3 shows both when they differ). */
export interface ExpectedSignature {
  signature: string
  canonicalRequest: string
  stringToSign: string
}

/** The seed signature the request should carry; undefined when its path or query cannot be decoded. */
export function expectedSignature(request: ReceivedRequest, claim: SignatureScope, signer: ScopeSigner): ExpectedSignature | undefined {
  const canonical = canonicalRequest(request, claim.service)
  if (canonical === undefined) return undefined
  const lines = [SIGV4_ALGORITHM, claim.amzDate, signer.scope, sha256Hex(canonical)]
  return { signature: signer.sign(lines), canonicalRequest: canonical, stringToSign: lines.join('\n') }
}
