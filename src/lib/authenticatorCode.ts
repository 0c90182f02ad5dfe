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
