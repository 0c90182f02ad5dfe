import { readdir, readFile, stat } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'
import { DeleteObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3'
import { lookup } from 'mrmime'

/** Vite's hashed output: a new build gives a changed file a new name, so a browser may keep it for good. */
const HASHED_ASSETS = 'assets/'
const IMMUTABLE = 'public, max-age=31536000, immutable'
/** Everything else (index.html above all) is checked with the site on every load, so a release shows at once. */
const REVALIDATE = 'no-cache'

export interface SiteFile {
  key: string
  path: string
  contentType: string
  cacheControl: string
  bytes: number
}

function contentTypeOf(key: string): string {
  const type = lookup(key) ?? 'application/octet-stream'
  return /^text\/|\+xml$|\/javascript$|\/json$/.test(type) ? `${type}; charset=utf-8` : type
}

async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true })
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name))
}

/**
 * The built site's files in upload order: hashed assets first, then the other files, `index.html` last, so that
 * whichever index.html a visitor gets only names files that are already there.
 */
async function siteFiles(distDir: string): Promise<SiteFile[]> {
  const files = await Promise.all(
    (await filesUnder(distDir)).map(async (path) => {
      const key = relative(distDir, path).split(sep).join('/')
      return {
        key,
        path,
        contentType: contentTypeOf(key),
        cacheControl: key.startsWith(HASHED_ASSETS) ? IMMUTABLE : REVALIDATE,
        bytes: (await stat(path)).size,
      }
    }),
  )
  if (!files.some((file) => file.key === 'index.html')) throw new Error(`${distDir} has no index.html: build the app first`)
  const rank = (file: SiteFile) => (file.key === 'index.html' ? 2 : file.key.startsWith(HASHED_ASSETS) ? 0 : 1)
  return files.sort((left, right) => rank(left) - rank(right) || left.key.localeCompare(right.key))
}

async function keysIn(s3: S3Client, bucket: string): Promise<string[]> {
  const keys: string[] = []
  let ContinuationToken: string | undefined
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken }))
    for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key)
    ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined
  } while (ContinuationToken)
  return keys
}

function size(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KiB`
}

export interface UploadResult {
  uploaded: string[]
  deleted: string[]
}

/**
 * Uploads a built site to its bucket, then deletes the files of the previous release that the new one does not have.
 * A failed upload stops before index.html and before any deletion, so the previous release keeps serving.
 */
export async function uploadSite({ s3, bucket, distDir, log }: { s3: S3Client; bucket: string; distDir: string; log: (line: string) => void }): Promise<UploadResult> {
  const previous = await keysIn(s3, bucket)
  const files = await siteFiles(distDir)
  for (const [index, file] of files.entries()) {
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: file.key,
        Body: await readFile(file.path),
        ContentType: file.contentType,
        CacheControl: file.cacheControl,
      }),
    )
    log(`  [${index + 1}/${files.length}] ${file.key} (${size(file.bytes)}, ${file.contentType}, ${file.cacheControl})`)
  }
  const current = new Set(files.map((file) => file.key))
  const stale = previous.filter((key) => !current.has(key))
  for (const key of stale) {
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }))
    log(`  removed ${key} (previous release)`)
  }
  return { uploaded: files.map((file) => file.key), deleted: stale }
}
