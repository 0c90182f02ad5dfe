import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakeClock } from '../../clock.ts'
import { refusal } from '../../../tests/support/awsErrors.ts'
import { PasskeyAuthenticator, type CreationOptionsJSON } from '../../../tests/support/passkeyAuthenticator.ts'
import { userPoolClientModel, userPoolModel } from '../../../tests/support/userPoolModel.ts'
import { PasskeyRegistrations } from '../passkeyRegistrations.ts'
import { passkeysOf } from '../passkeys.ts'
import type { AccessTokenCheck } from '../tokens.ts'
import { createUser, UserPoolStore } from '../users.ts'
import { createCompleteWebAuthnRegistration } from './completeWebAuthnRegistration.ts'
import { createStartWebAuthnRegistration } from './startWebAuthnRegistration.ts'

const pool = userPoolModel()
const web = userPoolClientModel()
const other = userPoolClientModel({ id: 'otherclient000000000000000', name: 'other' })
let dataDir: string
let store: UserPoolStore

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'wild-rydes-passkeys-'))
  store = new UserPoolStore(pool, dataDir)
  store.update((draft) => {
    const user = createUser(pool, draft, { signInName: 'ada@example.com', password: 'Passw0rd-long', attributes: { name: 'Ada' }, status: 'CONFIRMED', now: 0 })
    draft.users[user.username] = user
  })
})
afterAll(() => rm(dataDir, { recursive: true, force: true }))

/** An access token check that says the token is the rider's through `client`. */
function signedInThrough(client: typeof web): AccessTokenCheck {
  return async () => {
    const user = Object.values(store.state.users)[0]!
    return { store, pool, client, user, session: { originJti: 'j', username: user.username, clientId: client.id, refreshTokenHash: '', authTime: 0, eventId: 'e', expiresAt: 0, revoked: false } }
  }
}

describe('CompleteWebAuthnRegistration', () => {
  const clock = new FakeClock(1_700_000_000_000)
  const registrations = new PasskeyRegistrations(clock)
  const start = (client: typeof web) => createStartWebAuthnRegistration({ authenticate: signedInThrough(client), registrations })
  const complete = (client: typeof web) => createCompleteWebAuthnRegistration({ authenticate: signedInThrough(client), registrations, clock })
  const request = { method: 'POST', url: '/', headers: {}, body: Buffer.alloc(0) }

  it('refuses a registration started through another app client with WebAuthnClientMismatchException, using it up', async () => {
    const { CredentialCreationOptions } = await start(web)({ AccessToken: 'token' }, request)
    const credential = new PasskeyAuthenticator().create(CredentialCreationOptions as unknown as CreationOptionsJSON)
    expect(await refusal(complete(other)({ AccessToken: 'token', Credential: credential }, request))).toMatchObject({ code: 'WebAuthnClientMismatchException', status: 400 })
    expect(await refusal(complete(web)({ AccessToken: 'token', Credential: credential }, request))).toMatchObject({ code: 'WebAuthnChallengeNotFoundException' })
  })

  it('stores the passkey on the rider when the same client completes it, and refuses a missing Credential', async () => {
    const { CredentialCreationOptions } = await start(web)({ AccessToken: 'token' }, request)
    const authenticator = new PasskeyAuthenticator({ attachment: 'cross-platform' })
    expect(await complete(web)({ AccessToken: 'token', Credential: authenticator.create(CredentialCreationOptions as unknown as CreationOptionsJSON) }, request)).toEqual({})
    expect(passkeysOf(Object.values(store.state.users)[0]!).map(({ id, friendlyName, createdAt }) => ({ id, friendlyName, createdAt }))).toEqual([
      { id: authenticator.credentialIds[0], friendlyName: 'Security key', createdAt: 1_700_000_000_000 },
    ])
    expect(await refusal(complete(web)({ AccessToken: 'token' }, request))).toMatchObject({ code: 'InvalidParameterException' })
  })
})
