// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SetUserMFAPreference.html
import type { SetUserMFAPreferenceCommandInput, SetUserMFAPreferenceCommandOutput } from '@aws-sdk/client-cognito-identity-provider'
import type { JsonOperation } from '../../context.ts'
import { AwsError, invalidParameter } from '../../errors.ts'
import { requiredString } from '../../protocol/jsonInput.ts'
import { ACCESS_TOKEN } from '../memberRules.ts'
import type { AccessTokenCheck } from '../tokens.ts'

/** `{ Enabled, PreferredMfa }` as sent, or undefined when the member is absent or null (the client sends null). */
function mfaSettings(value: unknown, member: string): { Enabled?: boolean; PreferredMfa?: boolean } | undefined {
  if (value === undefined || value === null) return undefined
  const settings = value as Record<string, unknown>
  if (typeof value !== 'object' || Array.isArray(value) || ['Enabled', 'PreferredMfa'].some((key) => settings[key] != null && typeof settings[key] !== 'boolean')) {
    throw new AwsError('SerializationException', `${member} must be an object of booleans`)
  }
  return { Enabled: settings.Enabled as boolean | undefined, PreferredMfa: settings.PreferredMfa as boolean | undefined }
}

/**
 * Turns the user's factors on or off. Only software tokens exist here: turning one on needs a verified token
 * (InvalidParameterException otherwise); turning SMS or email on is refused, as for a user without that delivery.
 */
export function createSetUserMFAPreference({ authenticate }: { authenticate: AccessTokenCheck }): JsonOperation<SetUserMFAPreferenceCommandInput, SetUserMFAPreferenceCommandOutput> {
  return async (input) => {
    const { store, user } = await authenticate(requiredString(input, 'AccessToken', ACCESS_TOKEN))
    for (const [member, factor] of [['SMSMfaSettings', 'SMS_MFA'], ['EmailMfaSettings', 'EMAIL_OTP']] as const) {
      if (mfaSettings(input[member], member)?.Enabled) throw invalidParameter(`User does not have delivery config set to turn on ${factor}`)
    }
    const softwareToken = mfaSettings(input.SoftwareTokenMfaSettings, 'SoftwareTokenMfaSettings')
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
