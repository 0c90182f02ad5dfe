import { createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto'

// The server half of Cognito's SRP-6a, computed exactly as amazon-cognito-identity-js computes the client half
// (the package's lib/AuthenticationHelper.js). Every value that is hashed is encoded by value with `padHex`, never at a fixed width:
// a fixed-width B or S breaks about one sign-in in 256.
// https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-authentication-flow.html

/** The 3072-bit group of RFC 5054 (RFC 3526 group 15). */
export const SRP_N = BigInt(
  '0xFFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
    'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
    'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
    '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
    'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
    '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
    'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
    'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF',
)
const SRP_G = 2n

/**
 * The client's `padHex` for non-negative values: even length, plus a leading `00` when the top bit is set (the
 * two's-complement encoding Java's `BigInteger.toByteArray()` produces).
 */
export function padHex(value: bigint): string {
  const hex = value.toString(16)
  const even = hex.length % 2 === 0 ? hex : `0${hex}`
  return /^[89a-f]/.test(even) ? `00${even}` : even
}

/** SHA-256 of the bytes a hex string denotes, as 64 hex digits. */
function hexHash(hex: string): string {
  return createHash('sha256').update(Buffer.from(hex, 'hex')).digest('hex')
}

function fromHex(hex: string): bigint {
  return BigInt(`0x${hex}`)
}

/** base^exponent mod modulus by square-and-multiply; Node's bigint has no native modPow. */
function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n
  let square = ((base % modulus) + modulus) % modulus
  for (let rest = exponent; rest > 0n; rest >>= 1n) {
    if (rest & 1n) result = (result * square) % modulus
    square = (square * square) % modulus
  }
  return result
}

const K = fromHex(hexHash(padHex(SRP_N) + padHex(SRP_G)))

/** x = H(padHex(salt) ‖ H(poolName ‖ userIdForSrp ‖ ":" ‖ password)), as the client derives it. */
function privateKey(poolName: string, userIdForSrp: string, password: string, saltHex: string): bigint {
  const identityHash = createHash('sha256').update(`${poolName}${userIdForSrp}:${password}`, 'utf8').digest('hex')
  return fromHex(hexHash(padHex(fromHex(saltHex)) + identityHash))
}

/** What a user pool keeps instead of a password. Both values are hex. */
export interface SrpVerifier {
  salt: string
  verifier: string
}

/**
 * The verifier v = g^x for a password. `userIdForSrp` must be the `USER_ID_FOR_SRP` later returned to the client
 * (the internal username), since the client mixes that, not what the rider typed, into x.
 */
export function createVerifier(poolName: string, userIdForSrp: string, password: string): SrpVerifier {
  const salt = padHex(fromHex(randomBytes(16).toString('hex')))
  const verifier = modPow(SRP_G, privateKey(poolName, userIdForSrp, password, salt), SRP_N)
  return { salt, verifier: verifier.toString(16) }
}

/** Whether a plaintext password (ChangePassword, USER_PASSWORD_AUTH) is the one a verifier was made from. */
export function passwordMatchesVerifier(poolName: string, userIdForSrp: string, password: string, stored: SrpVerifier): boolean {
  const candidate = modPow(SRP_G, privateKey(poolName, userIdForSrp, password, stored.salt), SRP_N)
  return candidate === fromHex(stored.verifier)
}

/** The server's ephemeral pair: b stays on the server, B goes to the client as `SRP_B`. */
export interface ServerEphemeral {
  secret: bigint
  publicValue: bigint
}

/** B = (k·v + g^b) mod N, with a fresh 256-bit b unless one is given (tests force B's leading byte with it). */
export function createServerEphemeral(verifierHex: string, secret = fromHex(randomBytes(32).toString('hex'))): ServerEphemeral {
  const publicValue = (K * fromHex(verifierHex) + modPow(SRP_G, secret, SRP_N)) % SRP_N
  return { secret, publicValue }
}

/** S and u for a client's A; undefined when A mod N or u is zero, which a sound client never sends. */
export function computeSharedSecret(
  clientPublicValue: bigint,
  server: ServerEphemeral,
  verifierHex: string,
): { sharedSecret: bigint; scrambler: bigint } | undefined {
  if (clientPublicValue % SRP_N === 0n) return undefined
  const scrambler = fromHex(hexHash(padHex(clientPublicValue) + padHex(server.publicValue)))
  if (scrambler === 0n) return undefined
  const base = (clientPublicValue * modPow(fromHex(verifierHex), scrambler, SRP_N)) % SRP_N
  return { sharedSecret: modPow(base, server.secret, SRP_N), scrambler }
}

/** The 16-byte key both sides derive: HKDF-SHA256(ikm = padHex(S), salt = padHex(u), info = "Caldera Derived Key"). */
export function derivePasswordKey(sharedSecret: bigint, scrambler: bigint): Buffer {
  const ikm = Buffer.from(padHex(sharedSecret), 'hex')
  const salt = Buffer.from(padHex(scrambler), 'hex')
  return Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Caldera Derived Key', 'utf8'), 16))
}

export interface PasswordClaim {
  poolName: string
  userIdForSrp: string
  /** Base64, as sent in `SECRET_BLOCK`. */
  secretBlock: string
  /** As the client sent it in `TIMESTAMP`. */
  timestamp: string
  /** Base64, as sent in `PASSWORD_CLAIM_SIGNATURE`. */
  signature: string
}

/** Checks `PASSWORD_CLAIM_SIGNATURE` = base64 HMAC-SHA256(key, poolName ‖ userIdForSrp ‖ secret block ‖ timestamp). */
export function isPasswordClaimValid(key: Buffer, claim: PasswordClaim): boolean {
  const expected = createHmac('sha256', key)
    .update(Buffer.from(claim.poolName, 'utf8'))
    .update(Buffer.from(claim.userIdForSrp, 'utf8'))
    .update(Buffer.from(claim.secretBlock, 'base64'))
    .update(Buffer.from(claim.timestamp, 'utf8'))
    .digest()
  const given = Buffer.from(claim.signature, 'base64')
  return given.length === expected.length && timingSafeEqual(given, expected)
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const TIMESTAMP_PATTERN = new RegExp(
  `^(?:${WEEKDAYS.join('|')}) (${MONTHS.join('|')}) (\\d{1,2}) (\\d{2}):(\\d{2}):(\\d{2}) UTC (\\d{4})$`,
)

/**
 * A time as the client library writes `TIMESTAMP` (amazon-cognito-identity-js `DateHelper.getNowString`): English
 * weekday and month, day not zero-padded, UTC. Cognito signs this canonical form, so any other spelling of a valid
 * time fails the proof.
 */
export function formatSrpTimestamp(epochMs: number): string {
  const date = new Date(epochMs)
  const pad = (value: number) => String(value).padStart(2, '0')
  const time = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`
  return `${WEEKDAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()} ${time} UTC ${date.getUTCFullYear()}`
}

/** Reads a `TIMESTAMP` such as `Thu Nov 26 07:54:35 UTC 2026` (day not zero-padded) as epoch milliseconds. */
export function parseSrpTimestamp(text: string): number | undefined {
  const match = TIMESTAMP_PATTERN.exec(text)
  if (!match) return undefined
  const [, month, day, hours, minutes, seconds, year] = match
  const time = Date.UTC(Number(year), MONTHS.indexOf(month ?? ''), Number(day), Number(hours), Number(minutes), Number(seconds))
  const date = new Date(time)
  // Date.UTC rolls "Feb 31" over into March; a date that does not exist is not a timestamp.
  return date.getUTCDate() === Number(day) && Number(hours) < 24 && Number(minutes) < 60 && Number(seconds) < 60 ? time : undefined
}
