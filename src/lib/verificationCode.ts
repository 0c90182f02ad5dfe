/** A code as Cognito sends it (sign-up, password reset, attribute verification): six digits; spaces around are fine. */
export function isVerificationCode(typed: string): boolean {
  return /^\s*\d{6}\s*$/.test(typed)
}
