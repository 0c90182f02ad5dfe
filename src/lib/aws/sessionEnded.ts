import type { RiderError } from './errors'

/** Codes after which nothing works until the rider signs in again (tokens revoked or expired, none stored). */
const SESSION_ENDED_CODES: ReadonlySet<string> = new Set(['SessionExpired', 'NotSignedIn'])

/**
 * Whether this error means the rider's session is over, whichever call met it. Apart from the error table in
 * `errors.ts`, so that every action can ask without the landing page loading that table.
 */
export function hasSessionEnded(error: RiderError): boolean {
  return SESSION_ENDED_CODES.has(error.code)
}
