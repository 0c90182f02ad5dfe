/*
 * Head starts for the profile's photo, taken while the stored session is being restored (before the page can render):
 * the image itself when this rider's signed URL was saved, otherwise the code that signs one. Both are hints: the
 * photo section checks the restored rider and their `picture` before it shows anything.
 */
import { storedRiderSub } from '@/lib/aws/storedSession'
import { readSavedPhotoUrl, RESIGN_MARGIN_MS } from './savedPhotoUrl'

/** Keeps the warming image alive until it has loaded (an unreferenced Image may be collected mid-download). */
let warming: HTMLImageElement | undefined

/**
 * Starts downloading what the rider's photo needs: with a saved URL for the stored rider's photo, the image (the
 * `<img>` then finds it in the browser's cache); without one, the presigner and the credential provider.
 */
export function preloadProfilePhoto(): void {
  const sub = storedRiderSub()
  const saved = sub ? readSavedPhotoUrl(sub, undefined, Date.now() + RESIGN_MARGIN_MS) : undefined
  if (saved) {
    warming = new Image()
    warming.decoding = 'async'
    warming.onload = warming.onerror = () => (warming = undefined)
    warming.src = saved.url
    return
  }
  Promise.all([import('@/lib/aws/photoUrl'), import('@/lib/aws/credentials')]).catch(() => undefined)
}
