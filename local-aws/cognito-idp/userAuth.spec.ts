import { describe, expect, it } from 'vitest'
import { userPoolClientModel, userPoolModel } from '../../tests/support/userPoolModel.ts'
import type { UserPoolModel } from '../template/model.ts'
import type { StoredPasskey } from './passkeys.ts'
import { availableChallenges } from './userAuth.ts'
import type { StoredUser, UserPoolStore } from './users.ts'

const passkey: StoredPasskey = { id: 'AAEC', publicKey: 'pQ', counter: 0, transports: ['internal'], friendlyName: 'Passkey', relyingPartyId: 'localhost', createdAt: 0 }

function target(pool: UserPoolModel) {
  return { pool, client: userPoolClientModel(), store: {} as UserPoolStore }
}

/** A rider with (or without) a passkey, TOTP on or off, and passkey MFA on or off. */
function rider({ hasPasskey = true, hasTotp = false, isPasskeyMfaOn = false } = {}): StoredUser {
  return {
    username: 'u',
    sub: 'u',
    status: 'CONFIRMED',
    createdAt: 0,
    updatedAt: 0,
    attributes: {},
    pendingAttributes: {},
    verifier: { salt: '00', verifier: '00' },
    codes: {},
    sends: {},
    ...(hasTotp && { softwareTokenMfa: { token: { secret: 'A' }, isEnabled: true, isPreferred: true } }),
    passkeys: { credentials: hasPasskey ? [passkey] : [], isMfaEnabled: isPasskeyMfaOn },
  }
}

const singleFactor = userPoolModel({ webAuthn: { relyingPartyId: 'example.com', userVerification: 'required', factorConfiguration: 'SINGLE_FACTOR' } })

describe('the first factors USER_AUTH offers', () => {
  it.each([
    ['a rider with a passkey', userPoolModel(), rider(), ['PASSWORD', 'PASSWORD_SRP', 'WEB_AUTHN']],
    ['a rider without one', userPoolModel(), rider({ hasPasskey: false }), ['PASSWORD', 'PASSWORD_SRP']],
    ['an unknown rider', userPoolModel(), undefined, ['PASSWORD', 'PASSWORD_SRP']],
    ['a pool without passkeys', userPoolModel({ allowedFirstAuthFactors: ['PASSWORD'] }), rider(), ['PASSWORD', 'PASSWORD_SRP']],
    ['a TOTP rider without passkey MFA', userPoolModel(), rider({ hasTotp: true }), ['PASSWORD', 'PASSWORD_SRP']],
    ['a TOTP rider with passkey MFA', userPoolModel(), rider({ hasTotp: true, isPasskeyMfaOn: true }), ['PASSWORD', 'PASSWORD_SRP', 'WEB_AUTHN']],
    ['a TOTP rider of a SINGLE_FACTOR pool', singleFactor, rider({ hasTotp: true, isPasskeyMfaOn: true }), ['PASSWORD', 'PASSWORD_SRP']],
    ['a TOTP rider of a pool with MFA off', userPoolModel({ mfaConfiguration: 'OFF' }), rider({ hasTotp: true }), ['PASSWORD', 'PASSWORD_SRP', 'WEB_AUTHN']],
  ] satisfies [string, UserPoolModel, StoredUser | undefined, string[]][])('to %s', (_who, pool, user, expected) => {
    expect(availableChallenges(target(pool), user)).toEqual(expected)
  })
})
