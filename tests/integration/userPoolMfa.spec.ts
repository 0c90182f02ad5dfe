import { readFile, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { CognitoUserSession } from 'amazon-cognito-identity-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { authenticatorCode, nextAuthenticatorCode } from '../support/authenticator.ts'
import { callUserPool, startTestAws } from '../support/localAws.ts'
import { expectAwsError } from '../support/localAwsHooks.ts'
import { RiderBrowser, signInNewRider, type RegisteredRider } from '../support/riders.ts'

// Two-step sign-in with an authenticator app, through amazon-cognito-identity-js as the app calls it: set up
// (AssociateSoftwareToken, VerifySoftwareToken, SetUserMFAPreference), then the SOFTWARE_TOKEN_MFA step of sign-in.

let local: Awaited<ReturnType<typeof startTestAws>>
const logLines: string[] = []

beforeAll(async () => {
  local = await startTestAws({ log: (line) => logLines.push(line) })
})
afterAll(() => local.stop())

/** A new rider who has turned two-step sign-in on with an authenticator named "Pixel", and its secret. */
async function riderWithAuthenticator(): Promise<{ browser: RiderBrowser; rider: RegisteredRider; secret: string; session: CognitoUserSession }> {
  const { browser, rider, session } = await signInNewRider(local.aws)
  const secret = await browser.associateSoftwareToken()
  await browser.verifySoftwareToken(authenticatorCode(secret, local.clock.now()), 'Pixel')
  await browser.setSoftwareTokenMfa(true)
  return { browser, rider, secret, session }
}

describe('setting up an authenticator', () => {
  it('gives a 32-character base32 secret, verifies a code from it and turns two-step sign-in on', async () => {
    const { browser } = await signInNewRider(local.aws)
    const secret = await browser.associateSoftwareToken()
    expect(secret).toMatch(/^[A-Z2-7]{32}$/)
    expect(await browser.verifySoftwareToken(authenticatorCode(secret, local.clock.now()), 'Pixel')).toEqual({ Status: 'SUCCESS' })
    // Verified is not yet on: SetUserMFAPreference turns it on.
    expect((await browser.userData()).UserMFASettingList).toBeUndefined()
    expect(await browser.setSoftwareTokenMfa(true)).toBe('SUCCESS')
    const data = await browser.userData()
    expect(data.UserMFASettingList).toEqual(['SOFTWARE_TOKEN_MFA'])
    expect(data.PreferredMfaSetting).toBe('SOFTWARE_TOKEN_MFA')
  })

  it('refuses a wrong code with EnableSoftwareTokenMFAException, and turning on before a code was verified', async () => {
    const { browser } = await signInNewRider(local.aws)
    await expectAwsError(browser.setSoftwareTokenMfa(true), 'InvalidParameterException', 'User has not set up software token mfa')
    const secret = await browser.associateSoftwareToken()
    await expectAwsError(browser.verifySoftwareToken('000000' === authenticatorCode(secret, local.clock.now()) ? '111111' : '000000', 'Pixel'), 'EnableSoftwareTokenMFAException', 'Code mismatch and fail enable Software Token MFA')
    await expectAwsError(browser.setSoftwareTokenMfa(true), 'InvalidParameterException', 'User has not verified software token mfa')
    // The secret stays pending after a wrong code: the right one still verifies it.
    expect(await browser.verifySoftwareToken(authenticatorCode(secret, local.clock.now()), 'Pixel')).toEqual({ Status: 'SUCCESS' })
  })

  it('keeps the secret in the data folder only: never in the log, the outbox or the mailbox page', async () => {
    const { secret } = await riderWithAuthenticator()
    const files = await readdir(join(local.dataDir, 'cognito-idp'))
    const stored = await Promise.all(files.map((file) => readFile(join(local.dataDir, 'cognito-idp', file), 'utf8')))
    expect(stored.some((text) => text.includes(secret))).toBe(true)
    expect(logLines.join('\n')).not.toContain(secret)
    expect(await (await fetch(`${local.aws.url}/_local/outbox`)).text()).not.toContain(secret)
    expect(await (await fetch(`${local.aws.url}/_local/`)).text()).not.toContain(secret)
  })
})

describe('signing in with a code', () => {
  it('asks for the code after the password, naming the authenticator, and signs in with it', async () => {
    const { rider, secret } = await riderWithAuthenticator()
    const browser = new RiderBrowser(local.aws)
    const { user, parameters } = await browser.signInUntilCode(rider.email, rider.password)
    expect(parameters.FRIENDLY_DEVICE_NAME).toBe('Pixel')
    expect(browser.pool.getCurrentUser()).toBeNull()
    const session = await browser.sendSoftwareTokenCode(user, nextAuthenticatorCode(secret, local.clock.now()))
    expect(session.getIdToken().payload.sub).toBe(rider.sub)
    expect(browser.pool.getCurrentUser()?.getUsername()).toBe(rider.sub)
  })

  it('refuses a wrong code with CodeMismatchException and lets the rider try again in the same step', async () => {
    const { rider, secret } = await riderWithAuthenticator()
    const browser = new RiderBrowser(local.aws)
    const { user } = await browser.signInUntilCode(rider.email, rider.password)
    const right = nextAuthenticatorCode(secret, local.clock.now())
    await expectAwsError(browser.sendSoftwareTokenCode(user, right === '123456' ? '654321' : '123456'), 'CodeMismatchException', 'Invalid code received for user')
    expect((await browser.sendSoftwareTokenCode(user, right)).isValid()).toBe(true)
  })

  it('refuses a code that was already used, even within its 30 seconds', async () => {
    const { rider, secret } = await riderWithAuthenticator()
    const code = nextAuthenticatorCode(secret, local.clock.now())
    const first = new RiderBrowser(local.aws)
    await first.sendSoftwareTokenCode((await first.signInUntilCode(rider.email, rider.password)).user, code)
    const second = new RiderBrowser(local.aws)
    const { user } = await second.signInUntilCode(rider.email, rider.password)
    await expectAwsError(second.sendSoftwareTokenCode(user, code), 'ExpiredCodeException', 'Your software token has already been used once.')
    // The code of the verification is used up as well: it is older than the one just accepted.
    await expectAwsError(second.sendSoftwareTokenCode(user, authenticatorCode(secret, local.clock.now())), 'ExpiredCodeException')
  })

  it('refuses the code step once its session is three minutes old, or already answered', async () => {
    const { rider, secret } = await riderWithAuthenticator()
    const browser = new RiderBrowser(local.aws)
    const { user } = await browser.signInUntilCode(rider.email, rider.password)
    local.clock.advance(3 * 60_000 + 1000)
    await expectAwsError(browser.sendSoftwareTokenCode(user, authenticatorCode(secret, local.clock.now())), 'NotAuthorizedException', 'Invalid session for the user, session is expired.')

    const again = await browser.signInUntilCode(rider.email, rider.password)
    const session = (again.user as unknown as { Session: string }).Session
    await browser.sendSoftwareTokenCode(again.user, authenticatorCode(secret, local.clock.now()))
    const replay = await callUserPool(local.aws, 'RespondToAuthChallenge', {
      ClientId: local.aws.config.userPoolClientId,
      ChallengeName: 'SOFTWARE_TOKEN_MFA',
      Session: session,
      ChallengeResponses: { USERNAME: rider.sub, SOFTWARE_TOKEN_MFA_CODE: nextAuthenticatorCode(secret, local.clock.now()) },
    })
    expect(replay.body).toEqual({ __type: 'NotAuthorizedException', message: 'Invalid session for the user.' })
  })

  it('locks the rider out after five wrong codes, like five wrong passwords', async () => {
    const { rider, secret } = await riderWithAuthenticator()
    const browser = new RiderBrowser(local.aws)
    const right = nextAuthenticatorCode(secret, local.clock.now())
    const wrong = right === '123456' ? '654321' : '123456'
    for (let attempt = 0; attempt < 5; attempt++) {
      const { user } = await browser.signInUntilCode(rider.email, rider.password)
      await expectAwsError(browser.sendSoftwareTokenCode(user, wrong), 'CodeMismatchException')
    }
    // Locked: even the right password is refused, until the lockout (1 s after the fifth failure) is over.
    await expectAwsError(browser.signInUntilCode(rider.email, rider.password), 'NotAuthorizedException', 'Password attempts exceeded')
    local.clock.advance(1000)
    const { user } = await browser.signInUntilCode(rider.email, rider.password)
    expect((await browser.sendSoftwareTokenCode(user, right)).isValid()).toBe(true)
  })
})

describe('turning two-step sign-in off', () => {
  it('signs the rider in with the password alone again', async () => {
    const { browser, rider } = await riderWithAuthenticator()
    expect(await browser.setSoftwareTokenMfa(false)).toBe('SUCCESS')
    const data = await browser.userData()
    expect(data.UserMFASettingList).toBeUndefined()
    expect(data.PreferredMfaSetting).toBeUndefined()
    const session = await new RiderBrowser(local.aws).signIn(rider.email, rider.password)
    expect(session.getIdToken().payload.sub).toBe(rider.sub)
  })
})
