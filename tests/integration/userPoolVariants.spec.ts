import { afterEach, describe, expect, it } from 'vitest'
import type { CognitoUserSession } from 'amazon-cognito-identity-js'
import { AuthenticationDetails } from 'amazon-cognito-identity-js'
import { authenticatorCode } from '../support/authenticator.ts'
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
    ['- [ALLOW_USER_SRP_AUTH, ALLOW_REFRESH_TOKEN_AUTH, ALLOW_USER_AUTH]', '- [ALLOW_USER_SRP_AUTH, ALLOW_REFRESH_TOKEN_AUTH, ALLOW_USER_AUTH, ALLOW_USER_PASSWORD_AUTH]'],
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

describe('a user pool that requires two-step sign-in (MfaConfiguration ON)', () => {
  it('makes a rider without an authenticator set one up during sign-in (MFA_SETUP), with sessions instead of tokens', async () => {
    const { aws, clock, ...rest } = await startWithTemplateEdits([['MfaConfiguration: OPTIONAL', 'MfaConfiguration: "ON"']])
    started = { aws, ...rest }
    const browser = new RiderBrowser(aws)
    const rider = await registerRider(browser)
    const user = browser.user(rider.email)
    let canSetUp = ''
    const session = await new Promise<CognitoUserSession>((resolve, reject) =>
      user.authenticateUser(new AuthenticationDetails({ Username: rider.email, Password: rider.password }), {
        onSuccess: () => reject(new Error('expected MFA_SETUP')),
        onFailure: reject,
        mfaSetup: (_name: string, parameters: Record<string, string>) => {
          canSetUp = parameters.MFAS_CAN_SETUP ?? ''
          // Not signed in yet: the library sends the challenge's Session, and each answer brings a new one.
          user.associateSoftwareToken({
            associateSecretCode: (secret: string) =>
              user.verifySoftwareToken(authenticatorCode(secret, clock.now()), 'Pixel', { onSuccess: resolve, onFailure: reject }),
            onFailure: reject,
          })
        },
      }),
    )
    expect(canSetUp).toBe('["SOFTWARE_TOKEN_MFA"]')
    expect(session.getIdToken().payload.sub).toBe(rider.sub)
    expect((await browser.userData()).UserMFASettingList).toEqual(['SOFTWARE_TOKEN_MFA'])
    // From now on the pool asks this rider for a code.
    expect((await new RiderBrowser(aws).signInUntilCode(rider.email, rider.password)).parameters).toEqual({ USER_ID_FOR_SRP: rider.sub, FRIENDLY_DEVICE_NAME: 'Pixel' })
  })
})
