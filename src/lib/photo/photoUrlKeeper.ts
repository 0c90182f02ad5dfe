/*
 * A working presigned URL for the rider's profile photo: saved for the next reload, shared with the head start taken
 * before the page renders, signed again before it expires and once when the image fails to load.
 * docs/aws-behaviour.md#presigned-urls-expire-with-their-credentials
 */
import type { PhotoUrl } from '@/lib/aws/photoUrl'
import { isOwnPhotoKey, loadSigning } from './photoKeys'
import { PhotoUnavailableError } from './photoErrors'
import { forgetSavedPhotoUrl, readSavedPhotoUrl, RESIGN_MARGIN_MS, savePhotoUrl } from './savedPhotoUrl'

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
