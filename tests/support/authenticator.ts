/*
 * An authenticator app for tests: codes from a TOTP secret (or an `otpauth://` URI) computed by the otpauth library,
 * independently of local AWS's own TOTP code. No vitest here, like the rest of tests/support.
 */
import { Secret, TOTP, URI } from 'otpauth'

const STEP_MS = 30_000

/** The code an authenticator app shows at a moment (default: now) for a base32 secret. */
export function authenticatorCode(secret: string, atMs = Date.now()): string {
  return new TOTP({ secret: Secret.fromBase32(secret.replace(/\s/g, '')), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: atMs })
}

/**
 * The code of the time step after the one `atMs` falls in: the server accepts one step of drift, and a code of a
 * later step than the last one used, so a test can sign in right after turning two-step sign-in on without waiting.
 */
export function nextAuthenticatorCode(secret: string, atMs = Date.now()): string {
  return authenticatorCode(secret, atMs + STEP_MS)
}

/**
 * Waits for the time step after the one `atMs` falls in: each code is good once, so a second code after
 * `nextAuthenticatorCode(secret, atMs)` is the next one from then.
 */
export async function nextTimeStep(atMs: number): Promise<void> {
  const stepStart = (Math.floor(atMs / STEP_MS) + 1) * STEP_MS
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, stepStart - Date.now())))
}

/** What an authenticator app reads from the scanned `otpauth://` URI. */
export function scanOtpauthUri(uri: string): { issuer: string; label: string; secret: string; algorithm: string; digits: number; period: number } {
  const parsed = URI.parse(uri)
  if (!(parsed instanceof TOTP)) throw new Error(`Not a TOTP URI: ${uri}`)
  return { issuer: parsed.issuer, label: parsed.label, secret: parsed.secret.base32, algorithm: parsed.algorithm, digits: parsed.digits, period: parsed.period }
}
