import { randomInt } from 'node:crypto'
import type { MessageKind, Outbox } from '../outbox.ts'
import type { UserPoolModel } from '../template/model.ts'
import { codeMismatch, expiredCode, limitExceeded, noSmsConfiguration } from './errors.ts'

// Verification codes as Cognito issues them: six digits, single use, expiring (24 h for sign-up and attribute
// verification, 1 h for a password reset), refused after five wrong guesses, and sent at most a few times an hour.
// https://docs.aws.amazon.com/cognito/latest/developerguide/signing-up-users-in-your-app.html

/** What a code is for; attribute verification codes are per attribute (`verify:email`). */
export type CodePurpose = 'sign-up' | 'forgot-password' | `verify:${string}`

export interface StoredCode {
  code: string
  expiresAt: number
  wrongGuesses: number
  /** Where the code went: the attribute value it verifies (a pending email, say) once typed back. */
  verifies: CodeDestination
}

/** A user's codes and recent sends by purpose, kept with the user. */
export interface UserCodes {
  codes: Partial<Record<CodePurpose, StoredCode>>
  sends: Partial<Record<CodePurpose, number[]>>
}

const HOUR_MS = 3_600_000
const MAX_WRONG_GUESSES = 5
const MAX_SENDS_PER_HOUR = 5

function lifetimeMs(purpose: CodePurpose): number {
  return purpose === 'forgot-password' ? HOUR_MS : 24 * HOUR_MS
}

/**
 * Makes a new code for a purpose, replacing any earlier one. Mutates `user`; throws LimitExceededException when the
 * purpose already had its share of sends this hour (inside a store update, that leaves the user unchanged).
 */
export function issueCode(user: UserCodes, purpose: CodePurpose, now: number, verifies: CodeDestination): string {
  const recentSends = (user.sends[purpose] ?? []).filter((sentAt) => now - sentAt < HOUR_MS)
  if (recentSends.length >= MAX_SENDS_PER_HOUR) throw limitExceeded()
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0')
  user.sends[purpose] = [...recentSends, now]
  user.codes[purpose] = { code, expiresAt: now + lifetimeMs(purpose), wrongGuesses: 0, verifies }
  return code
}

export type CodeCheck = { ok: true; verifies: CodeDestination } | { ok: false; error: 'mismatch' | 'expired' | 'limit-exceeded' }

/**
 * Checks a code a user typed. A right code is used up; a wrong one counts towards the limit. Mutates `user` and
 * reports the outcome rather than throwing, so the caller can persist the count before it refuses the request.
 */
export function checkCode(user: UserCodes, purpose: CodePurpose, given: string, now: number): CodeCheck {
  const stored = user.codes[purpose]
  if (!stored) return { ok: false, error: 'expired' }
  if (stored.wrongGuesses >= MAX_WRONG_GUESSES) return { ok: false, error: 'limit-exceeded' }
  if (now >= stored.expiresAt) return { ok: false, error: 'expired' }
  if (given !== stored.code) {
    stored.wrongGuesses += 1
    return { ok: false, error: 'mismatch' }
  }
  delete user.codes[purpose]
  return { ok: true, verifies: stored.verifies }
}

/** The error a failed check answers with. */
export function codeCheckError(error: 'mismatch' | 'expired' | 'limit-exceeded') {
  if (error === 'mismatch') return codeMismatch()
  return error === 'expired' ? expiredCode() : limitExceeded()
}

export interface CodeDeliveryDetails {
  Destination: string
  DeliveryMedium: 'EMAIL' | 'SMS'
  AttributeName: string
}

/** `j***@e***` for an email, `+*******6789` for a phone number, as Cognito masks destinations. */
export function maskDestination(attribute: string, value: string): string {
  if (attribute === 'phone_number') return `+${'*'.repeat(Math.max(0, value.length - 5))}${value.slice(-4)}`
  const [local = '', domain = ''] = value.split('@')
  return `${local.charAt(0)}***@${domain.charAt(0)}***`
}

/** Where a code goes: the attribute it is sent to and its value. */
export interface CodeDestination {
  attribute: string
  value: string
}

/** Where a sign-up code goes: the first auto-verified attribute the user has, as Cognito picks it. */
export function signUpDestination(pool: UserPoolModel, attributes: Record<string, string>): CodeDestination | undefined {
  const attribute = pool.autoVerifiedAttributes.find((name) => attributes[name])
  return attribute ? { attribute, value: attributes[attribute]! } : undefined
}

/** The delivery details Cognito answers with, for a real or a pretended send. */
function deliveryDetails(destination: CodeDestination): CodeDeliveryDetails {
  return {
    Destination: maskDestination(destination.attribute, destination.value),
    DeliveryMedium: destination.attribute === 'phone_number' ? 'SMS' : 'EMAIL',
    AttributeName: destination.attribute,
  }
}

/**
 * The delivery details answered for an unknown user under PreventUserExistenceErrors: a code "sent" to what the
 * caller typed, as if it were the user's address.
 */
export function pretendedDelivery(pool: UserPoolModel, signInName: string): CodeDeliveryDetails {
  const attribute = signInName.startsWith('+') ? 'phone_number' : (pool.autoVerifiedAttributes[0] ?? 'email')
  return deliveryDetails({ attribute, value: signInName })
}

const MESSAGE_KINDS: Record<string, MessageKind> = { 'sign-up': 'sign-up', 'forgot-password': 'forgot-password' }

/**
 * Refuses a destination the pool cannot deliver to: a phone number when the pool has no SMS configuration
 * (docs/aws-behaviour.md#sms-needs-the-pools-sms-configuration). Call it before issuing the code, so a refused request
 * leaves no code behind.
 */
export function assertCanDeliver(pool: UserPoolModel, destination: CodeDestination): void {
  if (destination.attribute === 'phone_number' && !pool.smsConfiguration) throw noSmsConfiguration()
}

/** Sends a code with the pool's verification message (`{####}` replaced) through the outbox: by SMS to a phone number. */
export function sendCode(outbox: Outbox, pool: UserPoolModel, purpose: CodePurpose, destination: CodeDestination, code: string): CodeDeliveryDetails {
  assertCanDeliver(pool, destination)
  const isSms = destination.attribute === 'phone_number'
  outbox.send({
    to: destination.value,
    kind: MESSAGE_KINDS[purpose] ?? 'verify-attribute',
    medium: isSms ? 'SMS' : 'EMAIL',
    code,
    subject: isSms ? '' : pool.verificationEmail.subject,
    body: (isSms ? pool.verificationSms : pool.verificationEmail.message).replaceAll('{####}', code),
    isDefaultSenderEmail: !isSms && pool.emailSendingAccount === 'COGNITO_DEFAULT',
  })
  return deliveryDetails(destination)
}
