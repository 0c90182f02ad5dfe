import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import DateHelper from 'amazon-cognito-identity-js/lib/DateHelper.js'
import { SRP_N, computeSharedSecret, createVerifier, padHex, parseSrpTimestamp, passwordMatchesVerifier } from './srp.ts'
import { POOL_NAME, newLogin, signIn } from '../../tests/support/srpReferenceClient.ts'

describe('padHex', () => {
  it('encodes by value with even length and a sign byte when the top bit is set', () => {
    expect(padHex(0x14n)).toBe('14')
    expect(padHex(0xecn)).toBe('00ec')
    expect(padHex(0x1abn)).toBe('01ab')
    expect(padHex(0x80_00n)).toBe('008000')
  })
})

describe('SRP against amazon-cognito-identity-js', () => {
  // Each sign-in costs about 0.23 s, nearly all in the client's pure-JS BigInteger: 20 keep SRP covered by the unit
  // run; srp.slow.spec.ts runs 500 and forces the leading-zero cases.
  it('accepts 20 sign-ins with random passwords, each with a fresh client, user, salt and server secret', async () => {
    for (let attempt = 0; attempt < 20; attempt++) {
      const login = newLogin()
      expect(await signIn(login), `sign-in ${attempt} with password ${JSON.stringify(login.clientPassword)}`).toBe(true)
    }
  }, 30_000)

  it('refuses a wrong password', async () => {
    const login = newLogin('Correct-horse-1')
    expect(await signIn({ ...login, clientPassword: 'Correct-horse-2' })).toBe(false)
  })

  it('refuses a claim for another user id', async () => {
    const login = newLogin()
    expect(await signIn({ ...login, userIdForSrp: randomUUID() })).toBe(false)
  })

  it('refuses A ≡ 0 mod N', () => {
    const login = newLogin()
    expect(computeSharedSecret(SRP_N, login.server, login.verifier.verifier)).toBeUndefined()
    expect(computeSharedSecret(0n, login.server, login.verifier.verifier)).toBeUndefined()
  })
})

describe('passwordMatchesVerifier', () => {
  it('recognises the password a verifier was made from, and only that one', () => {
    const verifier = createVerifier(POOL_NAME, 'user-1', 'Secret-pass-9')
    expect(passwordMatchesVerifier(POOL_NAME, 'user-1', 'Secret-pass-9', verifier)).toBe(true)
    expect(passwordMatchesVerifier(POOL_NAME, 'user-1', 'Secret-pass-8', verifier)).toBe(false)
    expect(passwordMatchesVerifier(POOL_NAME, 'user-2', 'Secret-pass-9', verifier)).toBe(false)
  })
})

describe('parseSrpTimestamp', () => {
  it('reads the client format, day not zero-padded', () => {
    expect(parseSrpTimestamp('Thu Nov 26 07:54:35 UTC 2026')).toBe(Date.UTC(2026, 10, 26, 7, 54, 35))
    expect(parseSrpTimestamp('Mon Mar 2 00:00:09 UTC 2026')).toBe(Date.UTC(2026, 2, 2, 0, 0, 9))
    expect(parseSrpTimestamp(new DateHelper().getNowString())).toBeTypeOf('number')
  })

  it('refuses other formats and impossible dates', () => {
    expect(parseSrpTimestamp('2026-11-26T07:54:35Z')).toBeUndefined()
    expect(parseSrpTimestamp('Thu Nov 26 07:54:35 GMT 2026')).toBeUndefined()
    expect(parseSrpTimestamp('Do Nov 26 07:54:35 UTC 2026')).toBeUndefined()
    expect(parseSrpTimestamp('Mon Feb 31 07:54:35 UTC 2026')).toBeUndefined()
    expect(parseSrpTimestamp('Mon Feb 3 25:54:35 UTC 2026')).toBeUndefined()
  })
})
