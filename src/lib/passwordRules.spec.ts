import { describe, expect, it } from 'vitest'
import { meetsPasswordPolicy, passwordRules } from './passwordRules'

const templatePolicy = { minimumLength: 8, requireLowercase: true, requireUppercase: true, requireNumbers: true, requireSymbols: false }

describe('passwordRules', () => {
  it("lists only the rules the pool's policy switches on", () => {
    expect(passwordRules(templatePolicy).map((rule) => rule.label)).toEqual([
      'At least 8 characters',
      'A lowercase letter',
      'An uppercase letter',
      'A number',
    ])
    expect(passwordRules({ minimumLength: 12, requireLowercase: false, requireUppercase: false, requireNumbers: false, requireSymbols: true }).map((rule) => rule.id))
      .toEqual(['length', 'symbol'])
  })

  it.each([
    ['Unicorn1', true],
    ['unicorn1', false],
    ['UNICORN1', false],
    ['Unicorns', false],
    ['Unic0rn', false],
  ])('%s meets the template policy: %s', (password, expected) => {
    expect(meetsPasswordPolicy(password, templatePolicy)).toBe(expected)
  })

  it("counts Cognito's symbols, and an inner space, as symbols", () => {
    const symbolPolicy = { ...templatePolicy, requireSymbols: true }
    expect(meetsPasswordPolicy('Unicorn1^', symbolPolicy)).toBe(true)
    expect(meetsPasswordPolicy('Unicorn 1', symbolPolicy)).toBe(true)
    expect(meetsPasswordPolicy('Unicorn1 ', symbolPolicy)).toBe(false)
  })
})
