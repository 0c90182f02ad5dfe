/*
 * How the photo's failures read for the rider, whichever side met them.
 */
import { describeAwsError, SESSION_ENDED_ERROR, type RiderError } from '@/lib/aws/errors'
import { PhotoRejectedError } from '@/lib/image'

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
