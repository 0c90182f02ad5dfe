import { createHash } from 'node:crypto'
import { AwsError } from '../errors.ts'

/** Checks the signatures a signed `aws-chunked` body carries, each chained from the one before it. */
export interface ChunkSignatureVerifier {
  /** Throws `SignatureDoesNotMatch` unless `signature` signs a chunk whose data hashes (SHA-256, hex) to `dataSha256`. */
  verifyChunk(signature: string, dataSha256: string): void
  /** The same for the trailing headers, given as `name:value\n` lines. */
  verifyTrailer(signature: string, trailer: string): void
}

export interface AwsChunkedOptions {
  /** Present for `STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]`: every chunk must carry a valid signature. */
  signatures?: ChunkSignatureVerifier
  /** Filled with the trailing headers (e.g. `x-amz-checksum-crc32`) once the body is read. */
  trailers: Map<string, string>
}

/** S3 refuses chunks under 8 KiB except the last one carrying data. */
const MIN_CHUNK_BYTES = 8192
const MAX_LINE_BYTES = 4096
const TRAILER_SIGNATURE = 'x-amz-trailer-signature'

function malformed(detail: string): AwsError {
  return new AwsError('InvalidRequest', `Malformed aws-chunked body: ${detail}`, 400)
}

export function incompleteBody(): AwsError {
  return new AwsError('IncompleteBody', 'The request body terminated unexpectedly', 400)
}

/** Reads lines and byte runs from a stream of buffers without copying the data it passes on. */
class ByteReader {
  private buffered: Buffer = Buffer.alloc(0)
  private readonly iterator: AsyncIterator<Buffer>

  constructor(source: AsyncIterable<Buffer>) {
    this.iterator = source[Symbol.asyncIterator]()
  }

  private async fill(): Promise<boolean> {
    for (;;) {
      const next = await this.iterator.next()
      if (next.done) return false
      if (next.value.length === 0) continue
      this.buffered = this.buffered.length === 0 ? next.value : Buffer.concat([this.buffered, next.value])
      return true
    }
  }

  /** The next line without its CRLF. */
  async readLine(): Promise<string> {
    for (;;) {
      const end = this.buffered.indexOf('\r\n')
      if (end !== -1) {
        const line = this.buffered.subarray(0, end).toString('latin1')
        this.buffered = this.buffered.subarray(end + 2)
        return line
      }
      if (this.buffered.length > MAX_LINE_BYTES) throw malformed('a chunk header or trailer line is too long')
      if (!(await this.fill())) throw incompleteBody()
    }
  }

  async *read(length: number): AsyncGenerator<Buffer> {
    let remaining = length
    while (remaining > 0) {
      if (this.buffered.length === 0 && !(await this.fill())) throw incompleteBody()
      const piece = this.buffered.subarray(0, remaining)
      this.buffered = this.buffered.subarray(piece.length)
      remaining -= piece.length
      yield piece
    }
  }

  async isAtEnd(): Promise<boolean> {
    return this.buffered.length === 0 && !(await this.fill())
  }
}

function parseChunkHeader(line: string): { size: number; signature?: string } {
  const match = /^([0-9a-fA-F]{1,16})(?:;chunk-signature=([0-9a-f]{64}))?$/.exec(line)
  if (!match) throw malformed(`bad chunk header "${line.slice(0, 100)}"`)
  return { size: Number.parseInt(match[1]!, 16), signature: match[2] }
}

/**
 * Decodes an `aws-chunked` body (`{hex size}[;chunk-signature=…]\r\n{data}\r\n` … `0…\r\n{trailers}\r\n`), yielding the
 * object's bytes and verifying chunk signatures as it goes. The data of a chunk is passed on before its signature is
 * checked, so the consumer must not publish anything before the whole body has been read.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
 */
export async function* decodeAwsChunked(source: AsyncIterable<Buffer>, options: AwsChunkedOptions): AsyncGenerator<Buffer> {
  const { signatures, trailers } = options
  const reader = new ByteReader(source)
  let previousSize: number | undefined
  for (let chunk = 1; ; chunk++) {
    const { size, signature } = parseChunkHeader(await reader.readLine())
    if (signatures && !signature) throw malformed(`chunk ${chunk} has no chunk-signature`)
    if (size > 0 && previousSize !== undefined && previousSize < MIN_CHUNK_BYTES) {
      throw new AwsError('InvalidChunkSizeError', `Only the last chunk is allowed to have a size less than ${MIN_CHUNK_BYTES} bytes`, 403, {
        Chunk: String(chunk - 1),
        BadChunkSize: String(previousSize),
      })
    }
    const hash = signatures ? createHash('sha256') : undefined
    for await (const piece of reader.read(size)) {
      hash?.update(piece)
      yield piece
    }
    if (signatures && hash) signatures.verifyChunk(signature!, hash.digest('hex'))
    if (size === 0) break
    if ((await reader.readLine()) !== '') throw malformed(`chunk ${chunk} is longer than its header says`)
    previousSize = size
  }
  let trailerSignature: string | undefined
  let signedTrailer = ''
  for (let line = await reader.readLine(); line !== ''; line = await reader.readLine()) {
    const colon = line.indexOf(':')
    if (colon <= 0) throw malformed(`bad trailer "${line.slice(0, 100)}"`)
    const name = line.slice(0, colon).trim().toLowerCase()
    const value = line.slice(colon + 1).trim()
    if (name === TRAILER_SIGNATURE) {
      trailerSignature = value
    } else {
      trailers.set(name, value)
      signedTrailer += `${name}:${value}\n`
    }
  }
  if (signatures && trailers.size > 0) {
    if (!trailerSignature) throw malformed(`the trailer has no ${TRAILER_SIGNATURE}`)
    signatures.verifyTrailer(trailerSignature, signedTrailer)
  }
  if (!(await reader.isAtEnd())) throw malformed('data after the final chunk')
}
