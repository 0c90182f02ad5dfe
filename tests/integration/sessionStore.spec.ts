import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { refreshDirectly } from '../support/localAws.ts'
import { useTestAws } from '../support/localAwsHooks.ts'
import { latestCode } from '../support/mailbox.ts'
import { RiderBrowser, memoryStorage, newRider, registerRider, type Rider } from '../support/riders.ts'

/*
 * The rider's account as the app runs it: the session and profile stores over src/lib/aws/userPool.ts and the
 * unmodified amazon-cognito-identity-js, against local AWS. No mocks.
 */

const local = useTestAws()
/** The browser's localStorage: it outlives page loads, the modules do not. */
const browserStorage = memoryStorage() as Storage

/** A fresh page load: every module evaluated anew, a new pinia; only `browserStorage` carries over. */
async function openApp() {
  vi.resetModules()
  const [{ useSessionStore }, { useProfileStore }] = await Promise.all([import('@/stores/session'), import('@/stores/profile')])
  const pinia = createPinia()
  setActivePinia(pinia)
  return { session: useSessionStore(pinia), profile: useProfileStore(pinia) }
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
    expect(session.error?.code).toBe('UsernameExistsException')

    expect(await session.signIn(rider.email, 'Wrong-Password-1')).toBe(false)
    expect(session.error).toEqual({ code: 'NotAuthorizedException', message: "That email and password don't match. Check them and try again." })
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
    expect(profile.fetchedAttributes).toMatchObject({ email: rider.email, phone_number: rider.phone, phone_number_verified: false })

    expect(await profile.updateAttributes({ name: 'Ada King' })).toBe(true)

    expect(session.claims?.name).toBe('Ada King')
    expect(profile.attributes?.name).toBe('Ada King')
    expect(profile.pendingVerifications).toEqual([])
  })

  it('reads valid stored tokens exactly as the user-pool library does', async () => {
    await openApp()
    const [{ readStoredSession }, userPool] = await Promise.all([import('@/lib/aws/storedSession'), import('@/lib/aws/userPool')])

    const stored = readStoredSession()
    expect(stored?.claims).toEqual(await userPool.getCurrentSession())
    expect(stored?.claims).toMatchObject({ email: rider.email, name: rider.name })
    const { idToken, accessToken } = await userPool.getFreshTokens()
    expect([stored?.idToken, stored?.accessToken]).toEqual([idToken, accessToken])
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

    expect(await profile.updateAttributes({ email: newEmail })).toBe(true)

    expect(profile.pendingVerifications).toMatchObject([{ attributeName: 'email', newValue: newEmail }])
    expect(session.claims?.email).toBe(rider.email)

    expect(await profile.verifyAttribute('email', '000000')).toBe(false)
    expect(profile.error?.code).toBe('CodeMismatchException')

    expect(await profile.verifyAttribute('email', await latestCode(local.aws.url, newEmail, 'verify-attribute'))).toBe(true)

    expect(session.claims).toMatchObject({ email: newEmail, email_verified: true })
    expect(profile.pendingVerifications).toEqual([])
  })

  it('signs out: the refresh token is revoked, storage is cleared and both stores are reset', async () => {
    const { session, profile } = await openApp()
    await session.restore()
    await profile.load()
    const refreshToken = storedToken('refreshToken')
    expect(refreshToken).not.toBe('')

    expect(await session.signOut()).toBe(true)

    expect(session.isSignedIn).toBe(false)
    expect(profile.attributes).toBeNull()
    expect(profile.fetchedAttributes).toBeNull()
    expect(browserStorage.getItem(`CognitoIdentityServiceProvider.${local.aws.config.userPoolClientId}.LastAuthUser`)).toBeNull()
    const refusal = await refreshDirectly(local.aws, refreshToken)
    expect(refusal.status).toBe(400)
    expect(refusal.body.__type).toBe('NotAuthorizedException')

    const reloaded = await openApp()
    expect(await reloaded.session.restore()).toBe(true)
    expect(reloaded.session.isSignedIn).toBe(false)
  })
})
