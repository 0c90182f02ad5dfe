import type { SignUpCommandOutput } from '@aws-sdk/client-cognito-identity-provider'
import { describe, expect, it } from 'vitest'
import type { JsonOutput } from '../../context.ts'
import { DAILY_EMAIL_LIMIT_MESSAGE, DEFAULT_SENDER_DAILY_EMAILS } from '../../outbox.ts'
import { refusal } from '../../../tests/support/awsErrors.ts'
import { RIDER_PASSWORD, UNSIGNED_REQUEST, addRider, lastMessageTo, localAwsFakes, type LocalAwsFakes } from '../../../tests/support/localAwsFakes.ts'
import { createSignUp } from './signUp.ts'

function signUpWith(fakes: LocalAwsFakes) {
  const signUp = createSignUp(fakes)
  return (input: Record<string, unknown>) =>
    signUp(
      {
        ClientId: fakes.client.id,
        Username: 'ada@example.com',
        Password: RIDER_PASSWORD,
        UserAttributes: [{ Name: 'name', Value: 'Ada' }, { Name: 'phone_number', Value: '+15555550100' }],
        ...input,
      },
      UNSIGNED_REQUEST,
    )
}

describe('SignUp', () => {
  it('stores an unconfirmed rider under a UUID username and emails the sign-up code', async () => {
    const fakes = await localAwsFakes()
    const answer: JsonOutput<SignUpCommandOutput> = await signUpWith(fakes)({})
    const user = fakes.store.findUser('ada@example.com')!
    expect(answer).toEqual({
      UserConfirmed: false,
      UserSub: user.sub,
      CodeDeliveryDetails: { Destination: 'a***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' },
    })
    expect(user).toMatchObject({ username: user.sub, status: 'UNCONFIRMED', attributes: { email: 'ada@example.com', email_verified: 'false', name: 'Ada' } })
    expect(lastMessageTo(fakes, 'ada@example.com')).toMatchObject({ kind: 'sign-up', code: user.codes['sign-up']!.code })
  })

  it('refuses a taken email with UsernameExistsException, whatever its case', async () => {
    const fakes = await localAwsFakes()
    addRider(fakes, { email: 'ada@example.com' })
    expect(await refusal(signUpWith(fakes)({ Username: 'ADA@example.com' }))).toEqual({
      code: 'UsernameExistsException',
      status: 400,
      message: 'An account with the given email already exists.',
    })
  })

  it("refuses a password below the pool's policy with InvalidPasswordException", async () => {
    const fakes = await localAwsFakes()
    expect(await refusal(signUpWith(fakes)({ Password: 'alllowercase1' }))).toMatchObject({ code: 'InvalidPasswordException', status: 400 })
    expect(fakes.store.findUser('ada@example.com')).toBeUndefined()
  })

  it('refuses missing required attributes, a username that is not an email and a missing member with InvalidParameterException', async () => {
    const fakes = await localAwsFakes()
    const signUp = signUpWith(fakes)
    expect(await refusal(signUp({ UserAttributes: [{ Name: 'name', Value: 'Ada' }] }))).toEqual({
      code: 'InvalidParameterException',
      status: 400,
      message: 'Attributes did not conform to the schema: phone_number: The attribute is required',
    })
    expect(await refusal(signUp({ Username: 'ada' }))).toMatchObject({ code: 'InvalidParameterException', message: 'Username should be an email.' })
    expect(await refusal(signUp({ Password: undefined }))).toMatchObject({
      code: 'InvalidParameterException',
      message: "1 validation error detected: Value null at 'password' failed to satisfy constraint: Member must not be null",
    })
  })

  it('refuses an attribute the app client may not write with NotAuthorizedException', async () => {
    const fakes = await localAwsFakes()
    expect(await refusal(signUpWith(fakes)({ UserAttributes: [{ Name: 'sub', Value: 'mine' }] }))).toMatchObject({
      code: 'NotAuthorizedException',
      message: 'A client attempted to write unauthorized attribute',
    })
  })

  it('refuses an unknown app client with ResourceNotFoundException', async () => {
    const fakes = await localAwsFakes()
    expect(await refusal(signUpWith(fakes)({ ClientId: 'unknownclient' }))).toEqual({
      code: 'ResourceNotFoundException',
      status: 400,
      message: 'User pool client unknownclient does not exist.',
    })
  })

  it("refuses a sign-up past the default email sender's daily quota with LimitExceededException", async () => {
    const fakes = await localAwsFakes({ enforceEmailQuota: true })
    for (let sent = 0; sent < DEFAULT_SENDER_DAILY_EMAILS; sent++) {
      fakes.outbox.send({ to: `rider${sent}@example.com`, kind: 'sign-up', medium: 'EMAIL', code: '123456', subject: '', body: '', isDefaultSenderEmail: true })
    }
    expect(await refusal(signUpWith(fakes)({}))).toEqual({ code: 'LimitExceededException', status: 400, message: DAILY_EMAIL_LIMIT_MESSAGE })
  })

  it('refuses a member of the wrong JSON type with SerializationException', async () => {
    const fakes = await localAwsFakes()
    expect(await refusal(signUpWith(fakes)({ UserAttributes: 'name=Ada' }))).toMatchObject({ code: 'SerializationException' })
  })
})
