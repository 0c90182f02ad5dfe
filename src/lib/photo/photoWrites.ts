/*
 * Writing the rider's profile photo: replacing it with a rollback at each step, removing it, deleting every photo with
 * the account, and fetching the upload code ahead of need. Free of Vue; the session refresh that follows a change of
 * `picture` is the caller's, passed in. docs/architecture.md#uploading-a-photo
 */
import type { UploadProgress } from '@/lib/aws/s3'
import { loadUserPool } from '@/lib/aws/userPoolLoader'
import type { ProcessedPhoto } from '@/lib/image'
import { whenIdle } from '@/lib/scheduling'
import { isOwnPhotoKey, loadS3, loadSigning, newPhotoKey, photoPrefix, riderIdentityId } from './photoKeys'

/** `key` when it is one of the rider's own objects; otherwise undefined. */
async function ownPhotoKey(key: string | undefined): Promise<string | undefined> {
  if (!key) return undefined
  return isOwnPhotoKey(key, await riderIdentityId()) ? key : undefined
}

async function deleteQuietly(key: string, why: string): Promise<void> {
  try {
    await (await loadS3()).deleteObject(key)
  } catch (caught) {
    // The rider's photo is right; this object is only left over.
    console.warn(`Could not delete ${why} ${key}`, caught)
  }
}

const UNKNOWN = Symbol('unknown')

/**
 * `picture` as the user pool holds it now (GetUser), after writing it failed: the pool may have written it before the
 * answer was lost. {@link UNKNOWN} when even GetUser fails.
 */
async function storedPicture(): Promise<string | undefined | typeof UNKNOWN> {
  try {
    return (await (await import('@/lib/aws/getUser')).getUser({ isAfterWrite: true })).attributes.picture
  } catch {
    return UNKNOWN
  }
}

/** Refreshes the rider's session, so the ID token's claims carry the new `picture`; the session store owns it. */
export type RefreshSession = () => Promise<unknown>

/** A processed photo (or, where there is no Blob-aware HTTP handler, its bytes) with its type and file extension. */
export type PhotoToUpload = Pick<ProcessedPhoto, 'type' | 'extension'> & { blob: Blob | Uint8Array }

export interface ReplacePhotoOptions {
  /** The key `picture` names now: its object is deleted once `picture` names the new one, if it is the rider's own. */
  previousKey?: string
  refreshSession: RefreshSession
  /** Aborts the upload until `picture` is being written; the previous photo then stays. */
  signal?: AbortSignal
  /** Upload progress in percent. */
  onProgress?: (percent: number) => void
  /** The object is written and `picture` is about to change: from here on, aborting changes nothing. */
  onCommitting?: () => void
}

function percentOf({ loaded, total }: UploadProgress): number {
  return total > 0 ? Math.min(100, Math.round((loaded / total) * 100)) : 0
}

/**
 * Replaces the rider's photo: puts the object under a new key, points `picture` at it, refreshes the session, then
 * deletes the replaced object. A failure or an abort before `picture` names the new key leaves the previous photo and
 * attribute as they were, and deletes the new object (unless nobody can tell whether `picture` was written).
 * docs/aws-behaviour.md#picture-is-written-once-after-upload
 * @returns the new key
 * @throws an `AbortError` when aborted; otherwise the failure, and the photo was not replaced
 */
export async function replacePhoto(
  photo: PhotoToUpload,
  { previousKey, refreshSession, signal, onProgress, onCommitting }: ReplacePhotoOptions,
): Promise<string> {
  const [s3, identityId] = await Promise.all([loadS3(), riderIdentityId()])
  const key = newPhotoKey(identityId, photo.extension)
  let isObjectUnclaimed = true
  try {
    await s3.putObject(key, photo.blob, photo.type, {
      ...(signal ? { signal } : {}),
      onProgress: (progress) => onProgress?.(percentOf(progress)),
    })
    signal?.throwIfAborted()
    onCommitting?.()
    try {
      await (await loadUserPool()).updateUserAttributes({ picture: key })
    } catch (failure) {
      const stored = await storedPicture()
      if (stored !== key) {
        // Written or not, nobody can tell: keep the object rather than risk a `picture` that points at nothing.
        if (stored === UNKNOWN) isObjectUnclaimed = false
        throw failure
      }
    }
    isObjectUnclaimed = false
  } finally {
    if (isObjectUnclaimed) await deleteQuietly(key, 'the unsaved upload')
  }
  await refreshSession()
  if (previousKey && isOwnPhotoKey(previousKey, identityId)) await deleteQuietly(previousKey, 'the replaced photo')
  return key
}

/**
 * Removes the rider's photo: clears `picture`, refreshes the session, then deletes the object (a failure there is only
 * logged). When clearing `picture` fails, the photo stays.
 */
export async function removePhoto(key: string, refreshSession: RefreshSession): Promise<void> {
  try {
    await (await loadUserPool()).deleteUserAttributes(['picture'])
  } catch (failure) {
    if ((await storedPicture()) !== undefined) throw failure
  }
  await refreshSession()
  if (await ownPhotoKey(key)) await deleteQuietly(key, 'the removed photo')
}

/**
 * Deletes every object under the rider's profile prefix, the replaced and half-saved ones too. Call it before the
 * account goes, while the rider can still get credentials; it rethrows a failure, so the account is not deleted with
 * photos left behind.
 */
export async function deleteRiderPhotos(): Promise<void> {
  const [s3, identityId] = await Promise.all([loadS3(), riderIdentityId()])
  const keys = await s3.listObjectKeys(photoPrefix(identityId))
  for (const key of keys) await s3.deleteObject(key)
}

/**
 * Fetches what an upload needs (the S3 client, the rider's credentials) when the browser is idle; call it once the
 * photo shows. docs/performance.md#the-upload-code-ahead-of-need
 */
export function prefetchUploadCode(): void {
  whenIdle(() => {
    loadS3().catch(() => undefined)
    riderIdentityId().catch(() => undefined)
  }, 200)
}

/**
 * Starts loading the upload code now, if the idle prefetch has not: call it when the rider picks a file, so it loads
 * while the photo is downscaled.
 */
export function prepareUpload(): void {
  loadS3().catch(() => undefined)
  loadSigning().catch(() => undefined)
}
