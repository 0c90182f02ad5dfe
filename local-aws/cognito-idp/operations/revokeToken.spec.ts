import { describe, expect, it } from 'vitest'
import { refusal } from '../../../tests/support/awsErrors.ts'
import { UNSIGNED_REQUEST, localAwsFakes, riderWithTokens, type LocalAwsFakes } from '../../../tests/support/localAwsFakes.ts'
import { findSessionByRefreshToken } from '../tokens.ts'
import { createRevokeToken } from './revokeToken.ts'

function revoke(fakes: LocalAwsFakes, token: string, input: Record<string, unknown> = {}) {
  return createRevokeToken(fakes)({ ClientId: fakes.client.id, Token: token, ...input }, UNSIGNED_REQUEST)
}

describe('RevokeToken', () => {
  it('revokes the refresh token and the session its access tokens came from', async () => {
    const fakes = await localAwsFakes()
    const { RefreshToken } = await riderWithTokens(fakes)
    expect(await revoke(fakes, RefreshToken)).toEqual({})
    expect(findSessionByRefreshToken(fakes.store.state, RefreshToken)?.revoked).toBe(true)
  })

  it("answers success for a token that is not one of the client's, as OAuth revocation does", async () => {
    const fakes = await localAwsFakes()
    expect(await revoke(fakes, 'made-up-refresh-token')).toEqual({})
  })

  it('refuses an access or ID token with UnsupportedTokenTypeException', async () => {
    const fakes = await localAwsFakes()
    const { AccessToken } = await riderWithTokens(fakes)
    expect(await refusal(revoke(fakes, AccessToken))).toEqual({ code: 'UnsupportedTokenTypeException', status: 400, message: 'Only refresh tokens can be revoked.' })
  })

  it('refuses a client without token revocation with UnsupportedOperationException', async () => {
    const fakes = await localAwsFakes({ client: { enableTokenRevocation: false } })
    const { RefreshToken } = await riderWithTokens(fakes)
    expect(await refusal(revoke(fakes, RefreshToken))).toEqual({
      code: 'UnsupportedOperationException',
      status: 400,
      message: 'Token revocation is not enabled for this client.',
    })
    expect(findSessionByRefreshToken(fakes.store.state, RefreshToken)?.revoked).toBe(false)
  })

  it('refuses an unknown client with ResourceNotFoundException and a missing token with InvalidParameterException', async () => {
    const fakes = await localAwsFakes()
    expect(await refusal(revoke(fakes, 'token', { ClientId: 'unknownclient' }))).toMatchObject({ code: 'ResourceNotFoundException' })
    expect(await refusal(revoke(fakes, 'token', { Token: undefined }))).toMatchObject({ code: 'InvalidParameterException' })
  })
})
