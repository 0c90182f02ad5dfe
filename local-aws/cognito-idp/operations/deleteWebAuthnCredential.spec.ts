import { describe, expect, it } from 'vitest'
import { refusal } from '../../../tests/support/awsErrors.ts'
import { UNSIGNED_REQUEST, localAwsFakes, riderWithTokens, storedUser } from '../../../tests/support/localAwsFakes.ts'
import { addPasskey, passkeysOf } from '../passkeys.ts'
import { createDeleteWebAuthnCredential } from './deleteWebAuthnCredential.ts'

describe('DeleteWebAuthnCredential', () => {
  it("removes one of the rider's passkeys; one they do not have is ResourceNotFoundException", async () => {
    const fakes = await localAwsFakes()
    const { user, AccessToken } = await riderWithTokens(fakes)
    fakes.store.update((draft) => {
      for (const id of ['AAE', 'AAI']) addPasskey(draft.users[user.username]!, { id, publicKey: 'pQ', counter: 0, transports: [], friendlyName: 'Passkey', relyingPartyId: 'localhost', createdAt: 0 })
    })
    const remove = createDeleteWebAuthnCredential(fakes)
    expect(await remove({ AccessToken, CredentialId: 'AAI' }, UNSIGNED_REQUEST)).toEqual({})
    expect(passkeysOf(storedUser(fakes, user.username)!).map(({ id }) => id)).toEqual(['AAE'])
    expect(await refusal(remove({ AccessToken, CredentialId: 'AAI' }, UNSIGNED_REQUEST))).toEqual({ code: 'ResourceNotFoundException', status: 400, message: 'Credential not found.' })
  })
})
