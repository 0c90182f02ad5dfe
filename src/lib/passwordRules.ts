import type { PasswordPolicy } from '@/lib/aws/config'

export interface PasswordRule {
  id: 'length' | 'lowercase' | 'uppercase' | 'number' | 'symbol'
  /** What the rider reads in the checklist. */
  label: string
  isMetBy(password: string): boolean
}

// Cognito's special characters, plus a space that is neither leading nor trailing.
// https://docs.aws.amazon.com/cognito/latest/developerguide/managing-users-passwords.html#user-pool-settings-policies
const SYMBOLS = /[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+-]|\S \S/

/** The checklist for a pool's password policy: only the rules the pool has switched on. */
export function passwordRules(policy: PasswordPolicy): PasswordRule[] {
  const rules: PasswordRule[] = [
    {
      id: 'length',
      label: `At least ${policy.minimumLength} characters`,
      isMetBy: (password) => password.length >= policy.minimumLength,
    },
  ]
  if (policy.requireLowercase) rules.push({ id: 'lowercase', label: 'A lowercase letter', isMetBy: (password) => /[a-z]/.test(password) })
  if (policy.requireUppercase) rules.push({ id: 'uppercase', label: 'An uppercase letter', isMetBy: (password) => /[A-Z]/.test(password) })
  if (policy.requireNumbers) rules.push({ id: 'number', label: 'A number', isMetBy: (password) => /[0-9]/.test(password) })
  if (policy.requireSymbols) {
    rules.push({ id: 'symbol', label: 'A symbol, such as ! @ # or $', isMetBy: (password) => SYMBOLS.test(password) })
  }
  return rules
}

/** Whether `password` meets every rule of the policy. */
export function meetsPasswordPolicy(password: string, policy: PasswordPolicy): boolean {
  return passwordRules(policy).every((rule) => rule.isMetBy(password))
}
