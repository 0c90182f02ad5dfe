/*
 * Head starts for the profile's photo while the stored session is restored, all of them hints the photo section checks
 * (docs/performance.md#head-starts-while-the-session-is-restored).
 */
import { getRiderCredentials } from '@/lib/aws/credentials'
import { readStoredSession, storedRiderSub } from '@/lib/aws/tokens'
import { readSavedPhotoUrl, RESIGN_MARGIN_MS } from './savedPhotoUrl'

/** Keeps the warming image alive until it has loaded (an unreferenced Image may be collected mid-download). */
let warming: HTMLImageElement | undefined

/**
 * Starts downloading what the rider's photo needs: the image of a saved URL, else the signing code and, with valid
 * stored tokens, the credentials (GetCredentialsForIdentity) the photo section then shares.
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
  // A rider without a photo needs no credentials until they upload one.
  const fetchingCredentials = readStoredSession()?.claims.picture ? getRiderCredentials().then((rider) => rider.provider()) : undefined
  // A failure here is the photo section's to report, when it asks for the same credentials.
  Promise.all([import('@/lib/aws/photoUrl'), fetchingCredentials]).catch(() => undefined)
}
