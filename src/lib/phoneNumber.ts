/*
 * Phone numbers as riders type them and as Cognito stores them (E.164), with libphonenumber-js and its smallest
 * ("min") metadata: lengths and formats per country, enough to accept "(415) 555-0123" with United States chosen and
 * to show "+44 20 7946 0958" for "+442079460958". Only forms with a phone number load this module, with import().
 */
import {
  getCountries,
  getCountryCallingCode,
  ParseError,
  parsePhoneNumberWithError,
  validatePhoneNumberLength,
  type CountryCode,
} from 'libphonenumber-js/min'
import { countryName } from './phoneCountry'

/** A country of the field's list. */
export interface CountryOption {
  code: CountryCode
  /** e.g. "United Kingdom (+44)". */
  label: string
}

/** Every country the metadata knows, by name. */
export function countryOptions(): CountryOption[] {
  return getCountries()
    .map((code) => ({ code, name: countryName(code), callingCode: getCountryCallingCode(code) }))
    .sort((a, b) => a.name.localeCompare(b.name, 'en'))
    .map(({ code, name, callingCode }) => ({ code, label: `${name} (+${callingCode})` }))
}

function asCountry(code: string): CountryCode | undefined {
  return (getCountries() as string[]).includes(code) ? (code as CountryCode) : undefined
}

/** A checked phone number: E.164 for Cognito, or what is wrong with it, beyond what the field's hint says. */
export type PhoneNumberCheck = { isValid: true; e164: string } | { isValid: false; problem: string }

/**
 * Reads what the rider typed: a national number in `country` ("(415) 555-0123", "020 7946 0958") or an international
 * one ("+44 20 7946 0958", "0044 20 7946 0958"), whichever country is chosen.
 */
export function checkPhoneNumber(typed: string, country: string): PhoneNumberCheck {
  const text = typed.trim().replace(/^00/, '+')
  if (!text) return { isValid: false, problem: 'Enter your mobile phone number.' }
  if (/[^\d\s\-.()+]/.test(text) || text.lastIndexOf('+') > 0) {
    return { isValid: false, problem: 'Use digits only, with spaces, dashes or brackets if you like.' }
  }
  const defaultCountry = asCountry(country)
  const where = (code: string | undefined) => (code ? `${countryName(code)} (+${getCountryCallingCode(code as CountryCode)})` : 'that country code')
  try {
    const parsed = parsePhoneNumberWithError(text, defaultCountry ? { defaultCountry } : {})
    const place = where(parsed.country ?? (text.startsWith('+') ? undefined : defaultCountry))
    const length = validatePhoneNumberLength(text, defaultCountry ? { defaultCountry } : {})
    if (length === 'TOO_SHORT') return { isValid: false, problem: `That number is too short for ${place}.` }
    if (length === 'TOO_LONG') return { isValid: false, problem: `That number is too long for ${place}.` }
    if (!parsed.isValid()) return { isValid: false, problem: `That isn't a number in ${place}. Check the digits, or the country.` }
    return { isValid: true, e164: parsed.number }
  } catch (error) {
    if (!(error instanceof ParseError)) throw error
    if (error.message === 'INVALID_COUNTRY') {
      return { isValid: false, problem: text.startsWith('+') ? 'No country has that code: check the digits after +.' : 'Choose your country.' }
    }
    if (error.message === 'TOO_SHORT') return { isValid: false, problem: 'That number is too short.' }
    if (error.message === 'TOO_LONG') return { isValid: false, problem: 'That number is too long.' }
    return { isValid: false, problem: "That doesn't look like a phone number." }
  }
}

/** For people: "+442079460958" → "+44 20 7946 0958"; anything it cannot read stays as it is. */
export function formatPhoneNumber(e164: string): string {
  try {
    return parsePhoneNumberWithError(e164).formatInternational()
  } catch {
    return e164
  }
}
