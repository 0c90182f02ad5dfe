import { describe, expect, it } from 'vitest'
import { isVerificationCode } from './verificationCode'

describe('isVerificationCode', () => {
  it('accepts six digits, with spaces a paste may bring around them', () => {
    expect(isVerificationCode('123456')).toBe(true)
    expect(isVerificationCode(' 012345\n')).toBe(true)
  })

  it('refuses fewer or more digits, letters and inner spaces', () => {
    for (const typed of ['', '12345', '1234567', '12a456', '123 456']) expect(isVerificationCode(typed), typed).toBe(false)
  })
})
