import { describe, expect, it } from 'vitest'
import { countryFromLocale } from './phoneCountry'
import { checkPhoneNumber, countryOptions, formatPhoneNumber } from './phoneNumber'

describe('phone numbers', () => {
  it.each([
    ['(415) 555-0123', 'US', '+14155550123'],
    ['020 7946 0958', 'GB', '+442079460958'],
    ['+1 (415) 555-0123', 'FR', '+14155550123'],
    ['0044 20 7946 0958', 'US', '+442079460958'],
    [' +33.1.23.45.67.89 ', 'US', '+33123456789'],
  ])('reads %s with %s chosen as %s', (typed, country, e164) => {
    expect(checkPhoneNumber(typed, country)).toEqual({ isValid: true, e164 })
  })

  it.each([
    ['', 'US', 'Enter your mobile phone number.'],
    ['4155', 'US', 'That number is too short for United States (+1).'],
    ['41555501234567', 'US', 'That number is too long for United States (+1).'],
    ['+999 1234567', 'US', 'No country has that code: check the digits after +.'],
    ['+1 415 CALL', 'US', 'Use digits only, with spaces, dashes or brackets if you like.'],
    ['123 456 7890', 'US', "That isn't a number in United States (+1). Check the digits, or the country."],
  ])('refuses %s with %s chosen: %s', (typed, country, problem) => {
    expect(checkPhoneNumber(typed, country)).toEqual({ isValid: false, problem })
  })

  it('shows numbers for people', () => {
    expect(formatPhoneNumber('+442079460958')).toBe('+44 20 7946 0958')
    expect(formatPhoneNumber('+14155550123')).toBe('+1 415 555 0123')
    expect(formatPhoneNumber('not a number')).toBe('not a number')
  })

  it("defaults the country to the browser's region and lists every country by name", () => {
    expect(countryFromLocale('en-GB')).toBe('GB')
    expect(countryFromLocale('de')).toBe('DE')
    expect(countryFromLocale('not a locale')).toBe('US')
    const options = countryOptions()
    expect(options.find((option) => option.code === 'GB')?.label).toBe('United Kingdom (+44)')
    expect(options.length).toBeGreaterThan(200)
  })
})
