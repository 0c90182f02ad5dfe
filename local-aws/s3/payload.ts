import { createHash, type Hash } from 'node:crypto'
import { AwsError } from '../errors.ts'
import { decodeAwsChunked, incompleteBody } from './awsChunked.ts'
import { BodyDigests } from './bodyDigests.ts'
import {
  CHECKSUM_HEADER_PATTERN,
  checksumHeaderName,
  createChecksum,
  isChecksumValue,
  toChecksumAlgorithm,
  type ChecksumAlgorithm,
  type IncrementalChecksum,
} from './checksums.ts'
import type { PayloadSigning } from './sigv4.ts'

/** Request headers by lower-case name, single-valued. */
export type RequestHeaders = Record<string, string | undefined>

export interface PayloadOptions {
  /** The most bytes the body may hold once decoded. */
  maxBytes: number
  /** Compute this checksum even when the client sends none (a part of a multipart upload created with it). */
  checksumAlgorithm?: ChecksumAlgorithm
}

export interface PayloadDigests {
  size: number
  md5: Buffer
  /** The checksum computed (base64), verified against the client's when it sent one. */
  checksum?: { algorithm: ChecksumAlgorithm; value: string }
}

/** S3's answer to an upload that stopped sending (docs/aws-behaviour.md#stalled-uploads-time-out). */
export function requestTimeout(): AwsError {
  return new AwsError(
    'RequestTimeout',
    'Your socket connection to the server was not read from or written to within the timeout period. Idle connections will be closed.',
    400,
  )
}

function invalidRequest(message: string): AwsError {
  return new AwsError('InvalidRequest', message, 400)
}

function missingContentLength(): AwsError {
  return new AwsError('MissingContentLength', 'You must provide the Content-Length HTTP header.', 411)
}

function declaredLength(value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value)) throw new AwsError('InvalidArgument', 'Invalid content length', 400)
  return Number(value)
}

/** The checksum a client announces: in a header (value known now) or as a trailer (value known at the end). */
function announcedChecksum(headers: RequestHeaders, signing: PayloadSigning) {
  const named = Object.keys(headers).filter((name) => CHECKSUM_HEADER_PATTERN.test(name))
  const trailer = headers['x-amz-trailer']?.trim().toLowerCase()
  if (trailer !== undefined) {
    if (signing.kind !== 'aws-chunked' || !signing.hasTrailer) {
      throw invalidRequest('The x-amz-trailer header requires a STREAMING-…-TRAILER x-amz-content-sha256 and an aws-chunked body.')
    }
    if (!CHECKSUM_HEADER_PATTERN.test(trailer)) throw invalidRequest(`The value specified in the x-amz-trailer header is not supported`)
    named.push(trailer)
  }
  if (named.length > 1) throw invalidRequest('Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.')
  const name = named[0]
  const sdkAlgorithm = headers['x-amz-sdk-checksum-algorithm']
  if (name === undefined) {
    if (sdkAlgorithm !== undefined) {
      throw invalidRequest('x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.')
    }
    return undefined
  }
  const algorithm = toChecksumAlgorithm(name.slice('x-amz-checksum-'.length))
  if (!algorithm) throw new AwsError('NotImplemented', `Local AWS does not verify ${name}`, 501)
  if (sdkAlgorithm !== undefined && sdkAlgorithm.toUpperCase() !== algorithm) {
    throw invalidRequest(`Value for x-amz-sdk-checksum-algorithm header is invalid.`)
  }
  const value = name === trailer ? undefined : headers[name]
  if (value !== undefined && !isChecksumValue(algorithm, value)) throw invalidRequest(`Value for ${name} header is invalid.`)
  return { algorithm, header: name, value, isTrailer: name === trailer }
}

/**
 * A request body as it is read: decoded from `aws-chunked` when the client chunked it, counted, and hashed (MD5 for the
 * ETag; SHA-256, `Content-MD5` and `x-amz-checksum-*` when the client vouched for the body with them). Header problems
 * are refused when the payload is opened, before a byte is read; mismatches once it has been read, by `finish`.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
 */
export class RequestPayload {
  private readonly trailers = new Map<string, string>()
  private readonly digests: BodyDigests
  private readonly payloadHash?: Hash
  /** The digests asked for as soon as the whole body was read. */
  private digested: Promise<Buffer[]> | undefined
  private readonly checksum?: IncrementalChecksum
  private readonly announced: ReturnType<typeof announcedChecksum>
  private readonly checksumAlgorithm?: ChecksumAlgorithm
  private readonly contentMd5?: Buffer
  private readonly expectedSize?: number
  private size = 0
  private isRead = false

  constructor(
    private readonly source: AsyncIterable<Buffer>,
    private readonly signing: PayloadSigning,
    headers: RequestHeaders,
    private readonly options: PayloadOptions,
  ) {
    const isChunked = signing.kind === 'aws-chunked'
    this.expectedSize = declaredLength(isChunked ? headers['x-amz-decoded-content-length'] : headers['content-length'])
    if (this.expectedSize === undefined && (isChunked || headers['transfer-encoding'] !== undefined)) throw missingContentLength()
    if (this.expectedSize !== undefined && this.expectedSize > options.maxBytes) throw this.tooLarge(this.expectedSize)

    const contentMd5 = headers['content-md5']
    if (contentMd5 !== undefined) {
      this.contentMd5 = Buffer.from(contentMd5, 'base64')
      if (this.contentMd5.length !== 16) throw new AwsError('InvalidDigest', 'The Content-MD5 you specified was invalid.', 400)
    }
    this.announced = announcedChecksum(headers, signing)
    if (options.checksumAlgorithm && this.announced && this.announced.algorithm !== options.checksumAlgorithm) {
      throw invalidRequest(
        `Checksum Type mismatch occurred, expected checksum Type: ${options.checksumAlgorithm.toLowerCase()}, actual checksum Type: ${this.announced.algorithm.toLowerCase()}`,
      )
    }
    this.checksumAlgorithm = this.announced?.algorithm ?? options.checksumAlgorithm
    if (this.checksumAlgorithm) this.checksum = createChecksum(this.checksumAlgorithm)
    // MD5 on the worker thread, SHA-256 here: they run side by side, and SHA-256 costs less than half as much
    // (docs/architecture.md#local-aws-s3-speed).
    this.digests = new BodyDigests(['md5'])
    if (signing.kind === 'sha256') this.payloadHash = createHash('sha256')
  }

  private tooLarge(size: number): AwsError {
    return new AwsError('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', 400, {
      ProposedSize: String(size),
      MaxSizeAllowed: String(this.options.maxBytes),
    })
  }

  /**
   * The client went away mid-body: an AWS error, so that it is not reported as a fault of local AWS. The source's own
   * AWS errors (a stalled or cut-short body) pass as they are.
   */
  private async *raw(): AsyncGenerator<Buffer> {
    try {
      for await (const chunk of this.source) yield chunk
    } catch (error) {
      throw error instanceof AwsError ? error : incompleteBody()
    }
  }

  /** The decoded bytes; read once. */
  async *chunks(): AsyncGenerator<Buffer> {
    if (this.isRead) throw new Error('A request payload can only be read once')
    this.isRead = true
    const decoded =
      this.signing.kind === 'aws-chunked'
        ? decodeAwsChunked(this.raw(), { signatures: this.signing.signatures, trailers: this.trailers })
        : this.raw()
    let isComplete = false
    try {
      for await (const chunk of decoded) {
        this.size += chunk.length
        if (this.size > this.options.maxBytes) throw this.tooLarge(this.size)
        const backlog = this.digests.update(chunk)
        if (backlog) await backlog
        this.checksum?.update(chunk)
        this.payloadHash?.update(chunk)
        yield chunk
      }
      isComplete = true
      // The last bytes go to the worker now, while the caller still writes them (docs/architecture.md#local-aws-s3-speed).
      this.digested = this.digests.digest()
      this.digested.catch(() => undefined)
    } finally {
      if (!isComplete) this.digests.cancel()
    }
  }

  /** Reads a small body (an XML document) whole, and verifies it. */
  async text(): Promise<string> {
    const chunks: Buffer[] = []
    for await (const chunk of this.chunks()) chunks.push(chunk)
    await this.finish()
    return Buffer.concat(chunks).toString('utf8')
  }

  /** Once the body is read: checks its length, SHA-256, Content-MD5 and checksum, and returns its digests. */
  async finish(): Promise<PayloadDigests> {
    if (this.expectedSize !== undefined && this.size !== this.expectedSize) {
      this.digests.cancel()
      throw new AwsError('IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header', 400)
    }
    const [md5] = (await (this.digested ?? this.digests.digest())) as [Buffer]
    if (this.signing.kind === 'sha256') {
      const computed = this.payloadHash!.digest('hex')
      if (computed !== this.signing.sha256) {
        throw new AwsError('XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.", 400, {
          ClientComputedContentSHA256: this.signing.sha256,
          S3ComputedContentSHA256: computed,
        })
      }
    }
    if (this.contentMd5 && !this.contentMd5.equals(md5)) {
      throw new AwsError('BadDigest', 'The Content-MD5 you specified did not match what we received.', 400, {
        ExpectedDigest: this.contentMd5.toString('hex'),
        CalculatedDigest: md5.toString('hex'),
      })
    }
    if (!this.checksumAlgorithm || !this.checksum) return { size: this.size, md5 }
    const value = this.checksum.digest().toString('base64')
    const announced = this.announced
    if (announced) {
      const expected = announced.isTrailer ? this.trailers.get(announced.header) : announced.value
      if (expected === undefined) throw invalidRequest(`The ${announced.header} trailer announced in x-amz-trailer was not sent.`)
      if (announced.isTrailer && !isChecksumValue(announced.algorithm, expected)) {
        throw invalidRequest(`Value for ${checksumHeaderName(announced.algorithm)} trailing header is invalid.`)
      }
      if (expected !== value) {
        throw new AwsError('BadDigest', `The ${announced.algorithm} you specified did not match the calculated checksum.`, 400)
      }
    }
    return { size: this.size, md5, checksum: { algorithm: this.checksumAlgorithm, value } }
  }
}
