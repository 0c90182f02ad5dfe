import { describe, expect, it } from 'vitest'
import { refusal } from '../../../tests/support/awsErrors.ts'
import { UNSIGNED_REQUEST, localAwsFakes, riderWithTokens, storedUser, type LocalAwsFakes } from '../../../tests/support/localAwsFakes.ts'
import { PasskeyAuthenticator, type CreationOptionsJSON } from '../../../tests/support/passkeyAuthenticator.ts'
import { PasskeyRegistrations } from '../passkeyRegistrations.ts'
import { passkeysOf } from '../passkeys.ts'
import type { AccessTokenCheck } from '../tokens.ts'
import { createCompleteWebAuthnRegistration } from './completeWebAuthnRegistration.ts'
import { createStartWebAuthnRegistration } from './startWebAuthnRegistration.ts'

/** StartWebAuthnRegistration and CompleteWebAuthnRegistration sharing one set of open registrations. */
function registration(fakes: LocalAwsFakes, authenticate: AccessTokenCheck = fakes.authenticate) {
  const registrations = new PasskeyRegistrations(fakes.clock)
  return {
    start: createStartWebAuthnRegistration({ authenticate: fakes.authenticate, registrations }),
    complete: createCompleteWebAuthnRegistration({ authenticate, registrations, clock: fakes.clock }),
  }
}

async function creationOptions(start: ReturnType<typeof registration>['start'], AccessToken: string): Promise<CreationOptionsJSON> {
  return (await start({ AccessToken }, UNSIGNED_REQUEST)).CredentialCreationOptions as unknown as CreationOptionsJSON
}

describe('CompleteWebAuthnRegistration', () => {
  it('stores the passkey the authenticator made on the rider', async () => {
    const fakes = await localAwsFakes()
    const { user, AccessToken } = await riderWithTokens(fakes)
    const { start, complete } = registration(fakes)
    const authenticator = new PasskeyAuthenticator({ attachment: 'cross-platform' })
    expect(await complete({ AccessToken, Credential: authenticator.create(await creationOptions(start, AccessToken)) }, UNSIGNED_REQUEST)).toEqual({})
    expect(passkeysOf(storedUser(fakes, user.username)!)).toEqual([
      expect.objectContaining({ id: authenticator.credentialIds[0], friendlyName: 'Security key', attachment: 'cross-platform', createdAt: fakes.clock.now() }),
    ])
  })

  it('refuses a registration started through another app client with WebAuthnClientMismatchException, using it up', async () => {
    const fakes = await localAwsFakes()
    const { AccessToken } = await riderWithTokens(fakes)
    const otherClient = { ...fakes.client, id: 'otherclient000000000000000' }
    const throughOtherClient: AccessTokenCheck = async (token) => ({ ...(await fakes.authenticate(token)), client: otherClient })
    const { start, complete } = registration(fakes, throughOtherClient)
    const credential = new PasskeyAuthenticator().create(await creationOptions(start, AccessToken))
    expect(await refusal(complete({ AccessToken, Credential: credential }, UNSIGNED_REQUEST))).toMatchObject({ code: 'WebAuthnClientMismatchException', status: 400 })
    const sameClient = registration(fakes)
    expect(await refusal(sameClient.complete({ AccessToken, Credential: credential }, UNSIGNED_REQUEST))).toMatchObject({ code: 'WebAuthnChallengeNotFoundException' })
  })

  it('refuses a missing Credential and an expired challenge', async () => {
    const fakes = await localAwsFakes()
    const { AccessToken } = await riderWithTokens(fakes)
    const { start, complete } = registration(fakes)
    expect(await refusal(complete({ AccessToken }, UNSIGNED_REQUEST))).toEqual({
      code: 'InvalidParameterException',
      status: 400,
      message: "1 validation error detected: Value null at 'credential' failed to satisfy constraint: Member must not be null",
    })
    const credential = new PasskeyAuthenticator().create(await creationOptions(start, AccessToken))
    fakes.clock.advance(3 * 60_000)
    expect(await refusal(complete({ AccessToken, Credential: credential }, UNSIGNED_REQUEST))).toMatchObject({ code: 'WebAuthnChallengeNotFoundException' })
  })
})
