import { describe, expect, it } from 'vitest'
import { isE164, normalisePhoneNumber, phoneNumberHint } from './phoneNumber'

describe('phone numbers', () => {
  it.each([
    ['+1 (415) 555-0123', '+14155550123'],
    ['0044 20 7946 0958', '+442079460958'],
    [' +33.1.23.45.67.89 ', '+33123456789'],
  ])('normalises %s to %s', (typed, e164) => {
    expect(normalisePhoneNumber(typed)).toBe(e164)
    expect(isE164(normalisePhoneNumber(typed))).toBe(true)
  })

  it.each(['4155550123', '+0123456789', '+1415555012345678', '+1 415 CALL'])('refuses %s', (typed) => {
    expect(isE164(normalisePhoneNumber(typed))).toBe(false)
  })

  it("hints the rider's own country code", () => {
    expect(phoneNumberHint('en-GB')).toBe('Start with + and your country code, e.g. +44 (United Kingdom).')
    expect(phoneNumberHint('de')).toBe('Start with + and your country code, e.g. +49 (Germany).')
    expect(phoneNumberHint('not a locale')).toBe('Start with + and your country code, e.g. +1 (United States).')
  })
})
