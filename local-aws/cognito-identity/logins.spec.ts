import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { JWTPayload } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import { FakeClock } from '../../tests/support/fakeClock.ts'
import { loadSigningKeys, type SigningKeys } from '../keys.ts'
import type { IdentityPoolModel } from '../template/model.ts'
import { verifyLogins, type LoginCheckServices } from './logins.ts'

const PROVIDER = 'cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123'
const CHECKED_CLIENT = 'checkedclient'
const UNCHECKED_CLIENT = 'uncheckedclient'

const pool: IdentityPoolModel = {
  logicalId: 'IdentityPool',
  id: 'eu-west-1:00000000-0000-4000-8000-000000000000',
  name: 'riders',
  allowUnauthenticatedIdentities: false,
  allowClassicFlow: false,
  providers: [
    { providerName: PROVIDER, clientId: CHECKED_CLIENT, serverSideTokenCheck: true },
    { providerName: PROVIDER, clientId: UNCHECKED_CLIENT, serverSideTokenCheck: false },
  ],
  roles: {},
}

const clock = new FakeClock(Date.parse('2026-11-26T08:00:00Z'))
let keys: SigningKeys

beforeAll(async () => {
  keys = await loadSigningKeys(await mkdtemp(join(tmpdir(), 'la-')), clock)
})

function idToken(clientId: string): Promise<string> {
  const now = Math.floor(clock.now() / 1000)
  return keys.sign({ sub: 'rider-sub', aud: clientId, iss: `https://${PROVIDER}`, token_use: 'id', origin_jti: 'origin-1', iat: now, exp: now + 3600 })
}

/** Services whose user pool says every sign-in has ended, and which remember the claims it was asked about. */
function withEndedSignIns(): LoginCheckServices & { asked: JWTPayload[] } {
  const asked: JWTPayload[] = []
  return {
    keys,
    clock,
    asked,
    userPools: {
      isIdTokenActive(claims) {
        asked.push(claims)
        return false
      },
    },
  }
}

describe('verifyLogins and ServerSideTokenCheck', () => {
  it('asks the user pool about a token of a client linked with ServerSideTokenCheck, and refuses an ended sign-in', async () => {
    const services = withEndedSignIns()
    await expect(verifyLogins(pool, { [PROVIDER]: await idToken(CHECKED_CLIENT) }, services)).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Invalid login token. Token has been revoked',
    })
    expect(services.asked).toMatchObject([{ aud: CHECKED_CLIENT, origin_jti: 'origin-1' }])
  })

  it('skips the check for a client linked without ServerSideTokenCheck', async () => {
    const services = withEndedSignIns()
    expect(await verifyLogins(pool, { [PROVIDER]: await idToken(UNCHECKED_CLIENT) }, services)).toEqual([{ providerName: PROVIDER, sub: 'rider-sub' }])
    expect(services.asked).toEqual([])
  })
})
