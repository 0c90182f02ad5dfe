import { createHash, type Hash } from 'node:crypto'
import { crc32 } from 'node:zlib'

/**
 * The additional checksums S3 verifies (`x-amz-checksum-*`). CRC64NVME is left out on purpose: a request carrying it
 * is refused as not implemented rather than stored unverified.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
 */
const CHECKSUM_ALGORITHMS = ['CRC32', 'CRC32C', 'SHA1', 'SHA256'] as const
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number]

/** Every checksum header S3 knows, including those local AWS cannot verify. */
export const CHECKSUM_HEADER_PATTERN = /^x-amz-checksum-(crc32|crc32c|crc64nvme|sha1|sha256)$/

const DIGEST_BYTES: Record<ChecksumAlgorithm, number> = { CRC32: 4, CRC32C: 4, SHA1: 20, SHA256: 32 }

export interface IncrementalChecksum {
  update(data: Uint8Array): void
  /** The raw digest, big-endian for the CRCs as S3 encodes them before base64. */
  digest(): Buffer
}

export function checksumHeaderName(algorithm: ChecksumAlgorithm): string {
  return `x-amz-checksum-${algorithm.toLowerCase()}`
}

/** `CRC32` for `crc32` / `CRC32`; `undefined` for anything local AWS cannot compute. */
export function toChecksumAlgorithm(name: string): ChecksumAlgorithm | undefined {
  const upper = name.toUpperCase()
  return (CHECKSUM_ALGORITHMS as readonly string[]).includes(upper) ? (upper as ChecksumAlgorithm) : undefined
}

/** Whether `value` is the base64 encoding of a digest of this algorithm's length. */
export function isChecksumValue(algorithm: ChecksumAlgorithm, value: string): boolean {
  return /^[A-Za-z0-9+/]+={0,2}$/.test(value) && Buffer.from(value, 'base64').length === DIGEST_BYTES[algorithm]
}

function uint32(value: number): Buffer {
  const bytes = Buffer.alloc(4)
  bytes.writeUInt32BE(value >>> 0)
  return bytes
}

// Castagnoli polynomial, reflected; zlib only has the IEEE one.
const CRC32C_TABLE = Uint32Array.from({ length: 256 }, (_, index) => {
  let value = index
  for (let bit = 0; bit < 8; bit++) value = value & 1 ? 0x82f63b78 ^ (value >>> 1) : value >>> 1
  return value >>> 0
})

class Crc32c implements IncrementalChecksum {
  private value = 0xffffffff

  update(data: Uint8Array): void {
    let value = this.value
    for (const byte of data) value = (value >>> 8) ^ CRC32C_TABLE[(value ^ byte) & 0xff]!
    this.value = value
  }

  digest(): Buffer {
    return uint32(this.value ^ 0xffffffff)
  }
}

class Crc32 implements IncrementalChecksum {
  private value = 0

  update(data: Uint8Array): void {
    this.value = crc32(data, this.value)
  }

  digest(): Buffer {
    return uint32(this.value)
  }
}

class NodeHash implements IncrementalChecksum {
  private readonly hash: Hash

  constructor(algorithm: 'sha1' | 'sha256') {
    this.hash = createHash(algorithm)
  }

  update(data: Uint8Array): void {
    this.hash.update(data)
  }

  digest(): Buffer {
    return this.hash.digest()
  }
}

export function createChecksum(algorithm: ChecksumAlgorithm): IncrementalChecksum {
  switch (algorithm) {
    case 'CRC32':
      return new Crc32()
    case 'CRC32C':
      return new Crc32c()
    case 'SHA1':
      return new NodeHash('sha1')
    case 'SHA256':
      return new NodeHash('sha256')
  }
}

/**
 * The checksum of a multipart object: the checksum of the parts' raw checksums, then `-{part count}`.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html#large-object-checksums
 */
export function compositeChecksum(algorithm: ChecksumAlgorithm, partChecksums: string[]): string {
  const checksum = createChecksum(algorithm)
  for (const part of partChecksums) checksum.update(Buffer.from(part, 'base64'))
  return `${checksum.digest().toString('base64')}-${partChecksums.length}`
}
