import { describe, expect, it } from 'vitest'
import { refusal } from '../../../tests/support/awsErrors.ts'
import { UNSIGNED_REQUEST, addAuthenticator, localAwsFakes, riderWithTokens, storedUser, type LocalAwsFakes } from '../../../tests/support/localAwsFakes.ts'
import { associateSoftwareToken } from '../softwareToken.ts'
import { createSetUserMFAPreference } from './setUserMFAPreference.ts'

function setPreference(fakes: LocalAwsFakes, input: Record<string, unknown>) {
  return createSetUserMFAPreference(fakes)(input, UNSIGNED_REQUEST)
}

describe('SetUserMFAPreference', () => {
  it('turns a verified authenticator on as the preferred factor, and off again', async () => {
    const fakes = await localAwsFakes()
    const { user, AccessToken } = await riderWithTokens(fakes)
    addAuthenticator(fakes, user)
    fakes.store.update((draft) => Object.assign(draft.users[user.username]!.softwareTokenMfa!, { isEnabled: false, isPreferred: false }))
    expect(await setPreference(fakes, { AccessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } })).toEqual({})
    expect(storedUser(fakes, user.username)?.softwareTokenMfa).toMatchObject({ isEnabled: true, isPreferred: true })
    await setPreference(fakes, { AccessToken, SoftwareTokenMfaSettings: { Enabled: false }, SMSMfaSettings: null })
    expect(storedUser(fakes, user.username)?.softwareTokenMfa).toMatchObject({ isEnabled: false, isPreferred: false })
  })

  it('refuses to turn on an authenticator that is missing or unverified with InvalidParameterException', async () => {
    const fakes = await localAwsFakes()
    const { user, AccessToken } = await riderWithTokens(fakes)
    const turnOn = { AccessToken, SoftwareTokenMfaSettings: { Enabled: true } }
    expect(await refusal(setPreference(fakes, turnOn))).toEqual({ code: 'InvalidParameterException', status: 400, message: 'User has not set up software token mfa' })
    fakes.store.update((draft) => void associateSoftwareToken(draft.users[user.username]!))
    expect(await refusal(setPreference(fakes, turnOn))).toMatchObject({ message: 'User has not verified software token mfa' })
  })

  it('refuses SMS and email factors, which the rider has no delivery for, with InvalidParameterException', async () => {
    const fakes = await localAwsFakes()
    const { AccessToken } = await riderWithTokens(fakes)
    expect(await refusal(setPreference(fakes, { AccessToken, SMSMfaSettings: { Enabled: true } }))).toEqual({
      code: 'InvalidParameterException',
      status: 400,
      message: 'User does not have delivery config set to turn on SMS_MFA',
    })
    expect(await refusal(setPreference(fakes, { AccessToken, EmailMfaSettings: { Enabled: true } }))).toMatchObject({
      message: 'User does not have delivery config set to turn on EMAIL_OTP',
    })
  })

  it('refuses settings of the wrong JSON type with SerializationException and an invalid access token with NotAuthorizedException', async () => {
    const fakes = await localAwsFakes()
    const { AccessToken } = await riderWithTokens(fakes)
    expect(await refusal(setPreference(fakes, { AccessToken, SoftwareTokenMfaSettings: { Enabled: 'yes' } }))).toMatchObject({ code: 'SerializationException' })
    expect(await refusal(setPreference(fakes, { AccessToken: 'abc' }))).toMatchObject({ code: 'NotAuthorizedException', message: 'Invalid Access Token' })
  })
})
