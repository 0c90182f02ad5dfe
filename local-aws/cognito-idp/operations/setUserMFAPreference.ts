// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SetUserMFAPreference.html
import type { SetUserMFAPreferenceCommandInput, SetUserMFAPreferenceCommandOutput } from '@aws-sdk/client-cognito-identity-provider'
import type { JsonOperation } from '../../context.ts'
import { invalidParameter } from '../../errors.ts'
import { booleanStructure, requiredString, type UncheckedInput } from '../../protocol/jsonInput.ts'
import { ACCESS_TOKEN } from '../memberRules.ts'
import type { AccessTokenCheck } from '../tokens.ts'

type SettingsMember = 'SMSMfaSettings' | 'EmailMfaSettings' | 'SoftwareTokenMfaSettings'

/** `{ Enabled, PreferredMfa }` as sent, or undefined when the member is absent or null (the client sends null). */
function mfaSettings(input: UncheckedInput<SetUserMFAPreferenceCommandInput>, member: SettingsMember) {
  return booleanStructure(input, member, ['Enabled', 'PreferredMfa'])
}

/**
 * Turns the user's factors on or off. Only software tokens exist here: turning one on needs a verified token
 * (InvalidParameterException otherwise); turning SMS or email on is refused, as for a user without that delivery.
 */
export function createSetUserMFAPreference({ authenticate }: { authenticate: AccessTokenCheck }): JsonOperation<SetUserMFAPreferenceCommandInput, SetUserMFAPreferenceCommandOutput> {
  return async (input) => {
    // Every member is deserialized before the token is checked: a mistyped one is refused first, as on AWS.
    const accessToken = requiredString(input, 'AccessToken', ACCESS_TOKEN)
    const [sms, email, softwareToken] = (['SMSMfaSettings', 'EmailMfaSettings', 'SoftwareTokenMfaSettings'] as const).map((member) => mfaSettings(input, member))
    const { store, user } = await authenticate(accessToken)
    if (sms?.Enabled) throw invalidParameter('User does not have delivery config set to turn on SMS_MFA')
    if (email?.Enabled) throw invalidParameter('User does not have delivery config set to turn on EMAIL_OTP')
    if (!softwareToken) return {}
    store.update((draft) => {
      const stored = draft.users[user.username]!
      const mfa = stored.softwareTokenMfa
      if (softwareToken.Enabled) {
        if (!mfa || (!mfa.token && !mfa.pending)) throw invalidParameter('User has not set up software token mfa')
        if (!mfa.token) throw invalidParameter('User has not verified software token mfa')
        mfa.isEnabled = true
        mfa.isPreferred = softwareToken.PreferredMfa ?? mfa.isPreferred
      } else if (mfa && softwareToken.Enabled === false) {
        mfa.isEnabled = false
        mfa.isPreferred = false
      } else if (mfa && softwareToken.PreferredMfa !== undefined) {
        mfa.isPreferred = mfa.isEnabled && softwareToken.PreferredMfa
      }
    })
    return {}
  }
}
