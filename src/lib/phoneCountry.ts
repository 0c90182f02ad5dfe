/** Where a rider most likely is, from the browser's language (`en-GB` → `GB`, `de` → `DE`); `US` when it says nothing. */
export function countryFromLocale(locale: string): string {
  try {
    return new Intl.Locale(locale).maximize().region ?? 'US'
  } catch {
    return 'US'
  }
}

/** A region's name in the app's language (English): `GB` → "United Kingdom". */
export function countryName(code: string): string {
  try {
    return new Intl.DisplayNames(['en'], { type: 'region' }).of(code) ?? code
  } catch {
    return code
  }
}

/**
 * The one hint of a phone number field; the field's errors add only what it does not say. The rules come from
 * libphonenumber-js, which forms load on their own (`import('@/lib/phoneNumber')`), not with the page.
 */
export const PHONE_NUMBER_HINT = "Choose your country and type the number as you'd dial it there, or start with + and the country code."
