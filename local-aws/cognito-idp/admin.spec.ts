import { describe, expect, it } from 'vitest'
import { FakeClock } from '../../tests/support/fakeClock.ts'
import type { JsonRequest } from '../context.ts'
import type { SessionCredentials } from '../credentials.ts'
import { ADMINISTRATOR_ACCESS, administratorArn } from '../iam/administrator.ts'
import { createAuthorizer } from '../iam/authorize.ts'
import { refusal } from '../../tests/support/awsErrors.ts'
import { signedAdminRequest } from '../../tests/support/localAwsFakes.ts'
import { createAdminAuthorizer } from './admin.ts'

const POOL_ID = 'eu-west-1_Smoke1'
const administrator: SessionCredentials = {
  accessKeyId: 'AKIAADMINISTRATOR001',
  secretAccessKey: 'administrator-secret',
  sessionToken: '',
  expiration: Number.MAX_SAFE_INTEGER,
  roleArn: administratorArn('000000000000'),
  roleId: 'AIDAADMIN',
  identityId: '',
  identityPoolId: '',
  amr: [],
}

function setUp() {
  const clock = new FakeClock(Date.UTC(2026, 10, 30, 12))
  const sessions = new Map([[administrator.accessKeyId, administrator]])
  const authorizeAdmin = createAdminAuthorizer({
    credentials: { find: (accessKeyId) => sessions.get(accessKeyId) },
    authorize: createAuthorizer(new Map(), { arn: administrator.roleArn, policy: ADMINISTRATOR_ACCESS }),
    clock,
    accountId: '000000000000',
  })
  return { clock, sessions, authorizeAdmin }
}

/** An AdminGetUser request as the SDK signs it, at `signingDate`, for `region`. */
function signedRequest(signingDate: Date, { region = 'eu-west-1', credentials = administrator } = {}): Promise<JsonRequest> {
  return signedAdminRequest('AdminGetUser', { UserPoolId: POOL_ID, Username: 'rider@example.com' }, { credentials, signingDate, region })
}

describe('the SigV4 and IAM check of the Admin* operations', () => {
  it("lets the administrator's signed request through", async () => {
    const { clock, authorizeAdmin } = setUp()
    await expect(authorizeAdmin(await signedRequest(new Date(clock.now())), 'AdminGetUser', POOL_ID)).resolves.toBeUndefined()
  })

  it('refuses a request signed more than five minutes from the clock, or for another region', async () => {
    const { clock, authorizeAdmin } = setUp()
    const request = await signedRequest(new Date(clock.now()))
    clock.advance(5 * 60_000 + 1000)
    expect(await refusal(authorizeAdmin(request, 'AdminGetUser', POOL_ID))).toMatchObject({ code: 'InvalidSignatureException', status: 400 })
    const elsewhere = await signedRequest(new Date(clock.now()), { region: 'us-east-1' })
    expect(await refusal(authorizeAdmin(elsewhere, 'AdminGetUser', POOL_ID))).toEqual({
      code: 'InvalidSignatureException',
      status: 400,
      message: "Credential should be scoped to a valid region, not 'us-east-1'.",
    })
  })

  it('refuses expired temporary credentials, and a body changed after signing', async () => {
    const { clock, sessions, authorizeAdmin } = setUp()
    const expired: SessionCredentials = { ...administrator, accessKeyId: 'ASIAEXPIRED000000001', sessionToken: 'token', expiration: clock.now() - 1 }
    sessions.set(expired.accessKeyId, expired)
    expect(await refusal(authorizeAdmin(await signedRequest(new Date(clock.now()), { credentials: expired }), 'AdminGetUser', POOL_ID))).toEqual({
      code: 'ExpiredTokenException',
      status: 400,
      message: 'The security token included in the request is expired',
    })
    const tampered = await signedRequest(new Date(clock.now()))
    tampered.body = Buffer.from(JSON.stringify({ UserPoolId: POOL_ID, Username: 'someone-else@example.com' }))
    expect(await refusal(authorizeAdmin(tampered, 'AdminGetUser', POOL_ID))).toMatchObject({ code: 'InvalidSignatureException' })
  })
})
