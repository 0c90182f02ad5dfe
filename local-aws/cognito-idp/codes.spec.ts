import { describe, expect, it } from 'vitest'
import { checkCode, issueCode, maskDestination, type UserCodes } from './codes.ts'

const EMAIL = { attribute: 'email', value: 'ada@example.com' }
const HOUR = 3_600_000

function freshUser(): UserCodes {
  return { codes: {}, sends: {} }
}

describe('issueCode', () => {
  it('makes six-digit codes, the latest replacing the earlier', () => {
    const user = freshUser()
    const first = issueCode(user, 'sign-up', 0, EMAIL)
    const second = issueCode(user, 'sign-up', 1, EMAIL)
    expect(first).toMatch(/^\d{6}$/)
    expect(user.codes['sign-up']!.code).toBe(second)
  })

  it('sends at most five codes an hour for a purpose', () => {
    const user = freshUser()
    for (let send = 0; send < 5; send++) issueCode(user, 'forgot-password', send, EMAIL)
    expect(() => issueCode(user, 'forgot-password', 10, EMAIL)).toThrow(expect.objectContaining({ code: 'LimitExceededException' }))
    expect(issueCode(user, 'verify:email', 10, EMAIL)).toMatch(/^\d{6}$/)
    expect(issueCode(user, 'forgot-password', HOUR, EMAIL)).toMatch(/^\d{6}$/)
  })
})

describe('checkCode', () => {
  it('accepts the right code once', () => {
    const user = freshUser()
    const code = issueCode(user, 'sign-up', 0, EMAIL)
    expect(checkCode(user, 'sign-up', code, 1)).toEqual({ ok: true, verifies: EMAIL })
    expect(checkCode(user, 'sign-up', code, 2)).toEqual({ ok: false, error: 'expired' })
  })

  it('refuses every code after five wrong ones', () => {
    const user = freshUser()
    const code = issueCode(user, 'sign-up', 0, EMAIL)
    const wrong = code === '000000' ? '111111' : '000000'
    for (let guess = 0; guess < 5; guess++) expect(checkCode(user, 'sign-up', wrong, 1)).toEqual({ ok: false, error: 'mismatch' })
    expect(checkCode(user, 'sign-up', code, 1)).toEqual({ ok: false, error: 'limit-exceeded' })
  })

  it('expires sign-up and attribute codes after 24 hours, reset codes after one', () => {
    const user = freshUser()
    const signUp = issueCode(user, 'sign-up', 0, EMAIL)
    const reset = issueCode(user, 'forgot-password', 0, EMAIL)
    expect(checkCode(user, 'forgot-password', reset, HOUR)).toEqual({ ok: false, error: 'expired' })
    expect(checkCode(user, 'sign-up', signUp, 24 * HOUR - 1)).toMatchObject({ ok: true })
  })
})

describe('maskDestination', () => {
  it('masks as Cognito does', () => {
    expect(maskDestination('email', 'ada@example.com')).toBe('a***@e***')
    expect(maskDestination('phone_number', '+15555550100')).toBe('+*******0100')
  })
})
