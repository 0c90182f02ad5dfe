import { describe, expect, it } from 'vitest'
import type { PasswordPolicy } from '../template/model.ts'
import { assertPasswordConforms, passwordPolicyViolation } from './passwordPolicy.ts'

const STRICT: PasswordPolicy = {
  minimumLength: 10,
  requireLowercase: true,
  requireUppercase: true,
  requireNumbers: true,
  requireSymbols: true,
  temporaryPasswordValidityDays: 7,
}

describe('passwordPolicyViolation', () => {
  it.each([
    ['Sh0rt!', 'Password not long enough'],
    ['lowercase-only-1', 'Password must have uppercase characters'],
    ['UPPERCASE-ONLY-1', 'Password must have lowercase characters'],
    ['No-Digits-Here', 'Password must have numeric characters'],
    ['NoSymbols123', 'Password must have symbol characters'],
    [' NoSymbols123 ', 'Password must have symbol characters'],
  ])('names the rule %j breaks', (password, message) => {
    expect(passwordPolicyViolation(password, STRICT)).toBe(message)
  })

  it('accepts a password that meets every rule, a space inside counting as a symbol', () => {
    expect(passwordPolicyViolation('Correct Horse 9', STRICT)).toBeUndefined()
    expect(passwordPolicyViolation('Tr0ub4dor&3xyz', STRICT)).toBeUndefined()
  })

  it('checks only the rules the policy turns on', () => {
    const lenient = { ...STRICT, minimumLength: 6, requireUppercase: false, requireNumbers: false, requireSymbols: false }
    expect(passwordPolicyViolation('simple', lenient)).toBeUndefined()
    expect(passwordPolicyViolation('SIMPLE', lenient)).toBe('Password must have lowercase characters')
  })

  it('counts characters, not UTF-16 units, for the length', () => {
    expect(passwordPolicyViolation('Aa1!🦄🦄🦄', { ...STRICT, minimumLength: 8 })).toBe('Password not long enough')
  })
})

describe('assertPasswordConforms', () => {
  it('throws InvalidPasswordException with Cognito\'s message', () => {
    expect(() => assertPasswordConforms('password-1!', STRICT)).toThrow(
      expect.objectContaining({ code: 'InvalidPasswordException', message: 'Password did not conform with policy: Password must have uppercase characters' }),
    )
  })
})
