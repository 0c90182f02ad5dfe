import type { UserPoolModel } from '../template/model.ts'
import { softwareTokenCodeMismatch, softwareTokenCodeReused, softwareTokenNotFound } from './errors.ts'
import { createTotpSecret, matchTotpStep } from './totp.ts'

// A user's authenticator app as Cognito keeps it: AssociateSoftwareToken makes a secret, VerifySoftwareToken proves the
// app has it (replacing any earlier token), SetUserMFAPreference turns it on or off, and sign-in then asks for its code.
// https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-mfa-totp.html

/** The secret an app was given and the last time step a code of it was accepted, so no code is accepted twice. */
export interface SoftwareToken {
  /** Base32, as handed to the app. */
  secret: string
  friendlyDeviceName?: string
  lastUsedStep?: number
}

export interface SoftwareTokenMfa {
  /** The verified token, if any. */
  token?: SoftwareToken
  /** A secret from AssociateSoftwareToken that no code has verified yet; it replaces `token` once one does. */
  pending?: SoftwareToken
  /** Whether sign-in asks for a code (SetUserMFAPreference `Enabled`). */
  isEnabled: boolean
  isPreferred: boolean
}

/** The part of a stored user (users.ts's `StoredUser`) that this file reads and changes. */
export interface SoftwareTokenHolder {
  /** The user's authenticator app (TOTP): its secret lives here, in the data folder, and nowhere else. */
  softwareTokenMfa?: SoftwareTokenMfa
}

export const SOFTWARE_TOKEN_MFA = 'SOFTWARE_TOKEN_MFA'

/** SoftwareTokenMFANotFoundException unless the pool lets users set up an authenticator app. */
export function assertPoolAllowsSoftwareTokens(pool: UserPoolModel): void {
  if (!pool.enabledMfas.includes(SOFTWARE_TOKEN_MFA)) throw softwareTokenNotFound('Software Token MFA is not enabled for the user pool.')
}

/** Gives the user (a draft) a new unverified secret and returns it; an earlier verified token keeps working until then. */
export function associateSoftwareToken(user: SoftwareTokenHolder): string {
  const secret = createTotpSecret()
  const current = user.softwareTokenMfa ?? { isEnabled: false, isPreferred: false }
  user.softwareTokenMfa = { ...current, pending: { secret } }
  return secret
}

/**
 * Checks a code against a token: the step it matched, or `mismatch` / `reused` (a code of a step already used, or an
 * older one). Does not change the token: the caller records the step once it accepts the answer.
 */
export function checkSoftwareTokenCode(token: SoftwareToken, code: string, now: number): { step: number } | { error: 'mismatch' | 'reused' } {
  const step = matchTotpStep(token.secret, code, now)
  if (step === undefined) return { error: 'mismatch' }
  if (token.lastUsedStep !== undefined && step <= token.lastUsedStep) return { error: 'reused' }
  return { step }
}

/**
 * VerifySoftwareToken on a user draft: the pending secret becomes the user's token, the code's step used up.
 * EnableSoftwareTokenMFAException for a wrong code, which leaves the pending secret for another try.
 */
export function verifySoftwareToken(user: SoftwareTokenHolder, code: string, friendlyDeviceName: string | undefined, now: number): void {
  const pending = user.softwareTokenMfa?.pending
  if (!user.softwareTokenMfa || !pending) throw softwareTokenNotFound('Software Token MFA does not exist for the user.')
  const checked = checkSoftwareTokenCode(pending, code, now)
  if ('error' in checked) throw checked.error === 'reused' ? softwareTokenCodeReused() : softwareTokenCodeMismatch()
  user.softwareTokenMfa.token = { secret: pending.secret, friendlyDeviceName, lastUsedStep: checked.step }
  delete user.softwareTokenMfa.pending
}

/** Whether sign-in must ask this user for a code. */
export function isSoftwareTokenMfaOn(pool: UserPoolModel, user: SoftwareTokenHolder): boolean {
  return pool.mfaConfiguration !== 'OFF' && user.softwareTokenMfa?.isEnabled === true && user.softwareTokenMfa.token !== undefined
}

/** GetUser's `UserMFASettingList` and `PreferredMfaSetting`: absent while the user has no factor turned on. */
export function mfaSettingsOf(user: SoftwareTokenHolder): { UserMFASettingList?: string[]; PreferredMfaSetting?: string } {
  const mfa = user.softwareTokenMfa
  if (!mfa?.isEnabled || !mfa.token) return {}
  return { UserMFASettingList: [SOFTWARE_TOKEN_MFA], ...(mfa.isPreferred ? { PreferredMfaSetting: SOFTWARE_TOKEN_MFA } : {}) }
}
