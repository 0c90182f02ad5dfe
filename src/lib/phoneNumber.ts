/** Dial codes for the regions a hint names; others fall back to the US example. */
const DIAL_CODES: Readonly<Record<string, string>> = {
  US: '1', CA: '1', GB: '44', IE: '353', FR: '33', DE: '49', ES: '34', IT: '39', NL: '31', BE: '32', CH: '41', AT: '43',
  SE: '46', NO: '47', DK: '45', FI: '358', PL: '48', PT: '351', AU: '61', NZ: '64', IN: '91', JP: '81', KR: '82',
  CN: '86', SG: '65', BR: '55', MX: '52', AR: '54', ZA: '27', NG: '234', KE: '254', IL: '972', AE: '971', TR: '90',
}

/**
 * The number as Cognito stores it (E.164: `+`, country code, number, no spaces), from what a rider types:
 * spaces, dashes, dots and brackets are dropped and a leading `00` becomes `+`.
 */
export function normalisePhoneNumber(typed: string): string {
  const compact = typed.trim().replace(/[\s\-.()]/g, '')
  return compact.startsWith('00') ? `+${compact.slice(2)}` : compact
}

/** E.164: a plus, a country code that does not start with 0, at most 15 digits in all. */
export function isE164(phoneNumber: string): boolean {
  return /^\+[1-9]\d{6,14}$/.test(phoneNumber)
}

/** A hint naming the rider's own country code, from the browser's language (e.g. en-GB → +44, United Kingdom). */
export function phoneNumberHint(locale: string): string {
  let region = 'US'
  try {
    region = new Intl.Locale(locale).maximize().region ?? region
  } catch {
    // An unparsable locale keeps the US example.
  }
  if (!DIAL_CODES[region]) region = 'US'
  const country = new Intl.DisplayNames(['en'], { type: 'region' }).of(region) ?? region
  return `Start with + and your country code, e.g. +${DIAL_CODES[region]} (${country}).`
}
