import { describe, expect, it } from 'vitest'
import { refusal } from '../../../tests/support/awsErrors.ts'
import { UNSIGNED_REQUEST, localAwsFakes, riderWithTokens } from '../../../tests/support/localAwsFakes.ts'
import { addPasskey, type StoredPasskey } from '../passkeys.ts'
import { createListWebAuthnCredentials } from './listWebAuthnCredentials.ts'

function passkey(id: string, createdAt: number): StoredPasskey {
  return { id, publicKey: 'pQ', counter: 0, transports: ['usb', 'nfc'], attachment: 'cross-platform', friendlyName: 'Security key', relyingPartyId: 'localhost', createdAt }
}

/** A rider with three passkeys, and the operation. */
async function riderWithPasskeys() {
  const fakes = await localAwsFakes()
  const rider = await riderWithTokens(fakes)
  fakes.store.update((draft) => {
    for (const [index, id] of ['AAE', 'AAI', 'AAM'].entries()) addPasskey(draft.users[rider.user.username]!, passkey(id, 1_764_576_000_000 + index * 1000))
  })
  return { rider, list: createListWebAuthnCredentials(fakes) }
}

describe('ListWebAuthnCredentials', () => {
  it("lists the rider's passkeys as Cognito describes them, a page at a time", async () => {
    const { rider, list } = await riderWithPasskeys()
    const first = await list({ AccessToken: rider.AccessToken, MaxResults: 2 }, UNSIGNED_REQUEST)
    expect(first.Credentials).toEqual([
      { CredentialId: 'AAE', FriendlyCredentialName: 'Security key', RelyingPartyId: 'localhost', AuthenticatorAttachment: 'cross-platform', AuthenticatorTransports: ['usb', 'nfc'], CreatedAt: 1_764_576_000 },
      expect.objectContaining({ CredentialId: 'AAI', CreatedAt: 1_764_576_001 }),
    ])
    const second = await list({ AccessToken: rider.AccessToken, MaxResults: 2, NextToken: first.NextToken }, UNSIGNED_REQUEST)
    expect(second).toEqual({ Credentials: [expect.objectContaining({ CredentialId: 'AAM' })] })
  })

  it('refuses MaxResults out of 1 to 20 or not a number, and a NextToken it did not give', async () => {
    const { rider, list } = await riderWithPasskeys()
    expect(await refusal(list({ AccessToken: rider.AccessToken, MaxResults: 0 }, UNSIGNED_REQUEST))).toMatchObject({
      code: 'InvalidParameterException',
      message: "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1",
    })
    expect(await refusal(list({ AccessToken: rider.AccessToken, MaxResults: '5' }, UNSIGNED_REQUEST))).toMatchObject({ code: 'SerializationException' })
    expect(await refusal(list({ AccessToken: rider.AccessToken, NextToken: 'QUJD' }, UNSIGNED_REQUEST))).toMatchObject({ code: 'InvalidParameterException', message: 'Invalid NextToken' })
  })
})
