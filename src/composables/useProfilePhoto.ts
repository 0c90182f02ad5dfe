import { computed, onScopeDispose, ref, shallowRef, watch } from 'vue'
import type { RiderError } from '@/lib/aws/errors'
import { processPhoto } from '@/lib/image'
import { describePhotoError, PhotoUnavailableError } from '@/lib/photo/photoErrors'
import { keepPhotoUrl } from '@/lib/photo/photoUrlKeeper'
import { forgetSavedPhotoUrl } from '@/lib/photo/savedPhotoUrl'
import { prefetchUploadCode, prepareUpload, removePhoto, replacePhoto } from '@/lib/photo/photoWrites'
import { useProfileStore } from '@/stores/profile'
import { useSessionStore } from '@/stores/session'
import { useActions } from './useAction'

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

/** Showing the photo fails quietly: the avatar falls back to the initials, and nobody awaits a watcher to rethrow to. */
function describeShowingError(caught: unknown): RiderError {
  const riderError = describePhotoError(caught)
  if (!riderError) console.error('Could not show the profile photo', caught)
  return riderError ?? describePhotoError(new PhotoUnavailableError())!
}

/**
 * The signed-in rider's profile photo as reactive state for the photo section: shown from the ID token's `picture`
 * claim (no GetUser first), replaced by {@link upload}, removed by {@link remove}. The work is the photo service's.
 */
export function useProfilePhoto() {
  const session = useSessionStore()
  const profile = useProfileStore()

  /** A presigned URL for the photo, or null when there is none (or it is still being signed). */
  const photoUrl = ref<string | null>(null)
  /** The processed photo while it uploads. */
  const preview = shallowRef<PhotoPreview | null>(null)
  /** Upload progress in percent. */
  const progress = ref(0)
  /** The upload can still be cancelled: the `picture` attribute is not being written yet. */
  const isCancellable = ref(false)
  /**
   * The first photo is settled: displayed, failed, or there is none. Until then the profile's loads that can wait
   * (GetUser) do: docs/performance.md#photo-first-on-the-profile
   */
  const isFirstPhotoSettled = ref(false)
  /**
   * The key shown: the claim at first, then the rider's current `picture` (GetUser may bring one changed on another
   * device), or what this page just wrote while the claims catch up.
   */
  const pictureKey = ref<string | undefined>(profile.attributes?.picture)
  let uploadController: AbortController | undefined
  /** An upload or removal cut short by the end of the session did not happen: sign-in says so. */
  const unsavedOnSessionEnd = { onSessionEnded: () => session.endSession({ hasUnsavedChange: true }) }

  const photoUrlKeeper = keepPhotoUrl({
    onUrl(url) {
      photoUrl.value = url
      // The header's avatar gets a URL once it has loaded here (onImageLoad): it then comes from the browser's memory
      // cache, where a URL still being tried would be asked for a second time, or fail twice.
      if (!url) profile.photoUrl = null
      // With a URL, the `<img>`'s load or error event settles it.
      if (!url) isFirstPhotoSettled.value = true
    },
    onFailure: (failure) => void actions.fail('show', failure),
  })

  function showPreview(photo: PhotoPreview | null): void {
    if (preview.value) URL.revokeObjectURL(preview.value.url)
    preview.value = photo
  }

  const actions = useActions(
    {
      show: { run: (key: string | undefined) => photoUrlKeeper.show(key, session.claims?.sub), describe: describeShowingError },
      upload: {
        run: async (file: Blob) => {
          const controller = new AbortController()
          uploadController = controller
          isCancellable.value = true
          progress.value = 0
          // The upload code loads while the photo is downscaled, if the idle prefetch has not brought it yet.
          prepareUpload()
          try {
            const photo = await processPhoto(file)
            controller.signal.throwIfAborted()
            showPreview({ url: URL.createObjectURL(photo.blob), bytes: photo.bytes, width: photo.width, height: photo.height })
            const key = await replacePhoto(photo, {
              ...(pictureKey.value ? { previousKey: pictureKey.value } : {}),
              refreshSession: () => session.refresh(),
              signal: controller.signal,
              onProgress: (percent) => (progress.value = percent),
              onCommitting: () => {
                progress.value = 100
                isCancellable.value = false
              },
            })
            pictureKey.value = key
          } catch (caught) {
            if (isAbort(caught)) return false
            throw caught
          } finally {
            showPreview(null)
            if (uploadController === controller) uploadController = undefined
            isCancellable.value = false
          }
        },
        ...unsavedOnSessionEnd,
      },
      remove: {
        run: async (key: string) => {
          await removePhoto(key, () => session.refresh())
          // The URL saved for the next load shows the deleted object: the next page load would ask S3 for it.
          if (session.claims) forgetSavedPhotoUrl(session.claims.sub)
          pictureKey.value = undefined
        },
        ...unsavedOnSessionEnd,
      },
    },
    { describe: describePhotoError, onSessionEnded: () => session.endSession() },
  )

  /** An upload or removal is under way. */
  const isPending = computed(() => actions.state.upload.isPending || actions.state.remove.isPending)

  watch(
    () => profile.attributes?.picture,
    (current) => {
      pictureKey.value = current
    },
  )
  watch(pictureKey, (key) => void actions.run.show(key), { immediate: true })
  // Once the photo is on screen, the upload code comes while the browser is idle: picking a file then waits for nothing.
  // (It only ever turns true.)
  watch(isFirstPhotoSettled, () => prefetchUploadCode(), { once: true })

  /**
   * Replaces the rider's photo (check → downscale → PUT → `picture` → delete the replaced object). A failure or a cancel
   * before the `picture` attribute is written leaves the previous photo and attribute as they were.
   * @returns whether the new photo is now the rider's
   */
  async function upload(file: Blob): Promise<boolean> {
    return isPending.value ? false : actions.run.upload(file)
  }

  /** Stops an upload before its `picture` attribute is written; the previous photo stays. */
  function cancel(): void {
    if (isCancellable.value) uploadController?.abort()
  }

  /**
   * Removes the photo: clears the `picture` attribute, then deletes the object.
   * @returns whether the rider now has no photo
   */
  async function remove(): Promise<boolean> {
    const key = pictureKey.value
    return isPending.value || !key ? false : actions.run.remove(key)
  }

  /** For the `<img>`'s load event. */
  function onImageLoad(): void {
    profile.photoUrl = photoUrl.value
    photoUrlKeeper.imageLoaded()
    isFirstPhotoSettled.value = true
  }

  /** For the `<img>`'s error event: the service signs a new URL once, then gives up. */
  function onImageError(): void {
    isFirstPhotoSettled.value = true
    photoUrlKeeper.imageFailed()
  }

  onScopeDispose(() => {
    photoUrlKeeper.stop()
    uploadController?.abort()
    showPreview(null)
  })

  return {
    photoUrl,
    /** Signing the photo URL: the avatar shows its loading state. */
    isLoading: computed(() => actions.state.show.isPending && Boolean(pictureKey.value)),
    preview,
    progress,
    isPending,
    isCancellable,
    error: actions.error,
    isFirstPhotoSettled,
    /**
     * There is a photo to change or remove: `picture` names one and it could be shown. One that would not load (removed
     * on another device, say) offers only a new upload, which replaces it.
     */
    hasPhoto: computed(() => Boolean(pictureKey.value) && actions.state.show.error === null),
    upload,
    cancel,
    remove,
    onImageLoad,
    onImageError,
  }
}
