/** A plausible email address (Cognito has the last word): something@domain.tld, no spaces. */
export function isEmailAddress(typed: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(typed.trim())
}
