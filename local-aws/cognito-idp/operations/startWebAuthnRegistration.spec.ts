import { describe, expect, it } from 'vitest'
import { refusal } from '../../../tests/support/awsErrors.ts'
import { UNSIGNED_REQUEST, localAwsFakes, riderWithTokens, type LocalAwsFakes } from '../../../tests/support/localAwsFakes.ts'
import type { CreationOptionsJSON } from '../../../tests/support/passkeyAuthenticator.ts'
import { PasskeyRegistrations } from '../passkeyRegistrations.ts'
import { addPasskey } from '../passkeys.ts'
import type { AccessTokenCheck } from '../tokens.ts'
import { createStartWebAuthnRegistration } from './startWebAuthnRegistration.ts'

function startRegistration(fakes: LocalAwsFakes, authenticate: AccessTokenCheck = fakes.authenticate) {
  const start = createStartWebAuthnRegistration({ authenticate, registrations: new PasskeyRegistrations(fakes.clock) })
  return async (AccessToken: string) => (await start({ AccessToken }, UNSIGNED_REQUEST)).CredentialCreationOptions as unknown as CreationOptionsJSON
}

describe('StartWebAuthnRegistration', () => {
  it('answers the options for a new passkey of the signed-in rider, excluding the passkeys they have', async () => {
    const fakes = await localAwsFakes()
    const { user, AccessToken } = await riderWithTokens(fakes, { attributes: { name: 'Ada Lovelace' } })
    fakes.store.update((draft) => {
      addPasskey(draft.users[user.username]!, {
        id: 'AAE', publicKey: 'pQ', counter: 0, transports: ['usb'], attachment: 'cross-platform', friendlyName: 'Security key', relyingPartyId: 'localhost', createdAt: fakes.clock.now(),
      })
    })
    const start = startRegistration(fakes)
    const options = await start(AccessToken)
    expect(options).toMatchObject({
      rp: { id: 'localhost' },
      user: { id: Buffer.from(user.sub).toString('base64url'), name: user.attributes.email, displayName: 'Ada Lovelace' },
      excludeCredentials: [expect.objectContaining({ id: 'AAE', type: 'public-key' })],
      authenticatorSelection: { residentKey: 'required' },
    })
    expect(options.challenge).toMatch(/^[\w-]{16,}$/)
    expect((await start(AccessToken)).challenge).not.toBe(options.challenge)
  })

  it("refuses a missing AccessToken and a token that is not one of the pool's access tokens", async () => {
    const fakes = await localAwsFakes()
    const { IdToken } = await riderWithTokens(fakes)
    const start = startRegistration(fakes)
    expect(await refusal(start(undefined as unknown as string))).toEqual({
      code: 'InvalidParameterException',
      status: 400,
      message: "1 validation error detected: Value null at 'accessToken' failed to satisfy constraint: Member must not be null",
    })
    expect(await refusal(start(IdToken))).toMatchObject({ code: 'NotAuthorizedException', status: 400, message: 'Invalid Access Token' })
  })

  it('refuses with WebAuthnNotEnabledException in a pool where passkeys are not a sign-in factor', async () => {
    const fakes = await localAwsFakes()
    const { AccessToken } = await riderWithTokens(fakes)
    const withoutPasskeys: AccessTokenCheck = async (token) => {
      const checked = await fakes.authenticate(token)
      return { ...checked, pool: { ...checked.pool, allowedFirstAuthFactors: ['PASSWORD'] } }
    }
    expect(await refusal(startRegistration(fakes, withoutPasskeys)(AccessToken))).toEqual({
      code: 'WebAuthnNotEnabledException',
      status: 400,
      message: 'Passkeys are not enabled for this user pool.',
    })
  })
})
