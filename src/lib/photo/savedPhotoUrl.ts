/*
 * The rider's last signed photo URL, saved per rider and key so that a reload shows the photo with no AWS call
 * (docs/performance.md#a-reload-without-aws-calls); why that is safe:
 * docs/aws-behaviour.md#presigned-urls-expire-with-their-credentials
 */
import { forget, recall, remember } from '@/lib/riderMemory'

/** A URL this close to expiry is signed again, never shown: the `<img>` must not hold a dead one. */
export const RESIGN_MARGIN_MS = 60_000

export interface SavedPhotoUrl {
  /** The S3 key the URL shows. */
  key: string
  url: string
  /** Epoch milliseconds after which the URL no longer works. */
  expiresAt: number
}

function isSavedPhotoUrl(value: unknown): value is SavedPhotoUrl {
  const candidate = value as Partial<SavedPhotoUrl> | null
  return typeof candidate?.key === 'string' && typeof candidate.url === 'string' && typeof candidate.expiresAt === 'number'
}

/**
 * The URL saved for this rider's `key`, when it still works at `usableUntil` (epoch ms); otherwise undefined.
 * @param sub the signed-in rider's user-pool `sub`
 * @param key the photo's key; undefined for whichever photo of theirs was saved (a hint before `picture` is known)
 */
export function readSavedPhotoUrl(sub: string, key: string | undefined, usableUntil: number): SavedPhotoUrl | undefined {
  const saved = recall('photo-url', sub)
  return isSavedPhotoUrl(saved) && (key === undefined || saved.key === key) && saved.expiresAt > usableUntil ? saved : undefined
}

/** Saves the URL just signed for this rider's photo, replacing the one saved before. */
export function savePhotoUrl(sub: string, saved: SavedPhotoUrl): void {
  remember('photo-url', sub, saved)
}

/** Forgets the URL saved for this rider: the image would not load from it. */
export function forgetSavedPhotoUrl(sub: string): void {
  forget('photo-url', sub)
}
