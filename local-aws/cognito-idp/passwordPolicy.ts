import { AwsError } from '../errors.ts'
import type { PasswordPolicy } from '../template/model.ts'

// Cognito's password rules and its messages, which name the first rule a password breaks.
// https://docs.aws.amazon.com/cognito/latest/developerguide/managing-users-passwords.html#user-pool-settings-policies

/** The characters Cognito counts as symbols; a space counts too unless it leads or trails. */
const SYMBOLS = new Set('^$*.[]{}()?-"!@#%&/\\,><\':;|_~`+= ')

interface Rule {
  applies(policy: PasswordPolicy): boolean
  isMetBy(password: string, policy: PasswordPolicy): boolean
  message: string
}

const RULES: Rule[] = [
  {
    applies: () => true,
    isMetBy: (password, policy) => [...password].length >= policy.minimumLength,
    message: 'Password not long enough',
  },
  { applies: (policy) => policy.requireUppercase, isMetBy: (password) => /[A-Z]/.test(password), message: 'Password must have uppercase characters' },
  { applies: (policy) => policy.requireLowercase, isMetBy: (password) => /[a-z]/.test(password), message: 'Password must have lowercase characters' },
  { applies: (policy) => policy.requireNumbers, isMetBy: (password) => /[0-9]/.test(password), message: 'Password must have numeric characters' },
  {
    applies: (policy) => policy.requireSymbols,
    isMetBy: (password) => [...password.trim()].some((character) => SYMBOLS.has(character)),
    message: 'Password must have symbol characters',
  },
]

/** The first rule of the policy a password breaks, in Cognito's words, or undefined when it conforms. */
export function passwordPolicyViolation(password: string, policy: PasswordPolicy): string | undefined {
  return RULES.find((rule) => rule.applies(policy) && !rule.isMetBy(password, policy))?.message
}

/** Throws InvalidPasswordException ("Password did not conform with policy: …") unless the password conforms. */
export function assertPasswordConforms(password: string, policy: PasswordPolicy): void {
  const violation = passwordPolicyViolation(password, policy)
  if (violation) throw new AwsError('InvalidPasswordException', `Password did not conform with policy: ${violation}`)
}
