import { describe, expect, it } from 'vitest'
import { digitsOfCode, inGroupsOfFour, isAuthenticatorCode } from './authenticatorCode'

describe('authenticator codes as riders type or paste them', () => {
  it('keeps the digits of a pasted code with spaces or a dash', () => {
    expect(digitsOfCode(' 123 456\n')).toBe('123456')
    expect(digitsOfCode('123-456')).toBe('123456')
  })

  it('wants exactly six digits', () => {
    expect(isAuthenticatorCode('123 456')).toBe(true)
    expect(isAuthenticatorCode('12345')).toBe(false)
    expect(isAuthenticatorCode('1234567')).toBe(false)
    expect(isAuthenticatorCode('abcdef')).toBe(false)
  })
})

describe('inGroupsOfFour', () => {
  it('splits a secret for typing by hand', () => {
    expect(inGroupsOfFour('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')).toBe('ABCD EFGH IJKL MNOP QRST UVWX YZ23 4567')
    expect(inGroupsOfFour('ABCDEF')).toBe('ABCD EF')
  })
})
