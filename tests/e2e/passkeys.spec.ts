import type { Page } from 'playwright-core'
import { describe, expect } from 'vitest'
import { authenticatorCode } from '../support/authenticator.ts'
import { test } from '../support/browser.ts'
import { profilePhotoOf, riderWithPhoto } from '../support/pages.ts'
import { RiderBrowser, newRider, registerRider, type Rider } from '../support/riders.ts'

/**
 * The site as `localhost`: a WebAuthn RP ID is a domain, never an IP address, and local AWS's relying party is
 * `localhost` (docs/aws-behaviour.md#passkeys-through-cognitos-webauthn-api).
 */
function onLocalhost(appUrl: string, path: string): string {
  const url = new URL(path, appUrl)
  url.hostname = 'localhost'
  return url.href
}

/** Chromium's DevTools virtual authenticator: a platform passkey provider that verifies the rider at once. */
async function addVirtualAuthenticator(page: Page): Promise<{ count: () => Promise<number>; setVerifies: (verifies: boolean) => Promise<void> }> {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('WebAuthn.enable')
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
  })
  return {
    count: async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials.length,
    // A rider who dismisses the prompt (or whose face or fingerprint is not recognised): the ceremony ends, as a cancel
    // does, in NotAllowedError.
    setVerifies: async (verifies) => void (await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: verifies })),
  }
}

async function signInWithPassword(page: Page, appUrl: string, rider: Rider): Promise<void> {
  await page.goto(onLocalhost(appUrl, '/sign-in'))
  await page.getByLabel('Email', { exact: true }).fill(rider.email)
  await page.getByLabel('Password', { exact: true }).fill(rider.password)
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await page.waitForURL((url) => url.pathname === '/profile')
}

async function addPasskey(page: Page): Promise<void> {
  const section = page.getByRole('region', { name: 'Passkeys' })
  await section.getByText('You have no passkeys yet.').waitFor()
  await section.getByRole('button', { name: 'Add a passkey' }).click()
  await section.getByRole('list', { name: 'Your passkeys' }).getByRole('listitem').first().waitFor()
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out', exact: true }).click()
  await page.waitForURL((url) => url.pathname === '/sign-in')
}

async function signInWithPasskey(page: Page, email: string): Promise<void> {
  await page.getByLabel('Email', { exact: true }).fill(email)
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click()
}

describe('passkeys in Chromium with a virtual authenticator', () => {
  test('a rider adds a passkey, signs in with it to their photo, removes it, and is then refused', async ({ newPage, appUrl, awsUrl }) => {
    const { rider } = await riderWithPhoto(awsUrl, newPage)
    const page = await newPage()
    const authenticator = await addVirtualAuthenticator(page)
    await signInWithPassword(page, appUrl, rider)
    await addPasskey(page)
    expect(await authenticator.count()).toBe(1)
    const section = page.getByRole('region', { name: 'Passkeys' })
    await section.getByText(/added/).waitFor()

    await signOut(page)
    await signInWithPasskey(page, rider.email)
    await page.waitForURL((url) => url.pathname === '/profile')
    await profilePhotoOf(page, rider.name).waitFor()
    expect(await profilePhotoOf(page, rider.name).evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth > 0)).toBe(true)

    await section.getByRole('button', { name: /^Remove passkey/ }).click()
    await page.getByRole('dialog', { name: 'Remove this passkey?' }).getByRole('button', { name: 'Remove passkey' }).click()
    await section.getByText('You have no passkeys yet.').waitFor()

    await signOut(page)
    await signInWithPasskey(page, rider.email)
    await page.getByRole('alert').filter({ hasText: 'This account has no passkey yet. Sign in with your password' }).waitFor()
    expect(new URL(page.url()).pathname).toBe('/sign-in')
  })

  test('a rider with two-step sign-in signs in with a passkey alone; a closed prompt is said so', async ({ newPage, appUrl, awsUrl }) => {
    const rider = await registerRider(await RiderBrowser.at(awsUrl), newRider())
    const page = await newPage()
    const authenticator = await addVirtualAuthenticator(page)
    await signInWithPassword(page, appUrl, rider)
    const twoStep = page.getByRole('region', { name: 'Two-step sign-in' })
    await twoStep.getByRole('button', { name: 'Turn on two-step sign-in' }).click()
    const secret = (await twoStep.locator('code').innerText()).replace(/ /g, '')
    await twoStep.getByLabel('6-digit code from the app').fill(authenticatorCode(secret))
    await twoStep.getByRole('button', { name: 'Turn on two-step sign-in' }).click()
    await twoStep.getByText('sign-in asks for a code from').waitFor()
    await addPasskey(page)

    await signOut(page)
    await authenticator.setVerifies(false)
    await signInWithPasskey(page, rider.email)
    await page.getByRole('alert').filter({ hasText: 'The passkey prompt was closed before it finished.' }).waitFor()

    await authenticator.setVerifies(true)
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click()
    await page.waitForURL((url) => url.pathname === '/profile')
    await page.getByRole('heading', { name: 'Your profile' }).waitFor()
  })
})
