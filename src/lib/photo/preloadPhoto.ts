/*
 * Head starts for the profile's photo, taken while the stored session is being restored (before the page can render):
 * the image itself when this rider's signed URL was saved, otherwise the code that signs one and the credentials it
 * signs with. All are hints: the photo section checks the restored rider and their `picture` before it shows anything.
 * The route loads this module on the way to /profile, the credential code with it (a static import, so that both
 * download at once).
 */
import { getRiderCredentials } from '@/lib/aws/credentials'
import { readStoredSession, storedRiderSub } from '@/lib/aws/tokens'
import { readSavedPhotoUrl, RESIGN_MARGIN_MS } from './savedPhotoUrl'

/** Keeps the warming image alive until it has loaded (an unreferenced Image may be collected mid-download). */
let warming: HTMLImageElement | undefined

/**
 * Starts downloading what the rider's photo needs: with a saved URL for the stored rider's photo, the image (the
 * `<img>` then finds it in the browser's cache); without one, the presigner and the credential provider, and with
 * valid stored tokens the credentials themselves (GetCredentialsForIdentity), which the photo section then shares
 * rather than waiting for its own code to load. Expired tokens are left to the session's restore (one refresh).
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
