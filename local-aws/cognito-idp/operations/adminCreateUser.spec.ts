import type { AdminCreateUserCommandOutput } from '@aws-sdk/client-cognito-identity-provider'
import { describe, expect, it } from 'vitest'
import type { JsonOutput } from '../../context.ts'
import { refusal } from '../../../tests/support/awsErrors.ts'
import { addRider, adminRequest, lastMessageTo, localAwsFakes, riderSession, storedUser, type LocalAwsFakes } from '../../../tests/support/localAwsFakes.ts'
import { passwordMatchesVerifier } from '../srp.ts'
import { srpPoolName } from '../users.ts'
import { createAdminCreateUser } from './adminCreateUser.ts'

const ATTRIBUTES = [
  { Name: 'email', Value: 'ada@example.com' },
  { Name: 'name', Value: 'Ada' },
]

async function adminCreate(fakes: LocalAwsFakes, input: Record<string, unknown>, credentials = fakes.administratorKey) {
  const body = { UserPoolId: fakes.pool.id, Username: 'ada@example.com', UserAttributes: ATTRIBUTES, DesiredDeliveryMediums: ['EMAIL'], ...input }
  return createAdminCreateUser(fakes)(body, await adminRequest(fakes, 'AdminCreateUser', body, credentials))
}

describe('AdminCreateUser', () => {
  it('stores a rider in FORCE_CHANGE_PASSWORD with the given temporary password and emails the invitation', async () => {
    const fakes = await localAwsFakes()
    const answer: JsonOutput<AdminCreateUserCommandOutput> = await adminCreate(fakes, { TemporaryPassword: 'Temp-pass-123' })
    const user = fakes.store.findUser('ada@example.com')!
    expect(answer.User).toMatchObject({ Username: user.username, UserStatus: 'FORCE_CHANGE_PASSWORD', Enabled: true })
    expect(user.temporaryPasswordExpiresAt).toBe(fakes.clock.now() + 7 * 86_400_000)
    expect(passwordMatchesVerifier(srpPoolName(fakes.pool), user.username, 'Temp-pass-123', user.verifier)).toBe(true)
    expect(lastMessageTo(fakes, 'ada@example.com')).toMatchObject({
      kind: 'invitation',
      medium: 'EMAIL',
      body: 'Your username is ada@example.com and temporary password is Temp-pass-123.',
    })
  })

  it("generates a temporary password to the pool's policy and sends nothing when told to SUPPRESS", async () => {
    const fakes = await localAwsFakes()
    await adminCreate(fakes, { MessageAction: 'SUPPRESS' })
    expect(fakes.store.findUser('ada@example.com')?.status).toBe('FORCE_CHANGE_PASSWORD')
    expect(fakes.outbox.messages).toEqual([])
  })

  it('RESENDs a new temporary password to a rider still in FORCE_CHANGE_PASSWORD, and refuses any other with UnsupportedUserStateException', async () => {
    const fakes = await localAwsFakes()
    await adminCreate(fakes, { TemporaryPassword: 'Temp-pass-123', MessageAction: 'SUPPRESS' })
    await adminCreate(fakes, { TemporaryPassword: 'Temp-pass-456', MessageAction: 'RESEND' })
    expect(lastMessageTo(fakes, 'ada@example.com')?.code).toBe('Temp-pass-456')
    const confirmed = addRider(fakes, { email: 'grace@example.com' })
    expect(await refusal(adminCreate(fakes, { Username: 'grace@example.com', MessageAction: 'RESEND' }))).toEqual({
      code: 'UnsupportedUserStateException',
      status: 400,
      message: `Resend not possible. ${confirmed.username} status is not FORCE_CHANGE_PASSWORD.`,
    })
  })

  it('refuses a taken email with UsernameExistsException and RESEND for no one with UserNotFoundException', async () => {
    const fakes = await localAwsFakes()
    addRider(fakes, { email: 'ada@example.com' })
    expect(await refusal(adminCreate(fakes, {}))).toMatchObject({ code: 'UsernameExistsException', message: 'An account with the given email already exists.' })
    expect(await refusal(adminCreate(fakes, { Username: 'nobody@example.com', MessageAction: 'RESEND' }))).toMatchObject({ code: 'UserNotFoundException' })
  })

  it("refuses a temporary password below the pool's policy with InvalidPasswordException", async () => {
    const fakes = await localAwsFakes()
    expect(await refusal(adminCreate(fakes, { TemporaryPassword: 'weakpass' }))).toMatchObject({ code: 'InvalidPasswordException' })
    expect(fakes.store.findUser('ada@example.com')).toBeUndefined()
  })

  it('refuses an unknown message action and an SMS invitation from a pool without SMS configuration with InvalidParameterException', async () => {
    const fakes = await localAwsFakes()
    expect(await refusal(adminCreate(fakes, { MessageAction: 'SHOUT' }))).toEqual({
      code: 'InvalidParameterException',
      status: 400,
      message: "1 validation error detected: Value 'SHOUT' at 'messageAction' failed to satisfy constraint: Member must satisfy enum value set: [RESEND, SUPPRESS]",
    })
    const byPhone = { UserAttributes: [...ATTRIBUTES, { Name: 'phone_number', Value: '+15555550100' }], DesiredDeliveryMediums: ['SMS'] }
    expect(await refusal(adminCreate(fakes, byPhone))).toMatchObject({
      code: 'InvalidParameterException',
      message: 'Invalid phone number provided/Unable to send the message. User pool does not have SMS configuration to send messages.',
    })
    expect(fakes.store.findUser('ada@example.com')).toBeUndefined()
  })

  it("refuses a rider's credentials with AccessDeniedException and an unknown pool with ResourceNotFoundException", async () => {
    const fakes = await localAwsFakes()
    expect(await refusal(adminCreate(fakes, { MessageAction: 'SUPPRESS' }, riderSession(fakes)))).toMatchObject({ code: 'AccessDeniedException' })
    expect(await refusal(adminCreate(fakes, { UserPoolId: 'us-east-1_Nope' }))).toMatchObject({ code: 'ResourceNotFoundException' })
    expect(storedUser(fakes, 'ada@example.com')).toBeUndefined()
  })
})
