import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { CognitoUserPool, type CognitoUserSession } from 'amazon-cognito-identity-js'
import { createPinia, setActivePinia } from 'pinia'
import { claimsOf } from '@/lib/aws/claims'
import { refreshDirectly } from '../support/localAws.ts'
import { useTestAws } from '../support/localAwsHooks.ts'
import { latestCode } from '../support/mailbox.ts'
import { RiderBrowser, memoryStorage, newRider, registerRider, storedKeys, type Rider } from '../support/riders.ts'

/*
 * The rider's account as the app runs it: the session and profile stores over src/lib/aws/userPool.ts (the
 * unmodified amazon-cognito-identity-js) and src/lib/aws/tokens.ts, against local AWS. No mocks.
 */

const local = useTestAws()
/** The browser's localStorage: it outlives page loads, the modules do not. */
const browserStorage: Storage = memoryStorage()

/** A fresh page load: every module evaluated anew, a new pinia; only `browserStorage` carries over. */
async function openApp() {
  vi.resetModules()
  const [{ useSessionStore }, { useProfileStore }] = await Promise.all([import('@/stores/session'), import('@/stores/profile')])
  const pinia = createPinia()
  setActivePinia(pinia)
  return { session: useSessionStore(pinia), profile: useProfileStore(pinia) }
}

/** The session amazon-cognito-identity-js reads from `storage`, as `getSession` hands it over. */
function librarySessionIn(storage: Storage): CognitoUserSession {
  const { userPoolId, userPoolClientId } = local.aws.config
  const pool = new CognitoUserPool({ UserPoolId: userPoolId, ClientId: userPoolClientId, endpoint: `${local.aws.url}/`, Storage: storage })
  let session: CognitoUserSession | undefined
  pool.getCurrentUser()?.getSession((error: Error | null, result: CognitoUserSession) => {
    if (error) throw error
    session = result
  })
  if (!session) throw new Error('The library finds no session in this storage')
  return session
}

/** A token amazon-cognito-identity-js keeps for the last signed-in rider. */
function storedToken(kind: 'refreshToken' | 'idToken'): string {
  const clientPrefix = `CognitoIdentityServiceProvider.${local.aws.config.userPoolClientId}`
  const username = browserStorage.getItem(`${clientPrefix}.LastAuthUser`)
  return browserStorage.getItem(`${clientPrefix}.${username}.${kind}`) ?? ''
}

beforeAll(() => {
  for (const [name, value] of Object.entries(local.aws.viteEnv)) vi.stubEnv(name, value)
  vi.stubGlobal('localStorage', browserStorage)
})

afterAll(() => {
  vi.unstubAllEnvs()
  vi.unstubAllGlobals()
})

/**
 * A rider signed up beforehand, then signed in through the session store: what the app leaves in the browser's storage.
 * The page it returns is thrown away, as when the rider closes the tab.
 */
async function signedInThroughApp(): Promise<Rider> {
  const rider = await registerRider(new RiderBrowser(local.aws), newRider({ name: 'Ada Lovelace' }))
  const { session } = await openApp()
  expect(await session.signIn(rider.email, rider.password)).toBe(true)
  return rider
}

beforeEach(() => browserStorage.clear())

describe('session store against local AWS', () => {
  it('signs up, confirms with the emailed code and signs in', async () => {
    const rider = newRider({ name: 'Ada Lovelace' })
    const { session } = await openApp()

    expect(await session.signUp({ email: rider.email, password: rider.password, phoneNumber: rider.phone, name: rider.name })).toBe(true)
    expect(session.emailAwaitingConfirmation).toBe(rider.email)
    expect(session.lastCodeDelivery?.medium).toBe('EMAIL')

    expect(await session.confirmSignUp(rider.email, await latestCode(local.aws.url, rider.email, 'sign-up'))).toBe(true)
    expect(await session.signIn(rider.email, rider.password)).toBe(true)

    expect(session.isSignedIn).toBe(true)
    expect(session.claims).toMatchObject({ email: rider.email, email_verified: true, phone_number: rider.phone, name: rider.name })
  })
})

describe('session store against local AWS, for a signed-in rider', () => {
  let rider: Rider
  beforeEach(async () => {
    rider = await signedInThroughApp()
  })

  it('answers a wrong password and a second sign-up in words a rider understands', async () => {
    const { session } = await openApp()

    expect(await session.signUp({ email: rider.email, password: rider.password, phoneNumber: rider.phone, name: rider.name })).toBe(false)
    expect(session.actionState.signUp.error?.code).toBe('UsernameExistsException')

    expect(await session.signIn(rider.email, 'Wrong-Password-1')).toBe(false)
    expect(session.actionState.signIn.error).toEqual({ code: 'NotAuthorizedException', message: "That email and password don't match. Check them and try again." })
  })

  it('restores the session from storage on a fresh page load, even after a failed sign-in', async () => {
    expect(await (await openApp()).session.signIn(rider.email, 'Wrong-Password-1')).toBe(false)
    const { session, profile } = await openApp()

    expect(session.isSignedIn).toBe(false)
    expect(await session.restore()).toBe(true)

    expect(session.isSignedIn).toBe(true)
    expect(profile.attributes).toMatchObject({ email: rider.email, name: rider.name })
  })

  it('updates the name; the refreshed claims carry it', async () => {
    const { session, profile } = await openApp()
    await session.restore()

    expect(await profile.load()).toBe(true)
    expect(profile.attributes).toMatchObject({ email: rider.email, phone_number: rider.phone, phone_number_verified: false })

    expect(await profile.updateAttributes({ name: 'Ada King' })).toBe(true)

    expect(session.claims?.name).toBe('Ada King')
    expect(profile.attributes?.name).toBe('Ada King')
    expect(profile.pendingVerifications).toEqual([])
  })

  it('reads valid stored tokens exactly as the user-pool library stored them', async () => {
    await openApp()
    const { readStoredSession, freshTokens } = await import('@/lib/aws/tokens')
    const librarySession = librarySessionIn(browserStorage)

    const stored = readStoredSession()
    expect(stored?.claims).toEqual(claimsOf(librarySession.getIdToken().decodePayload()))
    expect(stored?.claims).toMatchObject({ email: rider.email, name: rider.name })
    const { idToken, accessToken } = await freshTokens()
    expect([stored?.idToken, stored?.accessToken]).toEqual([idToken, accessToken])
    expect([idToken, accessToken]).toEqual([librarySession.getIdToken().getJwtToken(), librarySession.getAccessToken().getJwtToken()])
  })

  it('stores refreshed tokens where the user-pool library reads them, and it keeps using them', async () => {
    const { session } = await openApp()
    await session.restore()
    const firstToken = storedToken('idToken')
    expect(await session.refresh()).toBe(true)
    expect(storedToken('idToken')).not.toBe(firstToken)
    expect(storedToken('refreshToken')).not.toBe('')
    expect(librarySessionIn(browserStorage).getIdToken().getJwtToken()).toBe(storedToken('idToken'))
    // The library signs the rider out with what tokens.ts stored: the refresh token is revoked.
    const refreshToken = storedToken('refreshToken')
    expect(await session.signOut()).toBe(true)
    expect((await refreshDirectly(local.aws, refreshToken)).body.__type).toBe('NotAuthorizedException')
  })

  it('hands the identity pool the stored ID token, and a refreshed one when under five minutes are left', async () => {
    const { session } = await openApp()
    await session.restore()
    const { getRiderCredentials } = await import('@/lib/aws/credentials')
    const credentials = await getRiderCredentials()
    const firstToken = storedToken('idToken')
    await credentials.provider()
    expect(storedToken('idToken')).toBe(firstToken)

    // 56 minutes on, for the browser and for local AWS: the credentials and the ID token have 4 minutes left, less
    // than the five the SDK wants before it refreshes (docs/aws-behaviour.md#logins-return-a-fresh-id-token).
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 56 * 60_000 })
    local.clock.advance(56 * 60_000)
    try {
      await credentials.provider()
      const freshToken = storedToken('idToken')
      expect(freshToken).not.toBe(firstToken)
      const { exp } = JSON.parse(Buffer.from(freshToken.split('.')[1]!, 'base64url').toString()) as { exp: number }
      expect(exp * 1000 - Date.now()).toBeGreaterThan(55 * 60_000)
    } finally {
      vi.useRealTimers()
    }
  })

  it('keeps the old email until the new one is verified with its code', async () => {
    const { session, profile } = await openApp()
    await session.restore()
    const newEmail = `new-${rider.email}`

    expect(await profile.updateAttributes({ email: newEmail }, { password: rider.password })).toBe(true)

    expect(profile.pendingVerifications).toMatchObject([{ attributeName: 'email', newValue: newEmail }])
    expect(session.claims?.email).toBe(rider.email)

    expect(await profile.verifyAttribute('email', '000000')).toBe(false)
    expect(profile.actionState.verifyAttribute.error?.code).toBe('CodeMismatchException')

    expect(await profile.verifyAttribute('email', await latestCode(local.aws.url, newEmail, 'verify-attribute'))).toBe(true)

    expect(session.claims).toMatchObject({ email: newEmail, email_verified: true })
    expect(profile.pendingVerifications).toEqual([])
  })

  it('refuses a new email with a wrong password: nothing changes, no code is sent, the right password then works', async () => {
    const { session, profile } = await openApp()
    await session.restore()
    const newEmail = `new-${rider.email}`

    expect(await profile.updateAttributes({ email: newEmail }, { password: `${rider.password}x` })).toBe(false)

    expect(profile.actionState.updateAttributes.error).toEqual({ code: 'NotAuthorizedException', message: "That password isn't right." })
    expect(profile.pendingVerifications).toEqual([])
    await expect(latestCode(local.aws.url, newEmail, 'verify-attribute', { timeoutMs: 300 })).rejects.toThrow('No verify-attribute code')
    expect(await profile.load()).toBe(true)
    expect(profile.attributes?.email).toBe(rider.email)

    expect(await profile.updateAttributes({ email: newEmail }, { password: rider.password })).toBe(true)
    expect(await latestCode(local.aws.url, newEmail, 'verify-attribute')).toMatch(/^\d{6}$/)
  })

  it("proves it is the rider with a sign-in of its own, whose refresh token is revoked; the rider's stored session keeps working", async () => {
    const { session, profile } = await openApp()
    await session.restore()
    const stored = { refreshToken: storedToken('refreshToken'), idToken: storedToken('idToken') }
    // The check's tokens never reach storage: read them off the wire, as the library receives them.
    const issuedRefreshTokens: string[] = []
    const send = globalThis.fetch
    const wire = vi.spyOn(globalThis, 'fetch').mockImplementation(async (...request) => {
      const response = await send(...request)
      const answer = (await response.clone().json().catch(() => ({}))) as { AuthenticationResult?: { RefreshToken?: string } }
      if (answer.AuthenticationResult?.RefreshToken) issuedRefreshTokens.push(answer.AuthenticationResult.RefreshToken)
      return response
    })
    try {
      await (await import('@/lib/aws/userPool')).confirmIdentity({ password: rider.password })
    } finally {
      wire.mockRestore()
    }

    expect(issuedRefreshTokens).toHaveLength(1)
    expect(issuedRefreshTokens[0]).not.toBe(stored.refreshToken)
    expect(await refreshDirectly(local.aws, issuedRefreshTokens[0]!)).toMatchObject({
      status: 400,
      body: { __type: 'NotAuthorizedException', message: 'Refresh Token has been revoked' },
    })
    expect({ refreshToken: storedToken('refreshToken'), idToken: storedToken('idToken') }).toEqual(stored)
    expect((await refreshDirectly(local.aws, stored.refreshToken)).status).toBe(200)
    expect(await profile.load()).toBe(true)
    expect(session.isSignedIn).toBe(true)
  })

  it('signs out: the refresh token is revoked, storage is cleared and both stores are reset', async () => {
    const { session, profile } = await openApp()
    await session.restore()
    await profile.load()
    const { remember } = await import('@/lib/riderMemory')
    remember('phone-display', session.claims?.sub ?? '', '+1 415 555 0123')
    expect(storedKeys(browserStorage).filter((key) => key.startsWith('wildrydes:'))).toHaveLength(1)
    const refreshToken = storedToken('refreshToken')
    expect(refreshToken).not.toBe('')

    expect(await session.signOut()).toBe(true)

    expect(session.isSignedIn).toBe(false)
    expect(profile.attributes).toBeNull()
    expect(browserStorage.getItem(`CognitoIdentityServiceProvider.${local.aws.config.userPoolClientId}.LastAuthUser`)).toBeNull()
    // Nothing of the rider stays on the device: no token, and nothing the app remembered to show sooner.
    expect(storedKeys(browserStorage).filter((key) => key.startsWith('CognitoIdentityServiceProvider.') || key.startsWith('wildrydes:'))).toEqual([])
    const refusal = await refreshDirectly(local.aws, refreshToken)
    expect(refusal.status).toBe(400)
    expect(refusal.body.__type).toBe('NotAuthorizedException')

    const reloaded = await openApp()
    expect(await reloaded.session.restore()).toBe(true)
    expect(reloaded.session.isSignedIn).toBe(false)
  })
})
