import { rmSync } from 'node:fs'
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

/** The pool's two keys, as kept in `signing-keys.json`. */
interface StoredKeys {
  id: StoredKey
  access: StoredKey
}

/**
 * The user pool's RS256 signing keys, one for ID tokens and one for access tokens as Cognito publishes them
 * (docs/aws-behaviour.md#tokens-and-jwks), generated once and kept in the data folder so tokens survive restarts.
 */
export interface SigningKeys {
  /** The public keys, as served at `/{poolId}/.well-known/jwks.json`. */
  readonly jwks: JSONWebKeySet
  /** Signs with the access-token key when `token_use` is `access`, with the ID-token key otherwise. */
  sign(claims: JWTPayload): Promise<string>
  /** Checks signature (by the token's `kid`), algorithm and the given claims against the local clock; throws jose's errors. */
  verify(token: string, options: JWTVerifyOptions): Promise<JWTPayload>
}

async function generateStoredKey(): Promise<StoredKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true })
  const kid = crypto.randomUUID()
  return {
    kid,
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' },
  }
}

/**
 * The keys of the data folder, created on first start. A folder from before there were two keys holds one,
 * `signing-key.json`: it becomes the ID-token key, so the tokens it signed (ID and access alike) still verify.
 */
async function loadStoredKeys(dataDir: string): Promise<StoredKeys> {
  const path = join(dataDir, 'signing-keys.json')
  const stored = readJsonFile<StoredKeys>(path)
  if (stored) return stored
  const legacyPath = join(dataDir, 'signing-key.json')
  const keys: StoredKeys = { id: readJsonFile<StoredKey>(legacyPath) ?? (await generateStoredKey()), access: await generateStoredKey() }
  writeFileAtomic(path, JSON.stringify(keys), { flush: true })
  rmSync(legacyPath, { force: true })
  return keys
}

export async function loadSigningKeys(dataDir: string, clock: Clock): Promise<SigningKeys> {
  const stored = await loadStoredKeys(dataDir)
  const [idKey, accessKey] = await Promise.all([importJWK(stored.id.privateJwk, 'RS256'), importJWK(stored.access.privateJwk, 'RS256')])
  const jwks: JSONWebKeySet = { keys: [stored.id.publicJwk, stored.access.publicJwk] }
  const keySet = createLocalJWKSet(jwks)
  return {
    jwks,
    sign(claims) {
      const [key, kid] = claims.token_use === 'access' ? [accessKey, stored.access.kid] : [idKey, stored.id.kid]
      return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid }).sign(key)
    },
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
