import { createHmac, randomBytes, randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import AuthenticationHelper from 'amazon-cognito-identity-js/lib/AuthenticationHelper.js'
import BigInteger from 'amazon-cognito-identity-js/lib/BigInteger.js'
import DateHelper from 'amazon-cognito-identity-js/lib/DateHelper.js'
import {
  SRP_N, computeSharedSecret, createServerEphemeral, createVerifier, derivePasswordKey, isPasswordClaimValid, padHex,
  parseSrpTimestamp, passwordMatchesVerifier, type ServerEphemeral, type SrpVerifier,
} from './srp.ts'

const POOL_NAME = 'Xk3Pq9ZtR'
/** Bits below the top byte of a 3072-bit number: a value under 2^3064 has a leading zero byte at full width. */
const TOP_BYTE_ZERO_LIMIT = 1n << 3064n

/** The client half, run by amazon-cognito-identity-js's own AuthenticationHelper. */
class ReferenceClient {
  private readonly helper = new AuthenticationHelper(POOL_NAME)

  publicValue(): bigint {
    let largeA: BigInteger | undefined
    this.helper.getLargeAValue((_error, value) => (largeA = value))
    return BigInt(`0x${largeA!.toString(16)}`)
  }

  passwordKey(userIdForSrp: string, password: string, serverB: bigint, salt: string): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      this.helper.getPasswordAuthenticationKey(
        userIdForSrp, password, new BigInteger(serverB.toString(16), 16), new BigInteger(salt, 16),
        (error, key) => (error ? reject(error) : resolve(Buffer.from(key))),
      )
    })
  }
}

/** Signs the claim as CognitoUser.authenticateUserDefaultAuth does, with the key the client derived. */
function signClaim(clientKey: Buffer, userIdForSrp: string, secretBlock: string, timestamp: string): string {
  return createHmac('sha256', clientKey)
    .update(Buffer.concat([Buffer.from(POOL_NAME), Buffer.from(userIdForSrp), Buffer.from(secretBlock, 'base64'), Buffer.from(timestamp)]))
    .digest('base64')
}

interface Login {
  userIdForSrp: string
  clientPassword: string
  verifier: SrpVerifier
  client: ReferenceClient
  server: ServerEphemeral
}

/** Runs one sign-in end to end; true when the server accepts the client's claim. */
async function signIn({ userIdForSrp, clientPassword, verifier, client, server }: Login): Promise<boolean> {
  const clientKey = await client.passwordKey(userIdForSrp, clientPassword, server.publicValue, verifier.salt)
  const shared = computeSharedSecret(client.publicValue(), server, verifier.verifier)
  if (!shared) return false
  const secretBlock = randomBytes(64).toString('base64')
  const timestamp = new DateHelper().getNowString()
  return isPasswordClaimValid(derivePasswordKey(shared.sharedSecret, shared.scrambler), {
    poolName: POOL_NAME, userIdForSrp, secretBlock, timestamp, signature: signClaim(clientKey, userIdForSrp, secretBlock, timestamp),
  })
}

function randomPassword(): string {
  // Printable ASCII and a few multi-byte characters: the client hashes UTF-8, so must the server.
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789^$*.[]{}()?-"!@#%&/\\,><\':;|_~`+= éß€🦄'
  const characters = [...alphabet]
  return Array.from(randomBytes(8 + (randomBytes(1)[0]! % 24)), (byte) => characters[byte % characters.length]).join('')
}

function newLogin(password = randomPassword()): Login {
  const userIdForSrp = randomUUID()
  const verifier = createVerifier(POOL_NAME, userIdForSrp, password)
  return { userIdForSrp, clientPassword: password, verifier, client: new ReferenceClient(), server: createServerEphemeral(verifier.verifier) }
}

describe('padHex', () => {
  it('encodes by value with even length and a sign byte when the top bit is set', () => {
    expect(padHex(0x14n)).toBe('14')
    expect(padHex(0xecn)).toBe('00ec')
    expect(padHex(0x1abn)).toBe('01ab')
    expect(padHex(0x80_00n)).toBe('008000')
  })
})

describe('SRP against amazon-cognito-identity-js', () => {
  // Each sign-in costs about 0.23 s, nearly all in the client's pure-JS BigInteger (0.02 s on the server), so 500
  // take about two minutes: the price of meeting one in 256 leading-zero cases many times over.
  it('accepts 500 sign-ins with random passwords, each with a fresh client, user, salt and server secret', async () => {
    for (let attempt = 0; attempt < 500; attempt++) {
      const login = newLogin()
      expect(await signIn(login), `sign-in ${attempt} with password ${JSON.stringify(login.clientPassword)}`).toBe(true)
    }
  }, 400_000)

  it('refuses a wrong password', async () => {
    const login = newLogin('Correct-horse-1')
    expect(await signIn({ ...login, clientPassword: 'Correct-horse-2' })).toBe(false)
  })

  it('refuses a claim for another user id', async () => {
    const login = newLogin()
    expect(await signIn({ ...login, userIdForSrp: randomUUID() })).toBe(false)
  })

  it('works when B has a leading zero byte', async () => {
    const login = newLogin()
    let server = login.server
    while (server.publicValue >= TOP_BYTE_ZERO_LIMIT) server = createServerEphemeral(login.verifier.verifier)
    expect(await signIn({ ...login, server })).toBe(true)
  }, 30_000)

  it('works when S has a leading zero byte', async () => {
    const login = newLogin()
    const clientA = login.client.publicValue()
    let server = login.server
    while (computeSharedSecret(clientA, server, login.verifier.verifier)!.sharedSecret >= TOP_BYTE_ZERO_LIMIT) {
      server = createServerEphemeral(login.verifier.verifier)
    }
    expect(await signIn({ ...login, server })).toBe(true)
  }, 60_000)

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
