import { describe, expect, it } from 'vitest'
import { TEST_ENV } from '../../../tests/support/fixtures'
import { AwsConfigError, readAwsConfig } from './config'

describe('readAwsConfig', () => {
  it('reads every value, with the password policy parsed', () => {
    expect(readAwsConfig({ ...TEST_ENV, VITE_AWS_ENDPOINT: 'http://127.0.0.1:4566' })).toEqual({
      region: 'us-east-1',
      userPoolId: 'us-east-1_TestPool1',
      userPoolClientId: 'testclientid',
      identityPoolId: 'us-east-1:00000000-0000-4000-8000-000000000000',
      photoBucket: 'wild-rydes-photos',
      endpoint: 'http://127.0.0.1:4566',
      passwordPolicy: { minimumLength: 8, requireLowercase: true, requireUppercase: true, requireNumbers: true, requireSymbols: false },
      canVerifyPhone: true,
      canUsePasskeys: true,
    })
  })

  it('offers passkeys only when the stack says the pool takes them', () => {
    const { VITE_PASSKEYS: _ignored, ...withoutFlag } = TEST_ENV
    expect(readAwsConfig(withoutFlag).canUsePasskeys).toBe(false)
    expect(readAwsConfig({ ...TEST_ENV, VITE_PASSKEYS: 'false' }).canUsePasskeys).toBe(false)
  })

  it('offers phone verification only when the stack says the pool can send SMS', () => {
    const { VITE_SMS_VERIFICATION: _ignored, ...withoutFlag } = TEST_ENV
    expect(readAwsConfig(withoutFlag).canVerifyPhone).toBe(false)
    expect(readAwsConfig({ ...TEST_ENV, VITE_SMS_VERIFICATION: 'false' }).canVerifyPhone).toBe(false)
    expect(readAwsConfig({ ...TEST_ENV, VITE_SMS_VERIFICATION: 'yes' }).canVerifyPhone).toBe(false)
  })

  it('has no endpoint on real AWS', () => {
    expect(readAwsConfig({ ...TEST_ENV, VITE_AWS_ENDPOINT: '' })).not.toHaveProperty('endpoint')
  })

  // The SMS and passkey flags are capabilities with a safe default (no phone verification), not a required value.
  it.each((Object.keys(TEST_ENV) as (keyof typeof TEST_ENV)[]).filter((variable) => variable !== 'VITE_SMS_VERIFICATION' && variable !== 'VITE_PASSKEYS'))('names %s when it is missing', (variable) => {
    const env: Record<string, string> = { ...TEST_ENV }
    delete env[variable]

    expect(() => readAwsConfig(env)).toThrow(new AwsConfigError(variable, 'is not set'))
    expect(() => readAwsConfig(env)).toThrow(`${variable} is not set`)
  })

  it('refuses a password policy that is not JSON, or not the template shape', () => {
    expect(() => readAwsConfig({ ...TEST_ENV, VITE_PASSWORD_POLICY: '{minimumLength: 8' })).toThrow('VITE_PASSWORD_POLICY is not valid JSON')
    expect(() => readAwsConfig({ ...TEST_ENV, VITE_PASSWORD_POLICY: '{"minimumLength":"8"}' })).toThrow('VITE_PASSWORD_POLICY must be JSON like')
  })

  it('refuses a user pool id Cognito would refuse', () => {
    expect(() => readAwsConfig({ ...TEST_ENV, VITE_USER_POOL_ID: 'my-pool' })).toThrow(/VITE_USER_POOL_ID is not a user pool id/)
  })
})
