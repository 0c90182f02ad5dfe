import type { AdminGetUserCommandOutput } from '@aws-sdk/client-cognito-identity-provider'
import { describe, expect, it } from 'vitest'
import type { JsonOutput } from '../../context.ts'
import { refusal } from '../../../tests/support/awsErrors.ts'
import { UNSIGNED_REQUEST, addRider, adminRequest, localAwsFakes, riderSession, type LocalAwsFakes } from '../../../tests/support/localAwsFakes.ts'
import { createAdminGetUser } from './adminGetUser.ts'

async function adminGetUser(fakes: LocalAwsFakes, input: Record<string, unknown>, credentials = fakes.administratorKey) {
  return createAdminGetUser(fakes)(input, await adminRequest(fakes, 'AdminGetUser', input, credentials))
}

describe('AdminGetUser', () => {
  it('describes a rider with every attribute, sub first, to the administrator', async () => {
    const fakes = await localAwsFakes()
    const user = addRider(fakes, { email: 'ada@example.com' })
    const answer: JsonOutput<AdminGetUserCommandOutput> = await adminGetUser(fakes, { UserPoolId: fakes.pool.id, Username: 'ada@example.com' })
    expect(answer).toMatchObject({
      Username: user.username,
      UserStatus: 'CONFIRMED',
      Enabled: true,
      UserCreateDate: fakes.clock.now() / 1000,
      UserLastModifiedDate: fakes.clock.now() / 1000,
    })
    expect(answer.UserAttributes?.[0]).toEqual({ Name: 'sub', Value: user.sub })
    expect(answer.UserAttributes).toContainEqual({ Name: 'email', Value: 'ada@example.com' })
  })

  it('refuses an unknown rider with UserNotFoundException, even where the app client hides them', async () => {
    const fakes = await localAwsFakes()
    expect(await refusal(adminGetUser(fakes, { UserPoolId: fakes.pool.id, Username: 'nobody@example.com' }))).toEqual({
      code: 'UserNotFoundException',
      status: 400,
      message: 'User does not exist.',
    })
  })

  it('refuses an unknown pool with ResourceNotFoundException and a malformed pool id with InvalidParameterException', async () => {
    const fakes = await localAwsFakes()
    expect(await refusal(adminGetUser(fakes, { UserPoolId: 'us-east-1_Nope', Username: 'ada@example.com' }))).toEqual({
      code: 'ResourceNotFoundException',
      status: 400,
      message: 'User pool us-east-1_Nope does not exist.',
    })
    expect(await refusal(adminGetUser(fakes, { UserPoolId: 'no-pool', Username: 'ada@example.com' }))).toMatchObject({ code: 'InvalidParameterException' })
  })

  it("refuses a rider's credentials with AccessDeniedException and an unsigned request with MissingAuthenticationTokenException", async () => {
    const fakes = await localAwsFakes()
    const session = riderSession(fakes)
    const input = { UserPoolId: fakes.pool.id, Username: 'ada@example.com' }
    expect(await refusal(adminGetUser(fakes, input, session))).toMatchObject({
      code: 'AccessDeniedException',
      message: expect.stringContaining(`is not authorized to perform: cognito-idp:AdminGetUser on resource: ${fakes.pool.arn}`),
    })
    expect(await refusal(createAdminGetUser(fakes)(input, UNSIGNED_REQUEST))).toEqual({
      code: 'MissingAuthenticationTokenException',
      status: 400,
      message: 'Missing Authentication Token',
    })
  })
})
