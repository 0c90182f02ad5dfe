import type { AssociateSoftwareTokenCommandOutput } from '@aws-sdk/client-cognito-identity-provider'
import { describe, expect, it } from 'vitest'
import type { JsonOutput } from '../../context.ts'
import { refusal } from '../../../tests/support/awsErrors.ts'
import { UNSIGNED_REQUEST, addAuthenticator, localAwsFakes, riderWithTokens, storedUser, type LocalAwsFakes } from '../../../tests/support/localAwsFakes.ts'
import { createAssociateSoftwareToken } from './associateSoftwareToken.ts'

function associate(fakes: LocalAwsFakes, input: Record<string, unknown>) {
  return createAssociateSoftwareToken({ ...fakes.signIn, authenticate: fakes.authenticate })(input, UNSIGNED_REQUEST)
}

describe('AssociateSoftwareToken', () => {
  it('gives the signed-in rider a new secret, kept pending beside the token they already have', async () => {
    const fakes = await localAwsFakes()
    const { user, AccessToken } = await riderWithTokens(fakes)
    const current = addAuthenticator(fakes, user)
    const answer: JsonOutput<AssociateSoftwareTokenCommandOutput> = await associate(fakes, { AccessToken })
    expect(answer).toEqual({ SecretCode: expect.stringMatching(/^[A-Z2-7]{32,}$/) })
    expect(storedUser(fakes, user.username)?.softwareTokenMfa).toMatchObject({ pending: { secret: answer.SecretCode }, token: { secret: current } })
  })

  it('refuses a pool without software tokens among its factors with SoftwareTokenMFANotFoundException', async () => {
    const fakes = await localAwsFakes({ pool: { enabledMfas: [] } })
    const { AccessToken } = await riderWithTokens(fakes)
    expect(await refusal(associate(fakes, { AccessToken }))).toEqual({
      code: 'SoftwareTokenMFANotFoundException',
      status: 400,
      message: 'Software Token MFA is not enabled for the user pool.',
    })
  })

  it('refuses an invalid access token or session with NotAuthorizedException', async () => {
    const fakes = await localAwsFakes()
    expect(await refusal(associate(fakes, { AccessToken: 'abc' }))).toMatchObject({ code: 'NotAuthorizedException', message: 'Invalid Access Token' })
    expect(await refusal(associate(fakes, { Session: 'made-up-session' }))).toEqual({ code: 'NotAuthorizedException', status: 400, message: 'Invalid session for the user.' })
  })

  it('refuses a request with neither an access token nor a session with InvalidParameterException', async () => {
    const fakes = await localAwsFakes()
    expect(await refusal(associate(fakes, {}))).toEqual({ code: 'InvalidParameterException', status: 400, message: 'Either AccessToken or Session must be provided' })
  })
})
