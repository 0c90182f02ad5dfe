// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SetUserMFAPreference.html
import type { SetUserMFAPreferenceCommandInput, SetUserMFAPreferenceCommandOutput } from '@aws-sdk/client-cognito-identity-provider'
import type { JsonOperation } from '../../context.ts'
import { invalidParameter } from '../../errors.ts'
import { booleanStructure, requiredString, type UncheckedInput } from '../../protocol/jsonInput.ts'
import { ACCESS_TOKEN } from '../memberRules.ts'
import { setPasskeyMfa } from '../passkeys.ts'
import { isSoftwareTokenMfaOn } from '../softwareToken.ts'
import type { AccessTokenCheck } from '../tokens.ts'
import type { StoredUser } from '../users.ts'

type SettingsMember = 'SMSMfaSettings' | 'EmailMfaSettings' | 'SoftwareTokenMfaSettings'

/** `{ Enabled, PreferredMfa }` as sent, or undefined when the member is absent or null (the client sends null). */
function mfaSettings(input: UncheckedInput<SetUserMFAPreferenceCommandInput>, member: SettingsMember) {
  return booleanStructure(input, member, ['Enabled', 'PreferredMfa'])
}

/** SoftwareTokenMfaSettings on a user draft: turning it on needs a verified token. */
function applySoftwareTokenSettings(user: StoredUser, settings: { Enabled?: boolean; PreferredMfa?: boolean }): void {
  const mfa = user.softwareTokenMfa
  if (settings.Enabled) {
    if (!mfa || (!mfa.token && !mfa.pending)) throw invalidParameter('User has not set up software token mfa')
    if (!mfa.token) throw invalidParameter('User has not verified software token mfa')
    mfa.isEnabled = true
    mfa.isPreferred = settings.PreferredMfa ?? mfa.isPreferred
  } else if (mfa && settings.Enabled === false) {
    mfa.isEnabled = false
    mfa.isPreferred = false
  } else if (mfa && settings.PreferredMfa !== undefined) {
    mfa.isPreferred = mfa.isEnabled && settings.PreferredMfa
  }
}

/**
 * Turns the user's factors on or off. Only software tokens exist here: turning one on needs a verified token
 * (InvalidParameterException otherwise); turning SMS or email on is refused, as for a user without that delivery.
 * Passkey MFA (`WebAuthnMfaSettings`) needs the pool's MULTI_FACTOR_WITH_USER_VERIFICATION and another factor on, so
 * that losing the passkey cannot lock the user out (docs/aws-behaviour.md#a-rider-with-two-step-sign-in-and-a-passkey).
 */
export function createSetUserMFAPreference({ authenticate }: { authenticate: AccessTokenCheck }): JsonOperation<SetUserMFAPreferenceCommandInput, SetUserMFAPreferenceCommandOutput> {
  return async (input) => {
    // Every member is deserialized before the token is checked: a mistyped one is refused first, as on AWS.
    const accessToken = requiredString(input, 'AccessToken', ACCESS_TOKEN)
    const [sms, email, softwareToken] = (['SMSMfaSettings', 'EmailMfaSettings', 'SoftwareTokenMfaSettings'] as const).map((member) => mfaSettings(input, member))
    const passkey = booleanStructure(input, 'WebAuthnMfaSettings', ['Enabled'])
    const { store, pool, user } = await authenticate(accessToken)
    if (sms?.Enabled) throw invalidParameter('User does not have delivery config set to turn on SMS_MFA')
    if (email?.Enabled) throw invalidParameter('User does not have delivery config set to turn on EMAIL_OTP')
    if (passkey?.Enabled && pool.webAuthn.factorConfiguration !== 'MULTI_FACTOR_WITH_USER_VERIFICATION') {
      throw invalidParameter('Passkey MFA needs the user pool WebAuthnConfiguration FactorConfiguration MULTI_FACTOR_WITH_USER_VERIFICATION')
    }
    if (!softwareToken && !passkey) return {}
    store.update((draft) => {
      const stored = draft.users[user.username]!
      if (softwareToken) applySoftwareTokenSettings(stored, softwareToken)
      if (passkey?.Enabled !== undefined) setPasskeyMfa(stored, passkey.Enabled)
      if (!stored.passkeys?.isMfaEnabled || isSoftwareTokenMfaOn(pool, stored)) return
      // Turning the other factor off turns passkey MFA off with it; asking for passkey MFA alone is refused.
      if (passkey?.Enabled) throw invalidParameter('Passkey MFA needs another MFA factor turned on for the user')
      setPasskeyMfa(stored, false)
    })
    return {}
  }
}
