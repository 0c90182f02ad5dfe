import type { GetCredentialsForIdentityCommandOutput } from '@aws-sdk/client-cognito-identity'
import { describe, expect, it } from 'vitest'
import type { JsonOutput } from '../../context.ts'
import { refusal } from '../../../tests/support/awsErrors.ts'
import { UNSIGNED_REQUEST, localAwsFakes, model, riderRole, riderWithTokens, type LocalAwsFakes } from '../../../tests/support/localAwsFakes.ts'
import type { CompiledRoles } from '../../iam/roles.ts'
import { createGetCredentialsForIdentity } from './getCredentialsForIdentity.ts'

const identityPool = model.identityPools[0]!

function getCredentials(fakes: LocalAwsFakes, input: Record<string, unknown>, roles: CompiledRoles = fakes.roles) {
  return createGetCredentialsForIdentity({ ...fakes, model, roles })(input, UNSIGNED_REQUEST)
}

/** A signed-in rider and the identity GetId gave them. */
async function riderWithIdentity(fakes: LocalAwsFakes) {
  const rider = await riderWithTokens(fakes)
  const identity = fakes.identities.findOrCreate(identityPool.id, fakes.pool.providerName, rider.user.sub)
  return { ...rider, identityId: identity.identityId, Logins: { [fakes.pool.providerName]: rider.IdToken } }
}

describe('GetCredentialsForIdentity', () => {
  it("issues an hour of the rider role's credentials, remembered with the identity they were issued for", async () => {
    const fakes = await localAwsFakes()
    const { identityId, Logins } = await riderWithIdentity(fakes)
    const answer: JsonOutput<GetCredentialsForIdentityCommandOutput> = await getCredentials(fakes, { IdentityId: identityId, Logins })
    expect(answer).toEqual({
      IdentityId: identityId,
      Credentials: {
        AccessKeyId: expect.stringMatching(/^ASIA[A-Z2-7]{16}$/),
        SecretKey: expect.any(String),
        SessionToken: expect.any(String),
        Expiration: fakes.clock.now() / 1000 + 3600,
      },
    })
    expect(fakes.credentials.find(answer.Credentials!.AccessKeyId!)).toMatchObject({ roleArn: riderRole.arn, identityId, identityPoolId: identityPool.id })
  })

  it("refuses another rider's ID token with NotAuthorizedException", async () => {
    const fakes = await localAwsFakes()
    const { identityId } = await riderWithIdentity(fakes)
    const other = await riderWithTokens(fakes)
    expect(await refusal(getCredentials(fakes, { IdentityId: identityId, Logins: { [fakes.pool.providerName]: other.IdToken } }))).toEqual({
      code: 'NotAuthorizedException',
      status: 400,
      message: "Logins don't match. Please include at least one valid login for this identity or identity pool.",
    })
  })

  it('refuses a token the user pool no longer holds and a forged one with NotAuthorizedException', async () => {
    const fakes = await localAwsFakes()
    const { user, identityId, IdToken } = await riderWithIdentity(fakes)
    const [header, payload] = IdToken.split('.')
    const forged = `${header}.${payload}.${Buffer.from('not the signature').toString('base64url')}`
    expect(await refusal(getCredentials(fakes, { IdentityId: identityId, Logins: { [fakes.pool.providerName]: forged } }))).toMatchObject({
      message: "Invalid login token. Couldn't verify signed token.",
    })
    fakes.store.update((draft) => void delete draft.users[user.username])
    expect(await refusal(getCredentials(fakes, { IdentityId: identityId, Logins: { [fakes.pool.providerName]: IdToken } }))).toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Invalid login token. Token has been revoked',
    })
  })

  it('refuses an unknown identity with ResourceNotFoundException', async () => {
    const fakes = await localAwsFakes()
    expect(await refusal(getCredentials(fakes, { IdentityId: 'us-east-1:00000000-0000-4000-8000-000000000000' }))).toEqual({
      code: 'ResourceNotFoundException',
      status: 400,
      message: "Identity 'us-east-1:00000000-0000-4000-8000-000000000000' not found.",
    })
    expect(await refusal(getCredentials(fakes, { IdentityId: '__proto__' }))).toMatchObject({ code: 'ResourceNotFoundException' })
  })

  it("refuses with InvalidIdentityPoolConfigurationException when the pool's role is missing or does not trust the pool", async () => {
    const fakes = await localAwsFakes()
    const { identityId, Logins } = await riderWithIdentity(fakes)
    const configuration = {
      code: 'InvalidIdentityPoolConfigurationException',
      status: 400,
      message: 'Invalid identity pool configuration. Check assigned IAM roles for this pool.',
    }
    expect(await refusal(getCredentials(fakes, { IdentityId: identityId, Logins }, new Map()))).toEqual(configuration)
    const distrusting: CompiledRoles = new Map([...fakes.roles].map(([arn, role]) => [arn, { ...role, trust: { ...role.trust, statements: [] } }]))
    expect(await refusal(getCredentials(fakes, { IdentityId: identityId, Logins }, distrusting))).toEqual(configuration)
  })

  it('refuses a missing identity id with InvalidParameterException', async () => {
    const fakes = await localAwsFakes()
    expect(await refusal(getCredentials(fakes, {}))).toMatchObject({ code: 'InvalidParameterException' })
  })
})
