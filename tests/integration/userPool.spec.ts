import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose'
import { describe, expect, it } from 'vitest'
import { callUserPool } from '../support/localAws.ts'
import { expectAwsError, useTestAws } from '../support/localAwsHooks.ts'
import { latestCode } from '../support/mailbox.ts'
import { RiderBrowser, newRider, registerRider } from '../support/riders.ts'

// The rider's whole account life through amazon-cognito-identity-js, unmodified but for `endpoint`, against local AWS.

const local = useTestAws()

describe('sign-up and confirmation', () => {
  it('signs a rider up, sends a code to the email, and confirms them', async () => {
    const browser = new RiderBrowser(local.aws)
    const details = newRider()
    const result = await browser.signUp(details)
    expect(result.userConfirmed).toBe(false)
    expect(result.userSub).toMatch(/^[0-9a-f-]{36}$/)
    expect(result.codeDeliveryDetails).toEqual({ AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 'r***@e***' })
    const message = local.aws.context.outbox.messages.findLast((candidate) => candidate.to === details.email)!
    expect(message.subject).toBe('Your Wild Rydes verification code')
    expect(message.body).toBe(`Your Wild Rydes verification code is ${message.code}. It expires in 24 hours.`)
    expect(message.code).toMatch(/^\d{6}$/)
    await expectAwsError(browser.signIn(details.email, details.password), 'UserNotConfirmedException', 'User is not confirmed.')
    // Whatever the password, as on AWS: the app can send the rider to confirm (docs/aws-behaviour.md#unconfirmed-riders-are-told-so-whatever-the-password).
    await expectAwsError(browser.signIn(details.email, 'Not-The-Password-1'), 'UserNotConfirmedException', 'User is not confirmed.')
    expect(await browser.confirmSignUp(details.email, message.code)).toBe('SUCCESS')
    const session = await browser.signIn(details.email, details.password)
    expect(session.getIdToken().payload).toMatchObject({ email: details.email, email_verified: true, sub: result.userSub })
    // Two keys, as Cognito publishes them: each token names its own (docs/aws-behaviour.md#tokens-and-jwks).
    const jwks = (await (await fetch(`${local.aws.url}/${local.aws.config.userPoolId}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] }
    const kidOf = (token: string) => (JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as { kid: string }).kid
    const kids = [kidOf(session.getIdToken().getJwtToken()), kidOf(session.getAccessToken().getJwtToken())]
    expect(jwks.keys.map(({ kid }) => kid).sort()).toEqual([...kids].sort())
    expect(kids[0]).not.toBe(kids[1])
  })

  it('refuses a second sign-up with the same email, whatever its case', async () => {
    const browser = new RiderBrowser(local.aws)
    const details = newRider()
    await browser.signUp(details)
    await expectAwsError(browser.signUp({ ...details, email: details.email.toUpperCase() }), 'UsernameExistsException', 'An account with the given email already exists.')
  })

  it('names the password rule a weak password breaks', async () => {
    const browser = new RiderBrowser(local.aws)
    await expectAwsError(
      browser.signUp(newRider({ password: 'unicorn-ride-9' })),
      'InvalidPasswordException',
      'Password did not conform with policy: Password must have uppercase characters',
    )
    await expectAwsError(browser.signUp(newRider({ password: 'Uni-9' })), 'InvalidPasswordException', 'Password did not conform with policy: Password not long enough')
  })

  it('requires the schema\'s required attributes and refuses unknown or unwritable ones', async () => {
    const browser = new RiderBrowser(local.aws)
    const details = newRider()
    await expectAwsError(
      browser.signUp(details, { email: details.email, name: details.name }),
      'InvalidParameterException',
      'Attributes did not conform to the schema: phone_number: The attribute is required',
    )
    await expectAwsError(
      browser.signUp(details, { email: details.email, phone_number: details.phone, name: details.name, shoe_size: '42' }),
      'InvalidParameterException',
      'Attributes did not conform to the schema: Type for attribute {shoe_size} could not be determined',
    )
    await expectAwsError(
      browser.signUp(details, { email: details.email, phone_number: details.phone, name: details.name, email_verified: 'true' }),
      'NotAuthorizedException',
      'A client attempted to write unauthorized attribute',
    )
    await expectAwsError(
      browser.signUp({ ...details, email: 'not-an-email' }, { phone_number: details.phone, name: details.name }),
      'InvalidParameterException',
      'Username should be an email.',
    )
    await expectAwsError(
      browser.signUp(details, { email: details.email, phone_number: '555-0100', name: details.name }),
      'InvalidParameterException',
      'Invalid phone number format.',
    )
  })

  it('refuses a wrong code, then a right one after five wrong ones, and never accepts a code twice', async () => {
    const browser = new RiderBrowser(local.aws)
    const details = newRider()
    await browser.signUp(details)
    const code = await latestCode(local.aws.url, details.email, 'sign-up')
    const wrong = code === '000000' ? '111111' : '000000'
    for (let attempt = 0; attempt < 5; attempt++) {
      await expectAwsError(browser.confirmSignUp(details.email, wrong), 'CodeMismatchException', 'Invalid verification code provided, please try again.')
    }
    await expectAwsError(browser.confirmSignUp(details.email, code), 'LimitExceededException', 'Attempt limit exceeded, please try after some time.')
    await browser.resendConfirmationCode(details.email)
    const fresh = await latestCode(local.aws.url, details.email, 'sign-up')
    await browser.confirmSignUp(details.email, fresh)
    await expectAwsError(browser.confirmSignUp(details.email, fresh), 'NotAuthorizedException', 'User cannot be confirmed. Current status is CONFIRMED')
  })

  it('expires a sign-up code after 24 hours', async () => {
    const browser = new RiderBrowser(local.aws)
    const details = newRider()
    await browser.signUp(details)
    const code = await latestCode(local.aws.url, details.email, 'sign-up')
    local.clock.advance(24 * 3600_000)
    await expectAwsError(browser.confirmSignUp(details.email, code), 'ExpiredCodeException', 'Invalid code provided, please request a code again.')
  })

  it('limits how many codes can be resent', async () => {
    const browser = new RiderBrowser(local.aws)
    const details = newRider()
    await browser.signUp(details)
    for (let resend = 0; resend < 4; resend++) await browser.resendConfirmationCode(details.email)
    await expectAwsError(browser.resendConfirmationCode(details.email), 'LimitExceededException', 'Attempt limit exceeded, please try after some time.')
    local.clock.advance(3600_000)
    expect((await browser.resendConfirmationCode(details.email)).CodeDeliveryDetails.AttributeName).toBe('email')
  })
})

describe('sign-in', () => {
  it('signs in with SRP and issues tokens that verify against the JWKS', async () => {
    const browser = new RiderBrowser(local.aws)
    const rider = await registerRider(browser)
    const session = await browser.signIn(rider.email.toUpperCase(), rider.password)
    const issuer = `https://cognito-idp.${local.aws.config.region}.amazonaws.com/${local.aws.config.userPoolId}`
    const jwks = createRemoteJWKSet(new URL(`${local.aws.url}/${local.aws.config.userPoolId}/.well-known/jwks.json`))
    const { payload: id } = await jwtVerify(session.getIdToken().getJwtToken(), jwks, { issuer, audience: local.aws.config.userPoolClientId, currentDate: new Date(local.clock.now()) })
    expect(id).toMatchObject({
      sub: rider.sub,
      token_use: 'id',
      email: rider.email,
      email_verified: true,
      phone_number: rider.phone,
      phone_number_verified: false,
      name: rider.name,
    })
    expect(id['cognito:username']).toBe(rider.sub)
    expect(id.exp! - id.iat!).toBe(3600)
    const access = decodeJwt(session.getAccessToken().getJwtToken())
    expect(access).toMatchObject({ sub: rider.sub, client_id: local.aws.config.userPoolClientId, token_use: 'access', scope: 'aws.cognito.signin.user.admin', username: rider.sub, iss: issuer })
    expect(access.origin_jti).toBe(id.origin_jti)
    expect(browser.pool.getCurrentUser()!.getUsername()).toBe(rider.sub)
  })

  it('answers a wrong password and an unknown user alike', async () => {
    const browser = new RiderBrowser(local.aws)
    const rider = await registerRider(browser)
    await expectAwsError(browser.signIn(rider.email, 'Wrong-Password-1'), 'NotAuthorizedException', 'Incorrect username or password.')
    await expectAwsError(browser.signIn('nobody@example.com', rider.password), 'NotAuthorizedException', 'Incorrect username or password.')
  })

  it('gives an unknown user the same salt and user id on every attempt', async () => {
    const attempt = () => callUserPool(local.aws, 'InitiateAuth', {
      AuthFlow: 'USER_SRP_AUTH', ClientId: local.aws.config.userPoolClientId, AuthParameters: { USERNAME: 'ghost@example.com', SRP_A: 'abc123' },
    })
    const [first, second] = [await attempt(), await attempt()]
    const parameters = (response: typeof first) => response.body.ChallengeParameters as Record<string, string>
    expect(first.status).toBe(200)
    expect(parameters(first).SALT).toBe(parameters(second).SALT)
    expect(parameters(first).USER_ID_FOR_SRP).toBe(parameters(second).USER_ID_FOR_SRP)
    expect(parameters(first).SRP_B).not.toBe(parameters(second).SRP_B)
  })

  it('refuses USER_PASSWORD_AUTH, which the app client does not allow', async () => {
    const browser = new RiderBrowser(local.aws)
    const rider = await registerRider(browser)
    await expectAwsError(
      browser.signIn(rider.email, rider.password, 'USER_PASSWORD_AUTH'),
      'InvalidParameterException',
      'USER_PASSWORD_AUTH flow not enabled for this client',
    )
  })
})
