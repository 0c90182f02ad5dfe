import {
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider'
import { describe, expect, it } from 'vitest'
import { callUserPool, type LocalAwsEndpoint } from '../support/localAws.ts'
import { expectAwsError, useTestAws } from '../support/localAwsHooks.ts'
import { latestCode } from '../support/mailbox.ts'
import { e164, newRider, RiderBrowser, riderCredentials, signInNewRider } from '../support/riders.ts'

// The Admin* operations as an operator's tool calls them: the official client, signed with the local administrator's
// key from /_local/config, and refused to anyone else the way AWS refuses them.

const local = useTestAws()

type AdminCredentials = ConstructorParameters<typeof CognitoIdentityProviderClient>[0] extends infer Config
  ? Config extends { credentials?: infer Credentials } ? Credentials : never
  : never

function adminClient(aws: LocalAwsEndpoint, credentials: AdminCredentials = aws.config.administrator): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({ region: aws.config.region, endpoint: aws.url, credentials })
}

/** The error name, HTTP status and message an SDK call is refused with. */
async function refusalOf(call: Promise<unknown>): Promise<{ name: string; status?: number; message: string }> {
  const error = (await call.then(
    () => undefined,
    (caught: unknown) => caught,
  )) as { name: string; message: string; $metadata?: { httpStatusCode?: number } } | undefined
  expect(error, 'expected a refusal').toBeDefined()
  return { name: error!.name, status: error!.$metadata?.httpStatusCode, message: error!.message }
}

describe('AdminCreateUser', () => {
  it('creates a rider who must choose a new password at the first sign-in, and emails the temporary one unless suppressed', async () => {
    const details = newRider()
    const { User } = await adminClient(local.aws).send(
      new AdminCreateUserCommand({
        UserPoolId: local.aws.config.userPoolId,
        Username: details.email,
        TemporaryPassword: 'Temporary-Pass-1',
        UserAttributes: [{ Name: 'email', Value: details.email }, { Name: 'email_verified', Value: 'true' }, { Name: 'name', Value: details.name }],
        DesiredDeliveryMediums: ['EMAIL'],
      }),
    )
    expect(User).toMatchObject({ UserStatus: 'FORCE_CHANGE_PASSWORD', Enabled: true })
    expect(User?.Attributes).toEqual(expect.arrayContaining([{ Name: 'email', Value: details.email }, { Name: 'email_verified', Value: 'true' }]))
    expect(await latestCode(local.aws.url, details.email, 'invitation')).toBe('Temporary-Pass-1')

    const { session } = await new RiderBrowser(local.aws).signInWithNewPassword(details.email, 'Temporary-Pass-1', details.password, { phone_number: e164(details.phone) })
    expect(session.getIdToken().payload).toMatchObject({ email: details.email, name: details.name })
    const user = await adminClient(local.aws).send(new AdminGetUserCommand({ UserPoolId: local.aws.config.userPoolId, Username: details.email }))
    expect(user.UserStatus).toBe('CONFIRMED')
  })

  it('refuses a name already taken and a temporary password the policy refuses', async () => {
    const { rider } = await signInNewRider(local.aws)
    const admin = adminClient(local.aws)
    const create = (Username: string, TemporaryPassword: string) =>
      admin.send(new AdminCreateUserCommand({ UserPoolId: local.aws.config.userPoolId, Username, TemporaryPassword, MessageAction: 'SUPPRESS' }))
    expect(await refusalOf(create(rider.email, 'Temporary-Pass-1'))).toMatchObject({ name: 'UsernameExistsException', status: 400 })
    expect(await refusalOf(create(newRider().email, 'short'))).toMatchObject({
      name: 'InvalidPasswordException',
      message: 'Password did not conform with policy: Password not long enough',
    })
  })
})

describe('AdminConfirmSignUp, AdminGetUser and AdminDeleteUser', () => {
  it('confirms a signed-up rider without a code, describes them, and deletes them', async () => {
    const details = newRider()
    const browser = new RiderBrowser(local.aws)
    const { userSub } = await browser.signUp(details)
    const admin = adminClient(local.aws)
    const named = { UserPoolId: local.aws.config.userPoolId, Username: details.email }
    expect((await admin.send(new AdminGetUserCommand(named))).UserStatus).toBe('UNCONFIRMED')

    await admin.send(new AdminConfirmSignUpCommand(named))
    const user = await admin.send(new AdminGetUserCommand(named))
    expect(user).toMatchObject({ Username: userSub, UserStatus: 'CONFIRMED', Enabled: true })
    expect(user.UserCreateDate).toBeInstanceOf(Date)
    // Confirmed by an administrator, not by a code: the email is still unverified.
    expect(user.UserAttributes).toEqual(expect.arrayContaining([{ Name: 'sub', Value: userSub }, { Name: 'email_verified', Value: 'false' }]))
    expect(await refusalOf(admin.send(new AdminConfirmSignUpCommand(named)))).toMatchObject({
      name: 'NotAuthorizedException',
      message: 'User cannot be confirmed. Current status is CONFIRMED',
    })
    await browser.signIn(details.email, details.password)

    await admin.send(new AdminDeleteUserCommand(named))
    expect(await refusalOf(admin.send(new AdminGetUserCommand(named)))).toMatchObject({ name: 'UserNotFoundException', message: 'User does not exist.' })
    expect(await refusalOf(admin.send(new AdminDeleteUserCommand(named)))).toMatchObject({ name: 'UserNotFoundException' })
    await expectAwsError(new RiderBrowser(local.aws).signIn(details.email, details.password), 'NotAuthorizedException', 'Incorrect username or password.')
  })

  it('answers ResourceNotFoundException for a pool that does not exist', async () => {
    const UserPoolId = `${local.aws.config.region}_NoSuchPool`
    expect(await refusalOf(adminClient(local.aws).send(new AdminGetUserCommand({ UserPoolId, Username: 'anyone@example.com' })))).toMatchObject({
      name: 'ResourceNotFoundException',
      message: `User pool ${UserPoolId} does not exist.`,
    })
  })
})

describe('who may call the Admin* operations', () => {
  it("refuses a rider's identity-pool credentials: their role allows no cognito-idp action", async () => {
    const { rider, session } = await signInNewRider(local.aws)
    const credentials = riderCredentials(local.aws, () => session.getIdToken().getJwtToken(), rider.sub)
    const refusal = await refusalOf(
      adminClient(local.aws, credentials).send(new AdminDeleteUserCommand({ UserPoolId: local.aws.config.userPoolId, Username: rider.email })),
    )
    expect(refusal).toMatchObject({ name: 'AccessDeniedException', status: 400 })
    expect(refusal.message).toMatch(
      new RegExp(`^User: arn:aws:sts::000000000000:assumed-role/[^/]+/CognitoIdentityCredentials is not authorized to perform: cognito-idp:AdminDeleteUser on resource: arn:aws:cognito-idp:${local.aws.config.region}:000000000000:userpool/${local.aws.config.userPoolId} because no identity-based policy allows the cognito-idp:AdminDeleteUser action$`),
    )
    // Still there: the refused request did nothing.
    await new RiderBrowser(local.aws).signIn(rider.email, rider.password)
  })

  it('refuses an unsigned request, an unknown key and a wrong secret', async () => {
    const named = { UserPoolId: local.aws.config.userPoolId, Username: 'anyone@example.com' }
    expect(await callUserPool(local.aws, 'AdminGetUser', named)).toEqual({
      status: 400,
      body: { __type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' },
    })
    const { accessKeyId, secretAccessKey } = local.aws.config.administrator
    expect(await refusalOf(adminClient(local.aws, { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey }).send(new AdminGetUserCommand(named)))).toMatchObject({
      name: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
    })
    expect(await refusalOf(adminClient(local.aws, { accessKeyId, secretAccessKey: `${secretAccessKey}x` }).send(new AdminGetUserCommand(named)))).toMatchObject({
      name: 'InvalidSignatureException',
      message: expect.stringMatching(/^The request signature we calculated does not match the signature you provided\./),
    })
  })
})
