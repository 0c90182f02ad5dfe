import type { GetIdCommandOutput } from '@aws-sdk/client-cognito-identity'
import { describe, expect, it } from 'vitest'
import type { JsonOutput } from '../../context.ts'
import { refusal } from '../../../tests/support/awsErrors.ts'
import { UNSIGNED_REQUEST, localAwsFakes, model, riderWithTokens, type LocalAwsFakes } from '../../../tests/support/localAwsFakes.ts'
import { revokeSessionsOf } from '../../cognito-idp/tokens.ts'
import { createGetId } from './getId.ts'

const identityPool = model.identityPools[0]!

function getId(fakes: LocalAwsFakes, input: Record<string, unknown>) {
  return createGetId({ ...fakes, model })({ IdentityPoolId: identityPool.id, ...input }, UNSIGNED_REQUEST)
}

describe('GetId', () => {
  it("answers the rider's identity id, the same one on every call", async () => {
    const fakes = await localAwsFakes()
    const { user, IdToken } = await riderWithTokens(fakes)
    const Logins = { [fakes.pool.providerName]: IdToken }
    const answer: JsonOutput<GetIdCommandOutput> = await getId(fakes, { Logins })
    expect(answer).toEqual({ IdentityId: expect.stringMatching(/^us-east-1:[0-9a-f-]{36}$/) })
    expect(await getId(fakes, { Logins })).toEqual(answer)
    expect(fakes.identities.find(answer.IdentityId!)).toMatchObject({ identityPoolId: identityPool.id, logins: { [fakes.pool.providerName]: user.sub } })
  })

  it('refuses no logins, an access token, an expired token and a signed-out one with NotAuthorizedException', async () => {
    const fakes = await localAwsFakes()
    const { user, IdToken, AccessToken } = await riderWithTokens(fakes)
    expect(await refusal(getId(fakes, {}))).toEqual({
      code: 'NotAuthorizedException',
      status: 400,
      message: 'Unauthenticated access is not supported for this identity pool.',
    })
    expect(await refusal(getId(fakes, { Logins: { [fakes.pool.providerName]: AccessToken } }))).toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Invalid login token. Missing a required claim: aud',
    })
    fakes.store.update((draft) => revokeSessionsOf(draft, user.username))
    expect(await refusal(getId(fakes, { Logins: { [fakes.pool.providerName]: IdToken } }))).toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Invalid login token. Token has been revoked',
    })
    fakes.clock.advance(fakes.client.idTokenValiditySeconds * 1000)
    expect(await refusal(getId(fakes, { Logins: { [fakes.pool.providerName]: IdToken } }))).toMatchObject({
      code: 'NotAuthorizedException',
      message: expect.stringMatching(/^Invalid login token\. Token expired: \d+ >= \d+$/),
    })
  })

  it('refuses a provider the pool does not trust with NotAuthorizedException', async () => {
    const fakes = await localAwsFakes()
    const { IdToken } = await riderWithTokens(fakes)
    expect(await refusal(getId(fakes, { Logins: { 'accounts.google.com': IdToken } }))).toEqual({
      code: 'NotAuthorizedException',
      status: 400,
      message: 'Token is not from a supported provider of this identity pool.',
    })
  })

  it('refuses an unknown identity pool with ResourceNotFoundException', async () => {
    const fakes = await localAwsFakes()
    expect(await refusal(getId(fakes, { IdentityPoolId: 'us-east-1:00000000-0000-4000-8000-000000000000' }))).toEqual({
      code: 'ResourceNotFoundException',
      status: 400,
      message: "IdentityPool 'us-east-1:00000000-0000-4000-8000-000000000000' not found.",
    })
  })

  it('refuses a missing pool id with InvalidParameterException', async () => {
    const fakes = await localAwsFakes()
    expect(await refusal(getId(fakes, { IdentityPoolId: undefined }))).toEqual({
      code: 'InvalidParameterException',
      status: 400,
      message: "1 validation error detected: Value null at 'identityPoolId' failed to satisfy constraint: Member must not be null",
    })
  })
})
