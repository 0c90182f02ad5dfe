import { computed, onScopeDispose, ref, shallowRef, watch } from 'vue'
import { describeAwsError, type RiderError } from '@/lib/aws/errors'
import { onDeletingUser } from '@/lib/aws/userPool'
import { PhotoRejectedError, processPhoto } from '@/lib/image'
import { useProfileStore } from '@/stores/profile'
import { useSessionStore } from '@/stores/session'

/** The S3 client, presigner and identity-pool provider (the app's largest code) load with the photo, not the page. */
async function importPhotoStorage() {
  const [s3, credentials] = await Promise.all([import('@/lib/aws/s3'), import('@/lib/aws/credentials')])
  return { ...s3, ...credentials }
}
let photoStorage: ReturnType<typeof importPhotoStorage> | undefined

function loadPhotoStorage(): ReturnType<typeof importPhotoStorage> {
  photoStorage ??= importPhotoStorage().catch((error: unknown) => {
    // A chunk that failed to load (offline) is tried again next time.
    photoStorage = undefined
    throw error
  })
  return photoStorage
}

/** Sign the photo URL again this long before it expires, so the `<img>` never holds a dead one. */
const RESIGN_MARGIN_MS = 60_000

/** Photo-specific wording for the names `describeAwsError` knows, and for S3's, which only the photo meets. */
const PHOTO_MESSAGES: Readonly<Record<string, string>> = {
  // From the identity pool, when it refuses the ID token: not a password problem here.
  NotAuthorizedException: 'Your session has ended. Please sign in again.',
  AccessDenied: "Your photo couldn't be saved: access was refused. Please sign out, sign in again and retry.",
  ExpiredToken: 'Your session has ended. Please sign in again.',
  RequestTimeTooSkewed: "Your device's clock is wrong. Set the correct time, then try again.",
  InternalError: 'Something went wrong on our side. Please try again in a moment.',
  ServiceUnavailable: 'Something went wrong on our side. Please try again in a moment.',
  SlowDown: "We're getting a lot of requests right now. Please wait a moment and try again.",
}

const PHOTO_UNAVAILABLE: RiderError = { code: 'PhotoUnavailable', message: "Your photo couldn't be loaded. You can upload it again." }

/** The processed photo, shown while it uploads. */
export interface PhotoPreview {
  url: string
  bytes: number
  width: number
  height: number
}

function isAbort(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === 'AbortError'
}

/** Only the rider's own objects are ever fetched or deleted: `protected/{identityId}/…`, no empty or dot segments. */
function isOwnKey(key: string, identityId: string): boolean {
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

/**
 * The signed-in rider's profile photo: shown from the ID token's `picture` claim (no GetUser first), replaced by
 * {@link upload} (check → downscale → PUT → `picture` → delete the replaced object), removed by {@link remove}.
 * A `picture` that is not under the rider's own `protected/{identityId}/` prefix is ignored, never fetched.
 */
export function useProfilePhoto() {
  const session = useSessionStore()
  const profile = useProfileStore()

  /** A presigned URL for the photo, or null when there is none (or it is still being signed). */
  const photoUrl = ref<string | null>(null)
  /** Signing the photo URL: the avatar shows its loading state. */
  const isLoading = ref(false)
  /** The processed photo while it uploads. */
  const preview = shallowRef<PhotoPreview | null>(null)
  /** Upload progress in percent. */
  const progress = ref(0)
  /** An upload or removal is under way. */
  const isPending = ref(false)
  /** The upload can still be cancelled: the `picture` attribute is not being written yet. */
  const isCancellable = ref(false)
  const error = ref<RiderError | null>(null)
  /**
   * The first photo is settled: displayed, failed, or there is none. Until then the profile page holds back requests
   * that can wait (GetUser), so the photo's go first.
   */
  const isFirstPhotoSettled = ref(false)

  /** The key shown: the claim, or what this page just wrote while the claims catch up. */
  const pictureKey = ref<string | undefined>(session.claims?.picture)
  let uploadController: AbortController | undefined
  let resignTimer: ReturnType<typeof setTimeout> | undefined
  let hasRetriedFailedImage = false
  /** Only the latest signing may set {@link photoUrl}. */
  let signing = 0

  watch(
    () => session.claims?.picture,
    (claim) => {
      pictureKey.value = claim
    },
  )

  /** The key, when it is one of the rider's own; resolves the identity id (which loads the photo code). */
  async function ownKey(key: string | undefined): Promise<string | undefined> {
    if (!key) return undefined
    const storage = await loadPhotoStorage()
    const identityId = await (await storage.getRiderCredentials()).identityId()
    return isOwnKey(key, identityId) ? key : undefined
  }

  async function showPhoto(key: string | undefined): Promise<void> {
    const attempt = ++signing
    clearTimeout(resignTimer)
    isLoading.value = Boolean(key)
    try {
      const own = await ownKey(key)
      if (attempt !== signing) return
      if (!own) {
        photoUrl.value = null
        return
      }
      const { url, expiresAt } = await (await loadPhotoStorage()).getPhotoUrl(own)
      if (attempt !== signing) return
      photoUrl.value = url
      resignTimer = setTimeout(() => void showPhoto(key), Math.max(0, expiresAt - Date.now() - RESIGN_MARGIN_MS))
    } catch (caught) {
      if (attempt !== signing) return
      photoUrl.value = null
      const riderError = describeAwsError(caught, PHOTO_MESSAGES)
      // Not rethrown: nobody awaits a watcher. The avatar falls back to the initials.
      if (!riderError) console.error('Could not show the profile photo', caught)
      error.value = riderError ?? PHOTO_UNAVAILABLE
    } finally {
      if (attempt === signing) {
        isLoading.value = false
        // With a URL, the `<img>`'s load or error event settles it.
        if (!photoUrl.value) isFirstPhotoSettled.value = true
      }
    }
  }

  watch(
    pictureKey,
    (key) => {
      hasRetriedFailedImage = false
      void showPhoto(key)
    },
    { immediate: true },
  )

  /** For the `<img>`'s load event: the URL works, so a later failure may be retried again. */
  function onImageLoad(): void {
    hasRetriedFailedImage = false
    isFirstPhotoSettled.value = true
  }

  /** For the `<img>`'s error event: sign a new URL once (the old one may have expired with its credentials). */
  function onImageError(): void {
    isFirstPhotoSettled.value = true
    if (hasRetriedFailedImage) {
      photoUrl.value = null
      error.value = PHOTO_UNAVAILABLE
      return
    }
    hasRetriedFailedImage = true
    void showPhoto(pictureKey.value)
  }

  function showPreview(photo: PhotoPreview | null): void {
    if (preview.value) URL.revokeObjectURL(preview.value.url)
    preview.value = photo
  }

  async function deleteQuietly(key: string, why: string): Promise<void> {
    try {
      await (await loadPhotoStorage()).deleteObject(key)
    } catch (caught) {
      // The rider's photo is right; this object is only left over.
      console.warn(`Could not delete ${why} ${key}`, caught)
    }
  }

  /**
   * `picture` as the user pool holds it now (GetUser), after a profile-store action reported a failure: the attribute
   * may have been written before the session refresh failed. `unknown` when even GetUser fails.
   */
  async function storedPicture(): Promise<{ picture: string | undefined } | 'unknown'> {
    return (await profile.load()) ? { picture: profile.fetchedAttributes?.picture } : 'unknown'
  }

  /**
   * Replaces the rider's photo. A failure or a cancel before the `picture` attribute is written leaves the previous
   * photo and attribute as they were, and deletes the new object if it was written.
   * @returns whether the new photo is now the rider's
   */
  async function upload(file: Blob): Promise<boolean> {
    if (isPending.value) return false
    const controller = new AbortController()
    uploadController = controller
    isPending.value = true
    isCancellable.value = true
    progress.value = 0
    error.value = null
    const previousKey = pictureKey.value
    let writtenKey: string | undefined
    let isSaved = false
    try {
      const photo = await processPhoto(file)
      controller.signal.throwIfAborted()
      showPreview({ url: URL.createObjectURL(photo.blob), bytes: photo.bytes, width: photo.width, height: photo.height })
      const storage = await loadPhotoStorage()
      const identityId = await (await storage.getRiderCredentials()).identityId()
      const key = `protected/${identityId}/profile/${randomUuid()}.${photo.extension}`
      writtenKey = key
      await storage.putObject(key, photo.blob, photo.type, {
        signal: controller.signal,
        onProgress: ({ loaded, total }) => {
          progress.value = total > 0 ? Math.min(100, Math.round((loaded / total) * 100)) : 0
        },
      })
      controller.signal.throwIfAborted()
      progress.value = 100
      isCancellable.value = false
      // The store refreshes the session too, so the ID token's `picture` claim names the new key.
      if (!(await profile.updateAttributes({ picture: key }))) {
        const failure = profile.error
        const stored = await storedPicture()
        if (stored === 'unknown' || stored.picture !== key) {
          error.value = failure ?? PHOTO_UNAVAILABLE
          // Written or not, nobody can tell: keep the object rather than risk a `picture` that points at nothing.
          if (stored === 'unknown') writtenKey = undefined
          return false
        }
      }
      isSaved = true
      pictureKey.value = key
      if (previousKey && (await ownKey(previousKey))) await deleteQuietly(previousKey, 'the replaced photo')
      return true
    } catch (caught) {
      if (isAbort(caught)) return false
      if (caught instanceof PhotoRejectedError) {
        error.value = { code: caught.code, message: caught.message }
        return false
      }
      const riderError = describeAwsError(caught, PHOTO_MESSAGES)
      if (!riderError) throw caught
      error.value = riderError
      return false
    } finally {
      if (!isSaved && writtenKey) await deleteQuietly(writtenKey, 'the unsaved upload')
      showPreview(null)
      if (uploadController === controller) uploadController = undefined
      isPending.value = false
      isCancellable.value = false
    }
  }

  /** Stops an upload before its `picture` attribute is written; the previous photo stays. */
  function cancel(): void {
    if (isCancellable.value) uploadController?.abort()
  }

  /**
   * Removes the photo: clears the `picture` attribute, then deletes the object (a failure there is only logged).
   * @returns whether the rider now has no photo
   */
  async function remove(): Promise<boolean> {
    const key = pictureKey.value
    if (isPending.value || !key) return false
    isPending.value = true
    error.value = null
    try {
      if (!(await profile.deleteAttributes(['picture']))) {
        const failure = profile.error
        const stored = await storedPicture()
        if (stored === 'unknown' || stored.picture !== undefined) {
          error.value = failure ?? PHOTO_UNAVAILABLE
          return false
        }
      }
      pictureKey.value = undefined
      if (await ownKey(key)) await deleteQuietly(key, 'the removed photo')
      return true
    } finally {
      isPending.value = false
    }
  }

  // The account's deletion takes the photo with it, while the rider can still get credentials to delete it.
  const stopDeletingPhotoWithAccount = onDeletingUser(async () => {
    const key = await ownKey(pictureKey.value)
    if (key) await (await loadPhotoStorage()).deleteObject(key)
  })

  onScopeDispose(() => {
    signing += 1
    clearTimeout(resignTimer)
    uploadController?.abort()
    showPreview(null)
    stopDeletingPhotoWithAccount()
  })

  return {
    photoUrl,
    isLoading,
    preview,
    progress,
    isPending,
    isCancellable,
    error,
    isFirstPhotoSettled,
    hasPhoto: computed(() => Boolean(pictureKey.value)),
    upload,
    cancel,
    remove,
    onImageLoad,
    onImageError,
  }
}
