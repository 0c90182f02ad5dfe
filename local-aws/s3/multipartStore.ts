import { randomBytes } from 'node:crypto'
import { mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { Clock } from '../clock.ts'
import { AwsError } from '../errors.ts'
import { readJsonFile, writeFileAtomic } from '../store.ts'
import type { ChecksumAlgorithm } from './checksums.ts'
import type { ObjectDescription, ObjectStore, ReceivedFile } from './objectStore.ts'

export interface MultipartUpload {
  uploadId: string
  bucket: string
  key: string
  /** Epoch milliseconds. */
  initiated: number
  description: ObjectDescription
  /** Set by `x-amz-checksum-algorithm` at creation: every part then gets this checksum. */
  checksumAlgorithm?: ChecksumAlgorithm
}

export interface UploadedPart {
  partNumber: number
  size: number
  /** Quoted MD5 hex. */
  etag: string
  /** Base64, of the upload's checksum algorithm. */
  checksum?: string
  dataFile: string
}

// Upload ids are ours: anything else cannot be a folder name we made.
const UPLOAD_ID = /^[A-Za-z0-9_-]{32}$/
const UPLOAD_FILE = 'upload.json'

function partSidecar(partNumber: number): string {
  return `part-${String(partNumber).padStart(5, '0')}.json`
}

/**
 * Multipart uploads in progress, one folder each under the bucket's `uploads/`: the upload's description, and per part a
 * data file plus a sidecar naming it (replaced atomically when a part is uploaded again).
 */
export class MultipartStore {
  constructor(
    private readonly objects: ObjectStore,
    private readonly clock: Clock,
  ) {}

  private folder(bucket: string, uploadId: string): string {
    return join(this.objects.folder(bucket), 'uploads', uploadId)
  }

  create(bucket: string, key: string, description: ObjectDescription, checksumAlgorithm?: ChecksumAlgorithm): MultipartUpload {
    const upload: MultipartUpload = {
      uploadId: randomBytes(24).toString('base64url'),
      bucket,
      key,
      initiated: this.clock.now(),
      description,
      checksumAlgorithm,
    }
    const folder = this.folder(bucket, upload.uploadId)
    mkdirSync(folder, { recursive: true })
    writeFileAtomic(join(folder, UPLOAD_FILE), JSON.stringify(upload))
    return upload
  }

  /** The upload `uploadId` of this very key, or `NoSuchUpload`. */
  find(bucket: string, key: string, uploadId: string): MultipartUpload {
    const upload = UPLOAD_ID.test(uploadId) ? readJsonFile<MultipartUpload>(join(this.folder(bucket, uploadId), UPLOAD_FILE)) : undefined
    if (!upload || upload.key !== key) {
      throw new AwsError(
        'NoSuchUpload',
        'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
        404,
        { UploadId: uploadId },
      )
    }
    return upload
  }

  commitPart(upload: MultipartUpload, partNumber: number, received: ReceivedFile): UploadedPart {
    const folder = this.folder(upload.bucket, upload.uploadId)
    const sidecar = join(folder, partSidecar(partNumber))
    const replaced = readJsonFile<UploadedPart>(sidecar)
    const part: UploadedPart = {
      partNumber,
      size: received.digests.size,
      etag: `"${received.digests.md5.toString('hex')}"`,
      checksum: received.digests.checksum?.value,
      dataFile: `part-${partNumber}-${randomBytes(8).toString('hex')}`,
    }
    renameSync(received.path, join(folder, part.dataFile))
    writeFileAtomic(sidecar, JSON.stringify(part))
    if (replaced) rmSync(join(folder, replaced.dataFile), { force: true })
    return part
  }

  /** The parts uploaded so far, by part number. */
  parts(upload: MultipartUpload): Map<number, UploadedPart> {
    const folder = this.folder(upload.bucket, upload.uploadId)
    const parts = new Map<number, UploadedPart>()
    for (const name of readdirSync(folder)) {
      if (!/^part-\d{5}\.json$/.test(name)) continue
      const part = readJsonFile<UploadedPart>(join(folder, name))
      if (part) parts.set(part.partNumber, part)
    }
    return parts
  }

  partPath(upload: MultipartUpload, part: UploadedPart): string {
    return join(this.folder(upload.bucket, upload.uploadId), part.dataFile)
  }

  /** Forgets the upload and its parts (aborted or completed). */
  async remove(upload: MultipartUpload): Promise<void> {
    await rm(this.folder(upload.bucket, upload.uploadId), { recursive: true, force: true })
  }
}
