import type { IncomingHttpHeaders } from 'node:http'
import type { Clock } from '../clock.ts'
import type { SessionCredentials } from '../credentials.ts'
import { AwsError } from '../errors.ts'
import { expectedSignature, isSameSignature, parseAmzDate, scopeSigner, sha256Hex, SIGV4_ALGORITHM, type ScopeSigner } from '../protocol/sigv4.ts'
import type { ChunkSignatureVerifier } from './awsChunked.ts'
import { queryValue, type QueryParameters, type RequestTarget } from './router.ts'

/** How the body of an authenticated request is vouched for. */
export type PayloadSigning =
  /** `x-amz-content-sha256` is the body's SHA-256 (hex), which the signature covers. */
  | { kind: 'sha256'; sha256: string }
  /** `UNSIGNED-PAYLOAD`, and every presigned URL. */
  | { kind: 'unsigned' }
  /** `STREAMING-*`: an `aws-chunked` body, with chunk signatures when signed and trailing headers when announced. */
  | { kind: 'aws-chunked'; signatures?: ChunkSignatureVerifier; hasTrailer: boolean }

export interface Authentication {
  session: SessionCredentials
  /** Query-string authentication (a presigned URL): its `x-amz-*` query parameters stand for headers. */
  isPresigned: boolean
  payload: PayloadSigning
}

export interface SignedRequest {
  method: string
  target: RequestTarget
  headers: IncomingHttpHeaders
}

export interface SigV4Services {
  credentials: { find(accessKeyId: string): SessionCredentials | undefined }
  clock: Clock
  region: string
}

const SERVICE = 's3'
const ALGORITHM = SIGV4_ALGORITHM
const MAX_SKEW_MS = 15 * 60 * 1000
/** A week: the longest a presigned URL may live. */
const MAX_EXPIRES_SECONDS = 604_800
const EMPTY_SHA256 = sha256Hex('')
const STREAMING_PAYLOADS = new Map<string, { isSigned: boolean; hasTrailer: boolean }>([
  ['STREAMING-UNSIGNED-PAYLOAD-TRAILER', { isSigned: false, hasTrailer: true }],
  ['STREAMING-AWS4-HMAC-SHA256-PAYLOAD', { isSigned: true, hasTrailer: false }],
  ['STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER', { isSigned: true, hasTrailer: true }],
])
const QUERY_AUTH_PARAMETERS = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature']

/** What a request says about its own signature, from its Authorization header or its query. */
interface SignatureClaim {
  accessKeyId: string
  /** `YYYYMMDD` from the credential scope. */
  scopeDate: string
  region: string
  service: string
  terminator: string
  /** `YYYYMMDDTHHMMSSZ`. */
  amzDate: string
  signedHeaders: string[]
  signature: string
  securityToken?: string
  expiresSeconds?: number
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name]
  return Array.isArray(value) ? value.join(', ') : value
}

function accessDenied(message: string, details: Record<string, string> = {}): AwsError {
  return new AwsError('AccessDenied', message, 403, details)
}

function headerMalformed(reason: string): AwsError {
  return new AwsError('AuthorizationHeaderMalformed', `The authorization header is malformed; ${reason}`, 400)
}

function queryMalformed(message: string): AwsError {
  return new AwsError('AuthorizationQueryParametersError', message, 400)
}

function parseCredential(credential: string, malformed: (reason: string) => AwsError) {
  const parts = credential.split('/')
  if (parts.length !== 5 || parts.some((part) => part === '')) {
    throw malformed(`the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`)
  }
  const [accessKeyId, scopeDate, region, service, terminator] = parts as [string, string, string, string, string]
  return { accessKeyId, scopeDate, region, service, terminator }
}

/** `Authorization: AWS4-HMAC-SHA256 Credential=…/…/…/s3/aws4_request, SignedHeaders=a;b, Signature=hex` */
function claimFromHeader(authorization: string, headers: IncomingHttpHeaders): SignatureClaim {
  const [algorithm, ...rest] = authorization.trim().split(/\s+/)
  if (algorithm !== ALGORITHM) throw new AwsError('InvalidArgument', 'Unsupported Authorization Type', 400)
  const fields = new Map<string, string>()
  for (const field of rest.join('').split(',')) {
    const equals = field.indexOf('=')
    if (equals > 0) fields.set(field.slice(0, equals), field.slice(equals + 1))
  }
  const credential = fields.get('Credential')
  const signedHeaders = fields.get('SignedHeaders')
  const signature = fields.get('Signature')
  if (!credential || !signedHeaders || !signature) {
    throw headerMalformed('it must contain Credential, SignedHeaders and Signature.')
  }
  const amzDate = headerValue(headers, 'x-amz-date')
  if (!parseAmzDate(amzDate)) throw accessDenied('AWS authentication requires a valid Date or x-amz-date header')
  return {
    ...parseCredential(credential, headerMalformed),
    amzDate: amzDate!,
    signedHeaders: signedHeaders.split(';'),
    signature,
    securityToken: headerValue(headers, 'x-amz-security-token'),
  }
}

/** `?X-Amz-Algorithm=…&X-Amz-Credential=…&X-Amz-Date=…&X-Amz-Expires=…&X-Amz-SignedHeaders=…&X-Amz-Signature=…` */
function claimFromQuery(query: QueryParameters): SignatureClaim {
  const value = (name: string) => queryValue(query, name)
  const algorithm = value('X-Amz-Algorithm')
  const credential = value('X-Amz-Credential')
  const amzDate = value('X-Amz-Date')
  const expires = value('X-Amz-Expires')
  const signedHeaders = value('X-Amz-SignedHeaders')
  const signature = value('X-Amz-Signature')
  if (!algorithm || !credential || !amzDate || !expires || !signedHeaders || !signature) {
    throw queryMalformed(
      'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
    )
  }
  if (algorithm !== ALGORITHM) throw queryMalformed(`X-Amz-Algorithm only supports "${ALGORITHM}"`)
  if (!parseAmzDate(amzDate)) throw queryMalformed(`X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`)
  if (!/^\d+$/.test(expires)) throw queryMalformed('X-Amz-Expires should be a number')
  const expiresSeconds = Number(expires)
  if (expiresSeconds > MAX_EXPIRES_SECONDS) {
    throw queryMalformed(`X-Amz-Expires must be less than a week (in seconds) that is; ${MAX_EXPIRES_SECONDS} seconds`)
  }
  return {
    ...parseCredential(credential, (reason) => queryMalformed(`Error parsing the X-Amz-Credential parameter; ${reason}`)),
    amzDate,
    signedHeaders: signedHeaders.split(';'),
    signature,
    securityToken: value('X-Amz-Security-Token'),
    expiresSeconds,
  }
}

function checkScope(claim: SignatureClaim, region: string, isPresigned: boolean): void {
  const malformed = isPresigned ? (reason: string) => queryMalformed(`Error parsing the X-Amz-Credential parameter; ${reason}`) : headerMalformed
  if (claim.scopeDate !== claim.amzDate.slice(0, 8)) throw malformed('Invalid credential date. Date is not the same as X-Amz-Date.')
  if (claim.region !== region) {
    throw new AwsError(
      isPresigned ? 'AuthorizationQueryParametersError' : 'AuthorizationHeaderMalformed',
      `${isPresigned ? 'Error parsing the X-Amz-Credential parameter' : 'The authorization header is malformed'}; the region '${claim.region}' is wrong; expecting '${region}'`,
      400,
      { Region: region },
    )
  }
  if (claim.service !== SERVICE) throw malformed(`incorrect service '${claim.service}'. This endpoint belongs to '${SERVICE}'.`)
  if (claim.terminator !== 'aws4_request') throw malformed(`incorrect terminal '${claim.terminator}'. This endpoint uses 'aws4_request'.`)
}

/** S3 shows what it signed, so a developer can compare it with what their signer did. */
function signatureMismatch(accessKeyId: string, signature: string, signed: { stringToSign: string; canonicalRequest?: string } | undefined): AwsError {
  return new AwsError(
    'SignatureDoesNotMatch',
    'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    403,
    {
      AWSAccessKeyId: accessKeyId,
      ...(signed && { StringToSign: signed.stringToSign }),
      SignatureProvided: signature,
      ...(signed?.canonicalRequest !== undefined && { CanonicalRequest: signed.canonicalRequest }),
    },
  )
}

/** The payload mode a header-signed request announces in `x-amz-content-sha256`. */
function payloadMode(value: string | undefined): PayloadSigning | { kind: 'streaming'; isSigned: boolean; hasTrailer: boolean } {
  if (value === undefined) throw new AwsError('InvalidRequest', 'Missing required header for this request: x-amz-content-sha256', 400)
  if (value === 'UNSIGNED-PAYLOAD') return { kind: 'unsigned' }
  if (/^[0-9a-fA-F]{64}$/.test(value)) return { kind: 'sha256', sha256: value.toLowerCase() }
  const streaming = STREAMING_PAYLOADS.get(value)
  if (streaming) return { kind: 'streaming', ...streaming }
  if (value.startsWith('STREAMING-AWS4-ECDSA-P256-SHA256')) throw new AwsError('NotImplemented', 'Local AWS does not implement SigV4a', 501)
  throw new AwsError(
    'InvalidArgument',
    'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or a valid sha256 value.',
    400,
    { ArgumentName: 'x-amz-content-sha256', ArgumentValue: value },
  )
}

/**
 * Verifies a request's SigV4 signature as S3 does: the key must be one local AWS issued, with its session token,
 * unexpired; the request time within 15 minutes of the clock (presigned: not 15 minutes ahead of it, and before
 * `X-Amz-Date + X-Amz-Expires`); `host` and every `x-amz-*` header signed; and the signature recomputed over the
 * canonical request S3 derives from the path, the query and the signed headers (local-aws/protocol/sigv4.ts). Errors
 * carry S3's codes, statuses and messages.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-authenticating-requests.html
 */
export function createSigV4Authenticator(services: SigV4Services): (request: SignedRequest) => Promise<Authentication> {
  const { credentials, clock, region } = services
  return async (request) => {
    const { headers, target } = request
    const authorization = headerValue(headers, 'authorization')
    const isPresigned = QUERY_AUTH_PARAMETERS.some((name) => target.query[name] !== undefined)
    if (authorization === undefined && !isPresigned) throw accessDenied('Access Denied')
    if (authorization !== undefined && isPresigned) {
      throw new AwsError(
        'InvalidArgument',
        'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified',
        400,
      )
    }
    const claim = isPresigned ? claimFromQuery(target.query) : claimFromHeader(authorization!, headers)
    checkScope(claim, region, isPresigned)

    const session = credentials.find(claim.accessKeyId)
    // Temporary keys without their token are unknown to S3: it answers InvalidAccessKeyId, not InvalidToken.
    if (!session || (session.sessionToken && claim.securityToken === undefined)) {
      throw new AwsError('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', 403, {
        AWSAccessKeyId: claim.accessKeyId,
      })
    }
    if (session.sessionToken && !isSameSignature(session.sessionToken, claim.securityToken!)) {
      throw new AwsError('InvalidToken', 'The provided token is malformed or otherwise invalid.', 400, { 'Token-0': claim.securityToken! })
    }
    const now = clock.now()
    if (now >= session.expiration) {
      throw new AwsError('ExpiredToken', 'The provided token has expired.', 400, { 'Token-0': claim.securityToken ?? '' })
    }
    const signingDate = parseAmzDate(claim.amzDate)!
    if (claim.expiresSeconds !== undefined) {
      const expiresAt = signingDate.getTime() + claim.expiresSeconds * 1000
      // A URL dated ahead of S3's clock (past the usual skew) is refused until then, as S3 does.
      if (signingDate.getTime() - now > MAX_SKEW_MS) {
        throw accessDenied('Request is not yet valid', {
          'X-Amz-Date': String(signingDate.getTime()),
          Expires: new Date(expiresAt).toISOString(),
          ServerTime: new Date(now).toISOString(),
        })
      }
      if (now > expiresAt) {
        throw accessDenied('Request has expired', {
          'X-Amz-Expires': String(claim.expiresSeconds),
          Expires: new Date(expiresAt).toISOString(),
          ServerTime: new Date(now).toISOString(),
        })
      }
    } else if (Math.abs(now - signingDate.getTime()) > MAX_SKEW_MS) {
      throw new AwsError('RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', 403, {
        RequestTime: claim.amzDate,
        ServerTime: new Date(now).toISOString(),
        MaxAllowedSkewMilliseconds: String(MAX_SKEW_MS),
      })
    }
    // SigV4 requires `host` among the signed headers, as every `x-amz-*` header the request carries.
    const unsigned = Object.keys(headers).filter((name) => (name === 'host' || name.startsWith('x-amz-')) && !claim.signedHeaders.includes(name))
    if (unsigned.length > 0) {
      throw accessDenied('There were headers present in the request which were not signed', { HeadersNotSigned: unsigned.join(', ') })
    }
    const mode = isPresigned ? ({ kind: 'unsigned' } as const) : payloadMode(headerValue(headers, 'x-amz-content-sha256'))

    const signer = await scopeSigner(claim, session.secretAccessKey)
    const expected = expectedSignature(
      {
        method: request.method,
        rawPath: target.rawPath,
        rawQuery: target.rawQuery,
        headers,
        signedHeaders: claim.signedHeaders,
        payloadHash: isPresigned ? 'UNSIGNED-PAYLOAD' : headerValue(headers, 'x-amz-content-sha256')!,
        unsignedParameter: isPresigned ? 'X-Amz-Signature' : undefined,
      },
      claim,
      signer,
    )
    if (expected === undefined || !isSameSignature(expected.signature, claim.signature)) {
      throw signatureMismatch(claim.accessKeyId, claim.signature, expected)
    }

    if (mode.kind !== 'streaming') return { session, isPresigned, payload: mode }
    const signatures = mode.isSigned ? chunkSignatureVerifier(signer, claim, expected.signature) : undefined
    return { session, isPresigned, payload: { kind: 'aws-chunked', signatures, hasTrailer: mode.hasTrailer } }
  }
}

/**
 * Each chunk's signature signs the previous one, the chunk's hash, and the scope; the trailer's signs the last chunk's.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html
 */
function chunkSignatureVerifier(signer: ScopeSigner, claim: SignatureClaim, seedSignature: string): ChunkSignatureVerifier {
  const { scope } = signer
  let previous = seedSignature
  const verify = (lines: string[], provided: string) => {
    const expected = signer.sign(lines)
    if (!isSameSignature(expected, provided)) throw signatureMismatch(claim.accessKeyId, provided, { stringToSign: lines.join('\n') })
    previous = expected
  }
  return {
    verifyChunk: (signature, dataSha256) =>
      verify(['AWS4-HMAC-SHA256-PAYLOAD', claim.amzDate, scope, previous, EMPTY_SHA256, dataSha256], signature),
    verifyTrailer: (signature, trailer) =>
      verify(['AWS4-HMAC-SHA256-TRAILER', claim.amzDate, scope, previous, sha256Hex(trailer)], signature),
  }
}
