import { describe, expect, it } from 'vitest'
import { refreshDirectly } from '../support/localAws.ts'
import { expectAwsError, useTestAws } from '../support/localAwsHooks.ts'
import { latestCode, uniqueEmail } from '../support/mailbox.ts'
import { RiderBrowser, newRider, registerRider, signInNewRider } from '../support/riders.ts'

// What a signed-in rider does on /profile, through amazon-cognito-identity-js against local AWS.

const local = useTestAws()

describe('attributes', () => {
  it('reads the attributes the app client may read, sub first', async () => {
    const { browser, rider } = await signInNewRider(local.aws)
    const attributes = await browser.attributes()
    expect(Object.keys(attributes)[0]).toBe('sub')
    expect(attributes).toEqual({
      sub: rider.sub,
      email: rider.email,
      email_verified: 'true',
      phone_number: rider.phone,
      phone_number_verified: 'false',
      name: rider.name,
    })
  })

  it('updates picture and name at once, and the refreshed ID token carries them', async () => {
    const { browser } = await signInNewRider(local.aws)
    expect(await browser.updateAttributes({ picture: 'protected/eu-west-1:abc/profile/1.webp', name: 'Ada' })).toEqual({})
    const session = await browser.refreshSession((await browser.getSession()).getRefreshToken().getToken())
    expect(session.getIdToken().payload).toMatchObject({ picture: 'protected/eu-west-1:abc/profile/1.webp', name: 'Ada' })
  })

  it('keeps the old email, verified, until the new one is verified with its code', async () => {
    const { browser, rider } = await signInNewRider(local.aws)
    const newEmail = uniqueEmail()
    expect(await browser.updateAttributes({ email: newEmail })).toEqual({
      CodeDeliveryDetailsList: [{ AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 'r***@e***' }],
    })
    expect(await browser.attributes()).toMatchObject({ email: rider.email, email_verified: 'true' })
    // The rider still signs in with the old email, and the new one is nobody's yet.
    await new RiderBrowser(local.aws).signIn(rider.email, rider.password)
    await expectAwsError(new RiderBrowser(local.aws).signIn(newEmail, rider.password), 'NotAuthorizedException', 'Incorrect username or password.')

    const code = await latestCode(local.aws.url, newEmail, 'verify-attribute')
    await expectAwsError(browser.verifyAttribute('email', code === '000000' ? '111111' : '000000'), 'CodeMismatchException')
    expect(await browser.verifyAttribute('email', code)).toBe('SUCCESS')
    expect(await browser.attributes()).toMatchObject({ email: newEmail, email_verified: 'true' })
    await new RiderBrowser(local.aws).signIn(newEmail, rider.password)
    await expectAwsError(new RiderBrowser(local.aws).signIn(rider.email, rider.password), 'NotAuthorizedException', 'Incorrect username or password.')
    await expectAwsError(browser.verifyAttribute('email', code), 'ExpiredCodeException', 'Invalid code provided, please request a code again.')
  })

  it('refuses an email another rider signs in with', async () => {
    const { browser } = await signInNewRider(local.aws)
    const other = await registerRider(new RiderBrowser(local.aws))
    await expectAwsError(browser.updateAttributes({ email: other.email }), 'AliasExistsException', 'An account with the given email already exists.')
  })

  it('sends a new code on request, to the email waiting for verification', async () => {
    const { browser } = await signInNewRider(local.aws)
    const newEmail = uniqueEmail()
    await browser.updateAttributes({ email: newEmail })
    const first = await latestCode(local.aws.url, newEmail, 'verify-attribute')
    expect(await browser.getAttributeVerificationCode('email')).toEqual({
      CodeDeliveryDetails: { AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 'r***@e***' },
    })
    const second = await latestCode(local.aws.url, newEmail, 'verify-attribute')
    if (first !== second) await expectAwsError(browser.verifyAttribute('email', first), 'CodeMismatchException')
    await browser.verifyAttribute('email', second)
    expect((await browser.attributes()).email).toBe(newEmail)
  })

  it('expires an attribute code after 24 hours', async () => {
    const { browser } = await signInNewRider(local.aws)
    const newEmail = uniqueEmail()
    await browser.updateAttributes({ email: newEmail })
    const code = await latestCode(local.aws.url, newEmail, 'verify-attribute')
    local.clock.advance(24 * 3600_000)
    // Keep the session's tokens valid: sign in again at the new time.
    const session = await browser.getSession()
    await browser.refreshSession(session.getRefreshToken().getToken())
    await expectAwsError(browser.verifyAttribute('email', code), 'ExpiredCodeException')
  })

  it('marks a changed phone number unverified at once', async () => {
    const { browser } = await signInNewRider(local.aws)
    await browser.updateAttributes({ phone_number: '+447700900123' })
    expect(await browser.attributes()).toMatchObject({ phone_number: '+447700900123', phone_number_verified: 'false' })
  })

  it('refuses attributes the schema does not know or the client may not write', async () => {
    const { browser } = await signInNewRider(local.aws)
    await expectAwsError(browser.updateAttributes({ favourite_unicorn: 'Shadowfax' }), 'InvalidParameterException', 'Attributes did not conform to the schema: Type for attribute {favourite_unicorn} could not be determined')
    await expectAwsError(browser.updateAttributes({ email_verified: 'true' }), 'NotAuthorizedException', 'A client attempted to write unauthorized attribute')
    await expectAwsError(browser.updateAttributes({ given_name: 'Ada' }), 'NotAuthorizedException', 'A client attempted to write unauthorized attribute')
    await expectAwsError(browser.updateAttributes({ email: 'not an email' }), 'InvalidParameterException', 'Invalid email address format.')
  })

  it('deletes an optional attribute and refuses to delete a required one', async () => {
    const { browser } = await signInNewRider(local.aws)
    await browser.updateAttributes({ picture: 'protected/x/profile/1.webp' })
    expect(await browser.deleteAttributes(['picture'])).toBe('SUCCESS')
    expect(await browser.attributes()).not.toHaveProperty('picture')
    await expectAwsError(browser.deleteAttributes(['name']), 'InvalidParameterException', 'Attributes did not conform to the schema: name: The attribute is required')
  })
})

describe('passwords', () => {
  it('changes the password: the old one stops working, the new one works', async () => {
    const { browser, rider } = await signInNewRider(local.aws)
    await expectAwsError(browser.changePassword('Wrong-Password-1', 'Brand-New-Ride-2'), 'NotAuthorizedException', 'Incorrect username or password.')
    await expectAwsError(browser.changePassword(rider.password, 'brand-new-ride-2'), 'InvalidPasswordException', 'Password did not conform with policy: Password must have uppercase characters')
    expect(await browser.changePassword(rider.password, 'Brand-New-Ride-2')).toBe('SUCCESS')
    await expectAwsError(new RiderBrowser(local.aws).signIn(rider.email, rider.password), 'NotAuthorizedException', 'Incorrect username or password.')
    await new RiderBrowser(local.aws).signIn(rider.email, 'Brand-New-Ride-2')
  })

  it('resets a forgotten password with the emailed code, which works once', async () => {
    const browser = new RiderBrowser(local.aws)
    const rider = await registerRider(browser)
    expect((await browser.forgotPassword(rider.email)).CodeDeliveryDetails).toEqual({ AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 'r***@e***' })
    const code = await latestCode(local.aws.url, rider.email, 'forgot-password')
    await expectAwsError(browser.confirmPassword(rider.email, code, 'weak'), 'InvalidPasswordException', 'Password did not conform with policy: Password not long enough')
    await expectAwsError(browser.confirmPassword(rider.email, code === '000000' ? '111111' : '000000', 'Reset-Ride-3'), 'CodeMismatchException')
    expect(await browser.confirmPassword(rider.email, code, 'Reset-Ride-3')).toBe('SUCCESS')
    await expectAwsError(browser.confirmPassword(rider.email, code, 'Reset-Ride-4'), 'ExpiredCodeException', 'Invalid code provided, please request a code again.')
    await browser.signIn(rider.email, 'Reset-Ride-3')
  })

  it('expires a reset code after one hour', async () => {
    const browser = new RiderBrowser(local.aws)
    const rider = await registerRider(browser)
    await browser.forgotPassword(rider.email)
    const code = await latestCode(local.aws.url, rider.email, 'forgot-password')
    local.clock.advance(3600_000)
    await expectAwsError(browser.confirmPassword(rider.email, code, 'Reset-Ride-3'), 'ExpiredCodeException')
  })

  it('pretends to send a reset code to an unknown user, and refuses any code for them', async () => {
    const browser = new RiderBrowser(local.aws)
    const before = local.aws.context.outbox.messages.length
    expect((await browser.forgotPassword('ghost@example.com')).CodeDeliveryDetails).toEqual({ AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 'g***@e***' })
    expect(local.aws.context.outbox.messages.length).toBe(before)
    await expectAwsError(browser.confirmPassword('ghost@example.com', '123456', 'Reset-Ride-3'), 'CodeMismatchException')
  })

  it('will not reset the password of a rider whose email was never verified', async () => {
    const browser = new RiderBrowser(local.aws)
    const details = newRider()
    await browser.signUp(details)
    await expectAwsError(browser.forgotPassword(details.email), 'InvalidParameterException', 'Cannot reset password for the user as there is no registered/verified email or phone_number')
  })
})

describe('deleting the account', () => {
  it('deletes the rider: their tokens stop working and their email can sign up again', async () => {
    const { browser, rider } = await signInNewRider(local.aws)
    const session = await browser.getSession()
    const survivor = new RiderBrowser(local.aws)
    await survivor.signIn(rider.email, rider.password)
    expect(await browser.deleteUser()).toBe('SUCCESS')
    await expectAwsError(survivor.attributes(), 'NotAuthorizedException', 'Access Token has been revoked')
    expect(await refreshDirectly(local.aws, session.getRefreshToken().getToken())).toEqual({ status: 400, body: { __type: 'NotAuthorizedException', message: 'Invalid Refresh Token' } })
    await expectAwsError(new RiderBrowser(local.aws).signIn(rider.email, rider.password), 'NotAuthorizedException', 'Incorrect username or password.')
    const again = await new RiderBrowser(local.aws).signUp({ ...rider })
    expect(again.userSub).not.toBe(rider.sub)
  })
})
