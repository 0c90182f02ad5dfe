import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

// Time-based one-time passwords as authenticator apps compute them and Cognito checks them: RFC 6238 over HOTP
// (RFC 4226) with HMAC-SHA-1, six digits and 30-second steps, the secret shared as RFC 4648 base32.
// https://datatracker.ietf.org/doc/html/rfc6238
// https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-mfa-totp.html

const TOTP_STEP_SECONDS = 30
const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

/** RFC 4648 base32 without padding, as Cognito's `SecretCode` and `otpauth://` URIs carry a secret. */
export function encodeBase32(bytes: Uint8Array): string {
  let bits = 0
  let value = 0
  let text = ''
  for (const byte of bytes) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5) {
      text += BASE32_ALPHABET[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) text += BASE32_ALPHABET[(value << (5 - bits)) & 31]
  return text
}

/** The bytes of a base32 secret; spaces, padding and lower case are accepted, as authenticator apps accept them. */
export function decodeBase32(text: string): Buffer {
  const clean = text.replace(/[\s=]/g, '').toUpperCase()
  let bits = 0
  let value = 0
  const bytes: number[] = []
  for (const char of clean) {
    const index = BASE32_ALPHABET.indexOf(char)
    if (index < 0) throw new Error('Not a base32 secret')
    value = (value << 5) | index
    bits += 5
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 255)
      bits -= 8
    }
  }
  return Buffer.from(bytes)
}

/**
 * A new shared secret: 20 random bytes (160 bits, the HMAC-SHA-1 key length RFC 4226 recommends), base32 — 32
 * characters, the length of Cognito's own `SecretCode`.
 */
export function createTotpSecret(): string {
  return encodeBase32(randomBytes(20))
}

/** The time step a moment falls in. */
function totpStep(epochMs: number): number {
  return Math.floor(epochMs / 1000 / TOTP_STEP_SECONDS)
}

/** HOTP (RFC 4226 §5.3): HMAC-SHA-1 of the 8-byte counter, dynamically truncated to `digits` decimal digits. */
export function hotp(secret: Uint8Array, counter: number, digits = 6): string {
  const message = Buffer.alloc(8)
  message.writeBigUInt64BE(BigInt(counter))
  const mac = createHmac('sha1', secret).update(message).digest()
  const offset = mac[mac.length - 1]! & 0x0f
  const binary = mac.readUInt32BE(offset) & 0x7fffffff
  return String(binary % 10 ** digits).padStart(digits, '0')
}

/**
 * The time step a typed code belongs to, if it is the code of the current step or of one step either side (RFC 6238
 * §5.2 allows that much clock drift); undefined for a code that matches none.
 */
export function matchTotpStep(secretBase32: string, code: string, epochMs: number): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined
  const secret = decodeBase32(secretBase32)
  const current = totpStep(epochMs)
  for (const step of [current - 1, current, current + 1]) {
    if (timingSafeEqual(Buffer.from(hotp(secret, step)), Buffer.from(code))) return step
  }
  return undefined
}
