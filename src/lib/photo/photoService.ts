/*
 * The rider's profile photo, free of Vue: where it is kept (the key policy), replacing it with a rollback at each
 * step, removing it, deleting every photo with the account, and keeping a signed URL alive. It calls src/lib/aws
 * directly; the session refresh that follows a change of `picture` is the caller's, passed in.
 * docs/architecture.md#uploading-a-photo
 */
import { describeAwsError, SESSION_ENDED_ERROR, type RiderError } from '@/lib/aws/errors'
import type { PhotoUrl } from '@/lib/aws/photoUrl'
import type { UploadProgress } from '@/lib/aws/s3'
import { PhotoRejectedError, type ProcessedPhoto } from '@/lib/image'
import { whenIdle } from '@/lib/scheduling'
import { forgetSavedPhotoUrl, readSavedPhotoUrl, RESIGN_MARGIN_MS, savePhotoUrl } from './savedPhotoUrl'

/** Loads a chunk once; one that failed to load (offline) is tried again next time. */
function loadOnce<Module>(load: () => Promise<Module>): () => Promise<Module> {
  let loading: Promise<Module> | undefined
  return () =>
    (loading ??= load().catch((error: unknown) => {
      loading = undefined
      throw error
    }))
}

/** The rider's identity-pool credentials (a small chunk: the provider loads its Cognito client when first asked). */
const loadCredentials = loadOnce(() => import('@/lib/aws/credentials'))

/**
 * What signing the photo's URL needs: the credentials and the presigner, without the S3 client.
 * docs/aws-behaviour.md#presigning-without-the-s3-client
 */
const loadSigning = loadOnce(async () => {
  const [photoUrl, credentials] = await Promise.all([import('@/lib/aws/photoUrl'), loadCredentials()])
  return { ...photoUrl, ...credentials }
})

/** The S3 client and its XHR handler (the app's largest code), for uploads, removals and the account's deletion. */
const loadS3 = loadOnce(() => import('@/lib/aws/s3'))

const loadUserPool = () => import('@/lib/aws/userPool')

/** Photo-specific wording for the names `describeAwsError` knows, and for S3's, which only the photo meets. */
const PHOTO_MESSAGES: Readonly<Record<string, string>> = {
  ExpiredToken: SESSION_ENDED_ERROR.message,
  AccessDenied: "Your photo couldn't be saved: access was refused. Please sign out, sign in again and retry.",
  RequestTimeTooSkewed: "Your device's clock is wrong. Set the correct time, then try again.",
  InternalError: 'Something went wrong on our side. Please try again in a moment.',
  ServiceUnavailable: 'Something went wrong on our side. Please try again in a moment.',
  SlowDown: "We're getting a lot of requests right now. Please wait a moment and try again.",
}

/**
 * What the photo's calls mean by these names: the identity pool refusing the rider's ID token (NotAuthorizedException)
 * and S3 refusing credentials that expired (ExpiredToken). Either way only signing in again helps.
 */
const SESSION_ENDED_NAMES: ReadonlySet<string> = new Set(['NotAuthorizedException', 'ExpiredToken'])

/** The photo could not be shown even after signing its URL again. */
export class PhotoUnavailableError extends Error {
  readonly code = 'PhotoUnavailable'
  constructor() {
    super("Your photo couldn't be loaded. You can upload it again.")
    this.name = 'PhotoUnavailableError'
  }
}

/**
 * The rider-facing `{ code, message }` for a photo failure: an image the check refused, a photo that will not load, or
 * an AWS error in the photo's words; `undefined` for anything unexpected.
 */
export function describePhotoError(caught: unknown, overrides: Readonly<Record<string, string>> = {}): RiderError | undefined {
  if (caught instanceof PhotoRejectedError || caught instanceof PhotoUnavailableError) {
    return { code: caught.code, message: caught.message }
  }
  const riderError = describeAwsError(caught, { ...PHOTO_MESSAGES, ...overrides })
  return riderError && SESSION_ENDED_NAMES.has(riderError.code) ? { ...SESSION_ENDED_ERROR } : riderError
}

/** The account's deletion, which starts with the photos, in its own words where the photo's would mislead. */
const DELETION_MESSAGES: Readonly<Record<string, string>> = {
  AccessDenied: "Your account couldn't be deleted: access to your photo was refused. Please sign out, sign in again and retry.",
}

/** The rider-facing error for a failed account deletion: S3's errors as the photo names them, Cognito's as any. */
export function describeDeletionError(caught: unknown): RiderError | undefined {
  return describePhotoError(caught, DELETION_MESSAGES)
}

/**
 * Where a rider's profile photos live: `protected/`, readable by signed-in riders, writable by the owner only, keyed
 * by the identity id the role's policy names. docs/aws-behaviour.md#per-rider-keys-use-the-identity-id
 */
export function photoPrefix(identityId: string): string {
  return `protected/${identityId}/profile/`
}

/**
 * Whether `key` is one of the rider's own objects: under `protected/{identityId}/`, no empty or dot segments. Only
 * those are ever fetched or deleted, whatever `picture` says.
 */
export function isOwnPhotoKey(key: string, identityId: string): boolean {
  const prefix = `protected/${identityId}/`
  return key.startsWith(prefix) && key.slice(prefix.length).split('/').every((segment) => !['', '.', '..'].includes(segment))
}

/** A v4 UUID for the object name; `crypto.randomUUID` is missing outside secure contexts (a phone on the LAN in dev). */
function randomUuid(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  bytes[6] = (bytes[6]! & 0x0f) | 0x40
  bytes[8] = (bytes[8]! & 0x3f) | 0x80
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** A new key for a photo: never the replaced one's, so a cached old photo never shows for the new. */
export function newPhotoKey(identityId: string, extension: string): string {
  return `${photoPrefix(identityId)}${randomUuid()}.${extension}`
}

/** The signed-in rider's identity id (`region:uuid`), which keys their S3 prefix. Loads the signing code. */
async function riderIdentityId(): Promise<string> {
  return (await (await loadSigning()).getRiderCredentials()).identityId()
}

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

/** A signing under way, which a later caller for the same rider and key joins. */
let pendingSigning: { sub: string; key: string; signed: Promise<PhotoUrl | null> } | undefined

/**
 * A fresh signature for rider `sub`'s photo `key`, saved for the next load; null when `key` is not one of the rider's
 * own objects, or `sub` is no longer the rider these credentials belong to.
 */
async function signPhotoUrl(sub: string, key: string): Promise<PhotoUrl | null> {
  const { getRiderCredentials, getPhotoUrl } = await loadSigning()
  const credentials = await getRiderCredentials()
  if (credentials.sub !== sub || !isOwnPhotoKey(key, await credentials.identityId())) return null
  const signed = await getPhotoUrl(key)
  savePhotoUrl(sub, { key, ...signed })
  return signed
}

/**
 * A working URL for rider `sub`'s photo `key`: the one saved for this rider and key while it has more than the
 * re-sign margin left (a reload then makes no AWS call and loads no signing code), the signing under way for it, or
 * a new signature.
 * @param isFresh skip the saved and pending URLs: the image failed to load from them
 * @returns null when `key` is not the rider's own object
 */
async function photoUrlFor(sub: string, key: string, isFresh = false): Promise<PhotoUrl | null> {
  if (isFresh) forgetSavedPhotoUrl(sub)
  else {
    const saved = readSavedPhotoUrl(sub, key, Date.now() + RESIGN_MARGIN_MS)
    if (saved) return saved
    if (pendingSigning?.sub === sub && pendingSigning.key === key) return pendingSigning.signed
  }
  const signing = { sub, key, signed: signPhotoUrl(sub, key) }
  pendingSigning = signing
  const clear = () => {
    if (pendingSigning === signing) pendingSigning = undefined
  }
  signing.signed.then(clear, clear)
  return signing.signed
}

/**
 * Starts getting the URL of rider `sub`'s photo `key` (credentials, then the signature) as soon as the restored
 * session names it, before the page renders; the photo section's {@link PhotoUrlKeeper} joins it. Failures are its to report.
 */
export function startShowingPhoto(sub: string, key: string): void {
  photoUrlFor(sub, key).catch(() => undefined)
}

/**
 * Fetches what an upload needs when the browser is idle: the S3 client and its XHR handler, and the rider's
 * credentials (a saved photo URL needed none). Call it once the photo shows, so that an upload does not wait for a
 * download. {@link replacePhoto} loads them itself if they are not there yet.
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

export interface PhotoUrlListener {
  /** The URL to show, or null: no photo, not the rider's own, or given up. */
  onUrl(url: string | null): void
  /** Signing failed, or the image would not load even from a new URL ({@link PhotoUnavailableError}). */
  onFailure(failure: unknown): void
}

/** A signed URL for the photo, kept alive: signed again before it expires, and once when the image fails to load. */
export interface PhotoUrlKeeper {
  /**
   * Shows rider `sub`'s photo `key`: signs a URL when it is the rider's own; resolves once this key's first URL (or
   * failure) is out.
   */
  show(key: string | undefined, sub: string | undefined): Promise<void>
  /** For the `<img>`'s load event: the URL works, so a later failure may be retried again. */
  imageLoaded(): void
  /** For the `<img>`'s error event: signs a new URL once (the old one may have expired with its credentials). */
  imageFailed(): void
  /** Stops signing; nothing is reported after this. */
  stop(): void
}

/**
 * Keeps a presigned URL for the rider's photo. A presigned URL dies with the credentials that signed it, whatever its
 * `expiresIn` says, so it is signed again before `expiresAt` (which `getPhotoUrl` caps at the credentials' expiry).
 * docs/aws-behaviour.md#presigned-urls-expire-with-their-credentials
 */
export function keepPhotoUrl(listener: PhotoUrlListener): PhotoUrlKeeper {
  let key: string | undefined
  let sub: string | undefined
  let resignTimer: ReturnType<typeof setTimeout> | undefined
  let hasRetriedFailedImage = false
  /** The URL the listener holds: a retry must hand over another one, or the `<img>` would never ask again. */
  let shownUrl: string | null = null
  let hasWaitedForNewUrl = false
  /** Only the latest signing may report. */
  let signing = 0

  function giveUp(): void {
    stop()
    shownUrl = null
    listener.onUrl(null)
    listener.onFailure(new PhotoUnavailableError())
  }

  /**
   * `failedUrl`: the URL whose image failed. Then neither the saved URL nor a signing under way will do (either may be
   * the one that failed), and a URL signed within the same second would be the same one.
   */
  async function sign(failedUrl?: string): Promise<void> {
    const attempt = ++signing
    clearTimeout(resignTimer)
    try {
      const signed = key && sub ? await photoUrlFor(sub, key, failedUrl !== undefined) : null
      if (attempt !== signing) return
      if (!signed) {
        shownUrl = null
        return listener.onUrl(null)
      }
      if (failedUrl !== undefined && signed.url === failedUrl) {
        // X-Amz-Date counts whole seconds: sign once more in the next one, then give up.
        if (hasWaitedForNewUrl) return giveUp()
        hasWaitedForNewUrl = true
        resignTimer = setTimeout(() => void sign(failedUrl), 1_000 - (Date.now() % 1_000) + 10)
        return
      }
      shownUrl = signed.url
      listener.onUrl(signed.url)
      resignTimer = setTimeout(() => void sign(), Math.max(0, signed.expiresAt - Date.now() - RESIGN_MARGIN_MS))
    } catch (failure) {
      if (attempt !== signing) return
      shownUrl = null
      listener.onUrl(null)
      listener.onFailure(failure)
    }
  }

  function stop(): void {
    signing += 1
    clearTimeout(resignTimer)
  }

  return {
    show(next, rider) {
      key = next
      sub = rider
      hasRetriedFailedImage = false
      hasWaitedForNewUrl = false
      return sign()
    },
    imageLoaded() {
      hasRetriedFailedImage = false
    },
    imageFailed() {
      if (!hasRetriedFailedImage && shownUrl) {
        hasRetriedFailedImage = true
        void sign(shownUrl)
        return
      }
      giveUp()
    },
    stop,
  }
}
