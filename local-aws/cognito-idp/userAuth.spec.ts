import { describe, expect, it } from 'vitest'
import { addAuthenticator, addRider, localAwsFakes } from '../../tests/support/localAwsFakes.ts'
import type { UserPoolModel } from '../template/model.ts'
import { addPasskey, setPasskeyMfa } from './passkeys.ts'
import { availableChallenges } from './userAuth.ts'

interface Case {
  pool?: Partial<UserPoolModel>
  hasPasskey?: boolean
  hasTotp?: boolean
  isPasskeyMfaOn?: boolean
  isUnknown?: boolean
}

const singleFactor: Partial<UserPoolModel> = { webAuthn: { relyingPartyId: 'example.com', userVerification: 'required', factorConfiguration: 'SINGLE_FACTOR' } }

describe('the first factors USER_AUTH offers', () => {
  it.each([
    ['a rider with a passkey', {}, ['PASSWORD', 'PASSWORD_SRP', 'WEB_AUTHN']],
    ['a rider without one', { hasPasskey: false }, ['PASSWORD', 'PASSWORD_SRP']],
    ['an unknown rider', { isUnknown: true }, ['PASSWORD', 'PASSWORD_SRP']],
    ['a rider of a pool without passkeys', { pool: { allowedFirstAuthFactors: ['PASSWORD'] } }, ['PASSWORD', 'PASSWORD_SRP']],
    ['a TOTP rider without passkey MFA', { hasTotp: true }, ['PASSWORD', 'PASSWORD_SRP']],
    ['a TOTP rider with passkey MFA', { hasTotp: true, isPasskeyMfaOn: true }, ['PASSWORD', 'PASSWORD_SRP', 'WEB_AUTHN']],
    ['a TOTP rider of a SINGLE_FACTOR pool', { pool: singleFactor, hasTotp: true, isPasskeyMfaOn: true }, ['PASSWORD', 'PASSWORD_SRP']],
    ['a TOTP rider of a pool with MFA off', { pool: { mfaConfiguration: 'OFF' }, hasTotp: true }, ['PASSWORD', 'PASSWORD_SRP', 'WEB_AUTHN']],
  ] as [string, Case, string[]][])('to %s', async (_who, { pool, hasPasskey = true, hasTotp = false, isPasskeyMfaOn = false, isUnknown = false }, expected) => {
    const fakes = await localAwsFakes({ pool })
    const rider = addRider(fakes)
    if (hasTotp) addAuthenticator(fakes, rider)
    fakes.store.update((draft) => {
      const user = draft.users[rider.username]!
      if (hasPasskey) addPasskey(user, { id: 'AAEC', publicKey: 'pQ', counter: 0, transports: ['internal'], friendlyName: 'Passkey', relyingPartyId: 'localhost', createdAt: 0 })
      setPasskeyMfa(user, isPasskeyMfaOn)
    })
    const user = isUnknown ? undefined : fakes.store.state.users[rider.username]
    expect(availableChallenges({ pool: fakes.pool, client: fakes.client, store: fakes.store }, user)).toEqual(expected)
  })
})
