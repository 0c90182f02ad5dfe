const WRONG_CODE = "That code isn't right. Enter the 6-digit code your authenticator app shows now."

/**
 * How flows with an authenticator-app code word its failures: the code comes from the rider's app, not from a message
 * we sent, and each code is good for one use (docs/aws-behaviour.md#two-step-sign-in-with-an-authenticator-app). Kept
 * out of src/lib/aws/errors.ts so the first page does not carry them.
 */
export const AUTHENTICATOR_CODE_MESSAGES: Readonly<Record<string, string>> = {
  CodeMismatchException: WRONG_CODE,
  EnableSoftwareTokenMFAException: WRONG_CODE,
  ExpiredCodeException: 'That code was already used. Wait for the next code in your authenticator app and enter it.',
  SoftwareTokenMFANotFoundException: "Two-step sign-in isn't available right now. Please try again later.",
}

/** The digits of a code as typed or pasted ("123 456", "123-456"); an authenticator app shows six. */
export function digitsOfCode(typed: string): string {
  return typed.replace(/\D/g, '')
}

/** Whether a typed or pasted code has the six digits of an authenticator code. */
export function isAuthenticatorCode(typed: string): boolean {
  return digitsOfCode(typed).length === 6
}

/** A secret in groups of four characters, easier to type into an authenticator app by hand: `ABCD EFGH …`. */
export function inGroupsOfFour(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ')
}

/**
 * The code pasted into a one-time-code field, as its digits (at most six), so "123 456" from an authenticator app fits
 * the six-character field; the paste itself is then cancelled. Undefined for a paste anywhere else.
 */
export function pastedCode(event: ClipboardEvent): string | undefined {
  const pasted = event.clipboardData?.getData('text')
  if (pasted === undefined || !(event.target instanceof HTMLInputElement) || event.target.autocomplete !== 'one-time-code') return undefined
  event.preventDefault()
  return digitsOfCode(pasted).slice(0, 6)
}
