import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SignJWT, decodeProtectedHeader, exportJWK, generateKeyPair, importJWK } from 'jose'
import { afterEach, describe, expect, it } from 'vitest'
import { FakeClock } from '../tests/support/fakeClock.ts'
import { loadSigningKeys } from './keys.ts'

// The user pool's signing keys as a client that verifies tokens against the JWKS sees them
// (docs/aws-behaviour.md#tokens-and-jwks).

const folders: string[] = []
function dataFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'la-keys-'))
  folders.push(folder)
  return folder
}
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true })
})

const clock = new FakeClock()
const now = () => Math.floor(clock.now() / 1000)

describe('loadSigningKeys', () => {
  it('publishes two keys and signs ID and access tokens each with its own kid', async () => {
    const keys = await loadSigningKeys(dataFolder(), clock)
    const idToken = await keys.sign({ token_use: 'id', iat: now(), exp: now() + 60 })
    const accessToken = await keys.sign({ token_use: 'access', iat: now(), exp: now() + 60 })
    const kids = keys.jwks.keys.map((key) => key.kid)
    expect(kids).toHaveLength(2)
    expect(new Set(kids).size).toBe(2)
    expect(kids).toContain(decodeProtectedHeader(idToken).kid)
    expect(kids).toContain(decodeProtectedHeader(accessToken).kid)
    expect(decodeProtectedHeader(idToken).kid).not.toBe(decodeProtectedHeader(accessToken).kid)
    expect(keys.jwks.keys.every((key) => key.kty === 'RSA' && key.alg === 'RS256' && key.use === 'sig' && key.d === undefined)).toBe(true)
    await expect(keys.verify(accessToken, {})).resolves.toMatchObject({ token_use: 'access' })
  })

  it('keeps both keys across a restart, so tokens and cached JWKS stay valid', async () => {
    const folder = dataFolder()
    const before = await loadSigningKeys(folder, clock)
    const token = await before.sign({ token_use: 'access', iat: now(), exp: now() + 60 })
    const after = await loadSigningKeys(folder, clock)
    expect(after.jwks).toEqual(before.jwks)
    await expect(after.verify(token, {})).resolves.toMatchObject({ token_use: 'access' })
  })

  it('takes over the single key of an older data folder as the ID-token key: its tokens still verify', async () => {
    const folder = dataFolder()
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true })
    const kid = 'legacy-kid'
    const legacy = {
      kid,
      privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' },
      publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' },
    }
    writeFileSync(join(folder, 'signing-key.json'), JSON.stringify(legacy))
    const oldAccessToken = await new SignJWT({ token_use: 'access', iat: now(), exp: now() + 60 })
      .setProtectedHeader({ alg: 'RS256', kid })
      .sign(await importJWK(legacy.privateJwk, 'RS256'))

    const keys = await loadSigningKeys(folder, clock)
    expect(keys.jwks.keys[0]).toEqual(legacy.publicJwk)
    await expect(keys.verify(oldAccessToken, {})).resolves.toMatchObject({ token_use: 'access' })
    expect(decodeProtectedHeader(await keys.sign({ token_use: 'id' })).kid).toBe(kid)
    expect(decodeProtectedHeader(await keys.sign({ token_use: 'access' })).kid).not.toBe(kid)
    expect(readdirSync(folder)).toEqual(['signing-keys.json'])
  })
})
