import { recall, remember } from './riderMemory'

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

/** How this device last showed a rider's number: formatting one takes libphonenumber-js, ~30 KiB gzipped. */
interface RememberedDisplay {
  e164: string
  shown: string
}

function isRememberedDisplay(value: unknown): value is RememberedDisplay {
  const candidate = value as Partial<RememberedDisplay> | undefined
  return typeof candidate?.e164 === 'string' && typeof candidate.shown === 'string'
}

/** The number as this device last showed it to rider `sub` ("+1 415 555 0123"), if it is still `e164`. */
export function rememberedPhoneDisplay(sub: string, e164: string): string | undefined {
  const remembered = recall('phone-display', sub)
  return isRememberedDisplay(remembered) && remembered.e164 === e164 ? remembered.shown : undefined
}

/** Remembers how rider `sub`'s number `e164` is shown, so the next visit shows it so without the phone number rules. */
export function rememberPhoneDisplay(sub: string, e164: string, shown: string): void {
  remember('phone-display', sub, { e164, shown } satisfies RememberedDisplay)
}
