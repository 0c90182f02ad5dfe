import { Secret, TOTP } from 'otpauth'
import { describe, expect, it } from 'vitest'
import { createTotpSecret, decodeBase32, encodeBase32, hotp, matchTotpStep } from './totp.ts'

// RFC 6238 Appendix B: the SHA-1 test vectors, 8 digits, secret = the ASCII bytes of "12345678901234567890".
// https://datatracker.ietf.org/doc/html/rfc6238#appendix-B
const RFC_SECRET = encodeBase32(Buffer.from('12345678901234567890', 'ascii'))
const RFC_VECTORS: [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
]

describe('RFC 6238 test vectors (SHA-1)', () => {
  it.each(RFC_VECTORS)('at %i s (step T = ⌊t / 30⌋) the code is %s', (seconds, code) => {
    expect(hotp(decodeBase32(RFC_SECRET), Math.floor(seconds / 30), 8)).toBe(code)
  })

  it('agrees with RFC 4226 Appendix D for HOTP counters 0–9', () => {
    const secret = Buffer.from('12345678901234567890', 'ascii')
    const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489']
    expect(expected.map((_, counter) => hotp(secret, counter))).toEqual(expected)
  })
})

describe('base32 secrets', () => {
  it('round-trips bytes and accepts spaces and lower case as authenticators do', () => {
    const secret = createTotpSecret()
    expect(secret).toMatch(/^[A-Z2-7]{32}$/)
    expect(encodeBase32(decodeBase32(secret))).toBe(secret)
    expect(decodeBase32(secret.toLowerCase().replace(/(.{4})/g, '$1 '))).toEqual(decodeBase32(secret))
  })

  it('refuses characters outside the alphabet', () => {
    expect(() => decodeBase32('ABC1')).toThrow('Not a base32 secret')
  })
})

describe('matchTotpStep', () => {
  const secret = createTotpSecret()
  const now = Date.UTC(2026, 5, 1, 12, 0, 10)
  /** An authenticator app: the otpauth library. */
  const app = new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 })

  it('matches the code an authenticator app shows now, and one step either side', () => {
    const step = Math.floor(now / 30_000)
    expect(matchTotpStep(secret, app.generate({ timestamp: now }), now)).toBe(step)
    expect(matchTotpStep(secret, app.generate({ timestamp: now - 30_000 }), now)).toBe(step - 1)
    expect(matchTotpStep(secret, app.generate({ timestamp: now + 30_000 }), now)).toBe(step + 1)
  })

  it('refuses codes two steps away, of another length, or not digits', () => {
    expect(matchTotpStep(secret, app.generate({ timestamp: now - 60_000 }), now)).toBeUndefined()
    expect(matchTotpStep(secret, app.generate({ timestamp: now + 60_000 }), now)).toBeUndefined()
    expect(matchTotpStep(secret, app.generate({ timestamp: now }).slice(1), now)).toBeUndefined()
    expect(matchTotpStep(secret, 'abcdef', now)).toBeUndefined()
  })
})
