import { decodeJwt, decodeProtectedHeader } from 'jose'
import { describe, expect, it } from 'vitest'
import { callUserPool, refreshDirectly, startTestAws } from '../support/localAws.ts'
import { expectAwsError, useTestAws } from '../support/localAwsHooks.ts'
import { latestCode } from '../support/mailbox.ts'
import { RiderBrowser, inviteRider, newRider, registerRider, signInNewRider } from '../support/riders.ts'

// Sessions and their tokens: refresh, sign-out here or everywhere, expiry, tampering, lockout, temporary passwords.

const local = useTestAws()

function getUser(accessToken: string) {
  return callUserPool(local.aws, 'GetUser', { AccessToken: accessToken })
}

describe('refresh', () => {
  it('refreshes ID and access tokens from the same session, without a new refresh token', async () => {
    const { browser, session } = await signInNewRider(local.aws)
    const refreshToken = session.getRefreshToken().getToken()
    local.clock.advance(30 * 60_000)
    const { status, body } = await refreshDirectly(local.aws, refreshToken)
    expect(status).toBe(200)
    const result = body.AuthenticationResult as Record<string, unknown>
    expect(Object.keys(result).sort()).toEqual(['AccessToken', 'ExpiresIn', 'IdToken', 'TokenType'])
    const before = decodeJwt(session.getIdToken().getJwtToken())
    const after = decodeJwt(result.IdToken as string)
    expect(after.origin_jti).toBe(before.origin_jti)
    expect(after.auth_time).toBe(before.auth_time)
    expect(after.iat).toBe(before.iat! + 30 * 60)
    expect(after.jti).not.toBe(before.jti)
    // The library keeps its refresh token when the answer has none.
    const refreshed = await browser.refreshSession(refreshToken)
    expect(refreshed.getRefreshToken().getToken()).toBe(refreshToken)
  })

  it('restores an expired session with the refresh token (getSession)', async () => {
    const { browser, session } = await signInNewRider(local.aws)
    local.clock.advance(61 * 60_000)
    await expectAwsError(browser.attributes(), 'NotAuthorizedException', 'Access Token has expired')
    // As after a reload in a browser whose clock reads the server's (fake) time: the stored tokens are read back,
    // found expired, and refreshed.
    const reloaded = new RiderBrowser(local.aws)
    const prefix = `CognitoIdentityServiceProvider.${local.aws.config.userPoolClientId}.${browser.user().getUsername()}`
    for (const key of ['idToken', 'accessToken', 'refreshToken']) reloaded.storage.setItem(`${prefix}.${key}`, browser.storage.getItem(`${prefix}.${key}`)!)
    reloaded.storage.setItem(`${prefix}.clockDrift`, String(Math.floor(Date.now() / 1000) - Math.floor(local.clock.now() / 1000)))
    reloaded.storage.setItem(`CognitoIdentityServiceProvider.${local.aws.config.userPoolClientId}.LastAuthUser`, browser.user().getUsername())
    const restored = await reloaded.getSession()
    expect(restored.getAccessToken().getJwtToken()).not.toBe(session.getAccessToken().getJwtToken())
    expect(await reloaded.attributes()).toHaveProperty('email')
  })

  it('refuses a refresh token after 30 days, or for another client, or made up', async () => {
    const { session } = await signInNewRider(local.aws)
    const refreshToken = session.getRefreshToken().getToken()
    expect((await callUserPool(local.aws, 'InitiateAuth', { ClientId: 'otherclient', AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: refreshToken } })).body)
      .toEqual({ __type: 'ResourceNotFoundException', message: 'User pool client otherclient does not exist.' })
    expect((await refreshDirectly(local.aws, 'made-up')).body).toEqual({ __type: 'NotAuthorizedException', message: 'Invalid Refresh Token' })
    local.clock.advance(30 * 86_400_000)
    expect((await refreshDirectly(local.aws, refreshToken)).body).toEqual({ __type: 'NotAuthorizedException', message: 'Refresh Token has expired' })
  })
})

describe('sign-out', () => {
  it('signOut(callback) revokes that session only: its refresh and access tokens stop working', async () => {
    const { browser, rider, session } = await signInNewRider(local.aws)
    const elsewhere = new RiderBrowser(local.aws)
    const other = await elsewhere.signIn(rider.email, rider.password)
    await browser.signOut()
    expect(browser.pool.getCurrentUser()).toBeNull()
    expect((await refreshDirectly(local.aws, session.getRefreshToken().getToken())).body).toEqual({ __type: 'NotAuthorizedException', message: 'Refresh Token has been revoked' })
    expect((await getUser(session.getAccessToken().getJwtToken())).body).toEqual({ __type: 'NotAuthorizedException', message: 'Access Token has been revoked' })
    expect((await getUser(other.getAccessToken().getJwtToken())).status).toBe(200)
    expect((await refreshDirectly(local.aws, other.getRefreshToken().getToken())).status).toBe(200)
  })

  it('GlobalSignOut ends every session: access tokens issued before it are refused and refresh fails', async () => {
    const { browser, rider, session } = await signInNewRider(local.aws)
    const elsewhere = new RiderBrowser(local.aws)
    const other = await elsewhere.signIn(rider.email, rider.password)
    expect(await browser.globalSignOut()).toBe('SUCCESS')
    for (const ended of [session, other]) {
      expect((await getUser(ended.getAccessToken().getJwtToken())).body).toEqual({ __type: 'NotAuthorizedException', message: 'Access Token has been revoked' })
      expect((await refreshDirectly(local.aws, ended.getRefreshToken().getToken())).body).toEqual({ __type: 'NotAuthorizedException', message: 'Refresh Token has been revoked' })
    }
    const again = await new RiderBrowser(local.aws).signIn(rider.email, rider.password)
    expect((await getUser(again.getAccessToken().getJwtToken())).status).toBe(200)
  })

  it('RevokeToken takes refresh tokens only, and says nothing about tokens it does not know', async () => {
    const { session } = await signInNewRider(local.aws)
    const revoke = (token: string) => callUserPool(local.aws, 'RevokeToken', { ClientId: local.aws.config.userPoolClientId, Token: token })
    expect((await revoke(session.getAccessToken().getJwtToken())).body.__type).toBe('UnsupportedTokenTypeException')
    expect(await revoke('not-a-token-we-issued')).toEqual({ status: 200, body: {} })
  })
})

describe('access tokens', () => {
  it('refuses a tampered token, an ID token and an expired token', async () => {
    const { session } = await signInNewRider(local.aws)
    const [header, payload, signature] = session.getAccessToken().getJwtToken().split('.') as [string, string, string]
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>
    const forged = Buffer.from(JSON.stringify({ ...claims, username: 'someone-else' })).toString('base64url')
    expect((await getUser(`${header}.${forged}.${signature}`)).body).toEqual({ __type: 'NotAuthorizedException', message: 'Invalid Access Token' })
    expect((await getUser(session.getIdToken().getJwtToken())).body).toEqual({ __type: 'NotAuthorizedException', message: 'Invalid Access Token' })
    local.clock.advance(3600_000)
    expect((await getUser(session.getAccessToken().getJwtToken())).body).toEqual({ __type: 'NotAuthorizedException', message: 'Access Token has expired' })
  })
})

describe('lockout', () => {
  it('locks a rider out after five wrong passwords, even for the right one, for 1 s, then 2 s, …', async () => {
    const browser = new RiderBrowser(local.aws)
    const rider = await registerRider(browser)
    const wrong = () => expectAwsError(browser.signIn(rider.email, 'Wrong-Password-1'), 'NotAuthorizedException', 'Incorrect username or password.')
    const lockedOut = () => expectAwsError(browser.signIn(rider.email, rider.password), 'NotAuthorizedException', 'Password attempts exceeded')
    for (let attempt = 0; attempt < 5; attempt++) await wrong()
    await lockedOut()
    local.clock.advance(1000)
    await wrong()
    await lockedOut()
    local.clock.advance(1000)
    await lockedOut()
    local.clock.advance(1000)
    await browser.signIn(rider.email, rider.password)
    // A successful sign-in forgets the failures.
    for (let attempt = 0; attempt < 4; attempt++) await wrong()
    await browser.signIn(rider.email, rider.password)
  })
})

describe('temporary passwords', () => {
  // A local AWS of their own: AdminCreateUser is signed with the real time, which the shared clock has left behind.
  const invited = useTestAws()

  it('asks a rider created with a temporary password for a new one and the missing required attributes', async () => {
    const details = newRider()
    await inviteRider(invited.aws, details, 'Temporary-Pass-1')
    const browser = new RiderBrowser(invited.aws)
    await expectAwsError(browser.signInWithNewPassword(details.email, 'Temporary-Pass-1', 'weak', { name: 'Ada' }), 'InvalidPasswordException', 'Password did not conform with policy: Password not long enough')
    const { session, challengeAttributes, requiredAttributes } = await browser.signInWithNewPassword(details.email, 'Temporary-Pass-1', details.password, { name: 'Ada' })
    expect(requiredAttributes).toEqual(['name'])
    expect(challengeAttributes).toEqual({ email: details.email, email_verified: 'true', phone_number: details.phone, phone_number_verified: 'false' })
    expect(session.getIdToken().payload).toMatchObject({ email: details.email, name: 'Ada' })
    await expectAwsError(new RiderBrowser(invited.aws).signIn(details.email, 'Temporary-Pass-1'), 'NotAuthorizedException', 'Incorrect username or password.')
    await new RiderBrowser(invited.aws).signIn(details.email, details.password)
  })

  it('refuses a temporary password older than the policy allows', async () => {
    const details = newRider()
    await inviteRider(invited.aws, details, 'Temporary-Pass-1')
    invited.clock.advance(7 * 86_400_000)
    await expectAwsError(
      new RiderBrowser(invited.aws).signInWithNewPassword(details.email, 'Temporary-Pass-1', details.password),
      'NotAuthorizedException',
      'Temporary password has expired and must be reset by an administrator.',
    )
  })
})

describe('restart', () => {
  it('keeps riders, subs, codes, sessions and the signing key on the same data folder', async () => {
    const { aws: first, dataDir } = await startTestAws()
    const browser = new RiderBrowser(first)
    const rider = await registerRider(browser)
    const session = await browser.signIn(rider.email, rider.password)
    const pending = newRider()
    await new RiderBrowser(first).signUp(pending)
    const { keys } = first.context.keys.jwks
    await first.stop()

    const { aws: second, stop } = await startTestAws({ dataDir })
    try {
      expect(second.config.userPoolId).toBe(first.config.userPoolId)
      expect(second.context.keys.jwks.keys).toEqual(keys)
      expect(decodeProtectedHeader(session.getIdToken().getJwtToken()).kid).toBe(keys[0]!.kid)
      const again = await new RiderBrowser(second).signIn(rider.email, rider.password)
      expect(again.getIdToken().payload.sub).toBe(rider.sub)
      expect((await refreshDirectly(second, session.getRefreshToken().getToken())).status).toBe(200)
      expect((await callUserPool(second, 'GetUser', { AccessToken: session.getAccessToken().getJwtToken() })).status).toBe(200)
      // A code sent before the restart still confirms after it.
      expect(await new RiderBrowser(second).confirmSignUp(pending.email, await latestCode(second.url, pending.email, 'sign-up'))).toBe('SUCCESS')
    } finally {
      await stop()
    }
  })
})
