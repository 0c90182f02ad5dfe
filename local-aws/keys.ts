import { join } from 'node:path'
import {
  SignJWT, createLocalJWKSet, exportJWK, generateKeyPair, importJWK, jwtVerify,
  type JSONWebKeySet, type JWK, type JWTPayload, type JWTVerifyOptions,
} from 'jose'
import type { Clock } from './clock.ts'
import { readJsonFile, writeFileAtomic } from './store.ts'

interface StoredKey {
  kid: string
  privateJwk: JWK
  publicJwk: JWK
}

/** The user pool's RS256 signing key, generated once and kept in the data folder so tokens survive restarts. */
export interface SigningKeys {
  /** The public keys, as served at `/{poolId}/.well-known/jwks.json`. */
  readonly jwks: JSONWebKeySet
  sign(claims: JWTPayload): Promise<string>
  /** Checks signature, algorithm and the given claims against the local clock; throws jose's errors. */
  verify(token: string, options: JWTVerifyOptions): Promise<JWTPayload>
}

export async function loadSigningKeys(dataDir: string, clock: Clock): Promise<SigningKeys> {
  const path = join(dataDir, 'signing-key.json')
  let stored = readJsonFile<StoredKey>(path)
  if (!stored) {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true })
    const kid = crypto.randomUUID()
    stored = {
      kid,
      privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' },
      publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' },
    }
    writeFileAtomic(path, JSON.stringify(stored))
  }
  const { kid, privateJwk, publicJwk } = stored
  const privateKey = await importJWK(privateJwk, 'RS256')
  const jwks: JSONWebKeySet = { keys: [publicJwk] }
  const keySet = createLocalJWKSet(jwks)
  return {
    jwks,
    sign: (claims) => new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid }).sign(privateKey),
    async verify(token, options) {
      const { payload } = await jwtVerify(token, keySet, {
        algorithms: ['RS256'],
        currentDate: new Date(clock.now()),
        ...options,
      })
      return payload
    },
  }
}
