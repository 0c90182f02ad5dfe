import { createHmac, randomBytes, randomUUID } from 'node:crypto'
import AuthenticationHelper from 'amazon-cognito-identity-js/lib/AuthenticationHelper.js'
import BigInteger from 'amazon-cognito-identity-js/lib/BigInteger.js'
import DateHelper from 'amazon-cognito-identity-js/lib/DateHelper.js'
import {
  computeSharedSecret, createServerEphemeral, createVerifier, derivePasswordKey, isPasswordClaimValid, type ServerEphemeral,
  type SrpVerifier,
} from '../../local-aws/cognito-idp/srp.ts'

// SRP sign-ins run end to end against amazon-cognito-identity-js's own client code, for local-aws/cognito-idp/srp.spec.ts
// and srp.slow.spec.ts: the server half is local AWS's, the client half is the library's.

export const POOL_NAME = 'Xk3Pq9ZtR'
/** Bits below the top byte of a 3072-bit number: a value under 2^3064 has a leading zero byte at full width. */
export const TOP_BYTE_ZERO_LIMIT = 1n << 3064n

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

export interface Login {
  userIdForSrp: string
  clientPassword: string
  verifier: SrpVerifier
  client: ReferenceClient
  server: ServerEphemeral
}

/** Runs one sign-in end to end; true when the server accepts the client's claim. */
export async function signIn({ userIdForSrp, clientPassword, verifier, client, server }: Login): Promise<boolean> {
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

export function newLogin(password = randomPassword()): Login {
  const userIdForSrp = randomUUID()
  const verifier = createVerifier(POOL_NAME, userIdForSrp, password)
  return { userIdForSrp, clientPassword: password, verifier, client: new ReferenceClient(), server: createServerEphemeral(verifier.verifier) }
}
