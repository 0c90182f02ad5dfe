import { afterEach, describe, expect, it } from 'vitest'
import { RiderBrowser, newRider, registerRider } from '../support/riders.ts'
import { startTestAws, type ScratchLocalAws } from '../support/localAws.ts'
import { expectAwsError, startWithTemplateEdits } from '../support/localAwsHooks.ts'

// Local AWS takes its user pool from the template: a different template or parameter gives a different pool.

let started: ScratchLocalAws | undefined

afterEach(async () => {
  await started?.stop()
  started = undefined
})

describe('template parameters', () => {
  it('applies the password policy the parameters choose', async () => {
    started = await startTestAws({ parameters: { PasswordRequireSymbols: 'true', PasswordMinimumLength: '12' } })
    const browser = new RiderBrowser(started.aws)
    await expectAwsError(browser.signUp(newRider({ password: 'Unicorn-9' })), 'InvalidPasswordException', 'Password did not conform with policy: Password not long enough')
    await expectAwsError(browser.signUp(newRider({ password: 'UnicornRide99' })), 'InvalidPasswordException', 'Password did not conform with policy: Password must have symbol characters')
    expect((await browser.signUp(newRider({ password: 'Unicorn Ride 99' }))).userConfirmed).toBe(false)
  })
})

describe('an app client with USER_PASSWORD_AUTH and legacy user-existence errors', () => {
  const edits: [string, string][] = [
    ['ExplicitAuthFlows: [ALLOW_USER_SRP_AUTH, ALLOW_REFRESH_TOKEN_AUTH]', 'ExplicitAuthFlows: [ALLOW_USER_SRP_AUTH, ALLOW_REFRESH_TOKEN_AUTH, ALLOW_USER_PASSWORD_AUTH]'],
    ['PreventUserExistenceErrors: ENABLED', 'PreventUserExistenceErrors: LEGACY'],
  ]

  it('signs in with a plain password, checked against the SRP verifier', async () => {
    started = await startWithTemplateEdits(edits)
    const browser = new RiderBrowser(started.aws)
    const rider = await registerRider(browser)
    const session = await browser.signIn(rider.email, rider.password, 'USER_PASSWORD_AUTH')
    expect(session.getIdToken().payload.sub).toBe(rider.sub)
    await expectAwsError(browser.signIn(rider.email, 'Wrong-Password-1', 'USER_PASSWORD_AUTH'), 'NotAuthorizedException', 'Incorrect username or password.')
  })

  it('says when a user does not exist', async () => {
    started = await startWithTemplateEdits(edits)
    const browser = new RiderBrowser(started.aws)
    await expectAwsError(browser.signIn('ghost@example.com', 'Unicorn-Ride-9'), 'UserNotFoundException', 'User does not exist.')
    await expectAwsError(browser.forgotPassword('ghost@example.com'), 'UserNotFoundException', 'Username/client id combination not found.')
    await expectAwsError(browser.confirmSignUp('ghost@example.com', '123456'), 'UserNotFoundException', 'Username/client id combination not found.')
    await expectAwsError(browser.resendConfirmationCode('ghost@example.com'), 'UserNotFoundException', 'Username/client id combination not found.')
  })
})
