import type { Page } from 'playwright-core'
import { describe, expect } from 'vitest'
import { checkAccessibility, screenshot, test } from '../support/browser.ts'
import { authenticatorCode, nextAuthenticatorCode } from '../support/authenticator.ts'
import { latestCode, uniqueEmail } from '../support/mailbox.ts'
import { editDetails, keyOf, pickPhoto, profilePhotoOf, removePhoto, riderWithPhoto, signIn } from '../support/pages.ts'
import { makePhotoJpeg } from '../support/photo.ts'
import { RiderBrowser, newRider, registerRider, signInFromNode } from '../support/riders.ts'

/** A phone's width: nothing may scroll sideways. */
const PHONE = { width: 360, height: 740 }
/** Cognito's answer to a wrong password (and the like) is an HTTP 400, which Chromium logs as a console error. */
const REFUSED_WITH_400 = 'status of 400'

function pageWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth)
}

/** A unique address of exactly `length` characters. */
function emailOfLength(length: number): string {
  const short = uniqueEmail('x')
  return `${'x'.repeat(length - short.length)}${short}`
}

describe('rough edges a new rider met, in Chromium', () => {
  test('confirming in another tab opens sign-in with the email filled; a national phone number is taken', async ({ page, awsUrl }) => {
    const rider = newRider({ name: 'Grace Hopper' })
    await page.goto('/sign-up')
    await page.getByLabel('Name', { exact: true }).fill(rider.name)
    await page.getByLabel('Email', { exact: true }).fill(rider.email)
    await page.getByLabel('Country').selectOption('US')
    await page.getByLabel('Mobile phone number').fill('(415) 555-0123')
    await page.getByLabel('Password', { exact: true }).fill(rider.password)
    await page.getByRole('button', { name: 'Create account' }).click()
    await page.waitForURL((url) => url.pathname === '/confirm')
    // Cognito's masked address says where to look, once.
    await page.getByText(/We emailed a 6-digit code to g\*\*\*@e\*\*\*/).waitFor()

    // The code opened in another tab of the same browser: the password typed in the first never reaches it.
    const otherTab = await page.context().newPage()
    await otherTab.goto(`/confirm?email=${encodeURIComponent(rider.email)}`)
    await otherTab.getByLabel('Verification code').fill(await latestCode(awsUrl, rider.email, 'sign-up'))
    await otherTab.getByRole('button', { name: 'Confirm account' }).click()
    await otherTab.waitForURL((url) => url.pathname === '/sign-in')
    await otherTab.getByRole('status').filter({ hasText: 'Your account is confirmed.' }).waitFor()
    expect(await otherTab.getByLabel('Email', { exact: true }).inputValue()).toBe(rider.email)
    await signIn(otherTab, rider)
    const phone = otherTab.getByRole('region', { name: 'Your details' }).getByRole('definition').nth(2)
    await expect.poll(() => phone.innerText()).toContain('+1 415 555 0123')
  })

  test('at 360 px, server errors go once the rider edits the field or submits again, and "already exists" goes with a new email', async ({
    page,
    awsUrl,
    allowFailedRequests,
  }) => {
    await page.setViewportSize(PHONE)
    const taken = await registerRider(await RiderBrowser.at(awsUrl), newRider({ name: 'Hedy Lamarr' }))

    await page.goto('/sign-up')
    await page.getByLabel('Name', { exact: true }).fill('Hedy Again')
    await page.getByLabel('Email', { exact: true }).fill(taken.email)
    await page.getByLabel('Mobile phone number').fill('+1 415 555 0123')
    await page.getByLabel('Password', { exact: true }).fill(taken.password)
    await page.getByRole('button', { name: 'Create account' }).click()
    const exists = page.getByRole('alert').filter({ hasText: 'An account with this email already exists.' })
    await exists.waitFor()
    await page.getByLabel('Email', { exact: true }).fill(uniqueEmail('hedy-other'))
    await exists.waitFor({ state: 'detached' })

    await signIn(page, taken, '/profile')
    const passwordForm = page.getByRole('form', { name: 'Password' })
    await passwordForm.getByLabel('Current password').fill(`${taken.password}-wrong`)
    await passwordForm.getByLabel('New password', { exact: true }).fill('Unicorn-Ride-42')
    await passwordForm.getByRole('button', { name: 'Change password' }).click()
    const wrongCurrent = page.getByRole('alert').filter({ hasText: "Your current password isn't right." })
    await wrongCurrent.waitFor()
    await passwordForm.getByLabel('New password', { exact: true }).fill('short')
    await wrongCurrent.waitFor({ state: 'detached' })
    await passwordForm.getByRole('button', { name: 'Change password' }).click()
    await passwordForm.getByText('Choose a password that meets every rule below.').waitFor()
    expect(await page.getByRole('alert').filter({ hasText: "current password isn't right" }).count()).toBe(0)
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width)
    await checkAccessibility(page)

    allowFailedRequests(REFUSED_WITH_400)
  })

  test('at 360 px, a 67-character address wraps, sign-in says why a guarded page sent the rider, and the photo hint offers no drag or paste on touch', async ({
    page,
    browser,
    appUrl,
    awsUrl,
  }) => {
    await page.setViewportSize(PHONE)
    const email = emailOfLength(67)
    expect(email).toHaveLength(67)
    const rider = await registerRider(await RiderBrowser.at(awsUrl), newRider({ name: 'Mary Jackson', email }))

    await page.goto('/profile')
    await page.waitForURL((url) => url.pathname === '/sign-in')
    await page.getByRole('status').filter({ hasText: 'Sign in to see your profile.' }).waitFor()
    await signIn(page, rider)
    await page.getByText(`Signed in as ${email}`).waitFor()
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width)
    await checkAccessibility(page)
    await screenshot(page, 'profile-long-address')
    // A desktop pointer can drop and paste.
    await page.setViewportSize({ width: 1280, height: 800 })
    await page.getByText('Or drop or paste an image here.').waitFor()

    const touch = await browser!.newContext({ baseURL: appUrl, viewport: PHONE, isMobile: true, hasTouch: true })
    try {
      const phone = await touch.newPage()
      await signIn(phone, rider)
      await phone.getByRole('button', { name: 'Add a photo' }).waitFor()
      expect(await phone.getByText(/drop or paste/).count()).toBe(0)
      expect(await pageWidth(phone)).toBeLessThanOrEqual(PHONE.width)
    } finally {
      await touch.close()
    }
  })

  test('an edit cut short by the end of the session: sign-in says, neutrally, that it was not saved', async ({ page, awsUrl, allowFailedRequests }) => {
    const rider = await registerRider(await RiderBrowser.at(awsUrl), newRider({ name: 'Dorothy Vaughan' }))
    await signIn(page, rider)
    await page.getByRole('button', { name: 'Edit details' }).click()
    await page.getByRole('form', { name: 'Edit your details' }).getByLabel('Name', { exact: true }).fill('Dorothy Johnson')

    // Signed out everywhere from another device while the form is open.
    const otherDevice = await RiderBrowser.at(awsUrl)
    await otherDevice.signIn(rider.email, rider.password)
    await otherDevice.globalSignOut()
    await page.getByRole('button', { name: 'Save changes' }).click()

    await page.waitForURL((url) => url.pathname === '/sign-in' && url.searchParams.get('redirect') === '/profile')
    const notice = page.getByRole('status').filter({ hasText: 'Your session ended before your last change was saved.' })
    await notice.waitFor()
    expect(await notice.locator('.alert-info').count()).toBe(1)
    expect(await page.locator('.alert-success').count()).toBe(0)
    await checkAccessibility(page)

    allowFailedRequests(REFUSED_WITH_400)
  })
})

/** The page's requests that refresh the session: InitiateAuth with REFRESH_TOKEN_AUTH. */
function countSessionRefreshes(page: Page): { count: () => number } {
  let refreshes = 0
  page.on('request', (request) => {
    if (request.headers()['x-amz-target'] === 'AWSCognitoIdentityProviderService.InitiateAuth' && request.postData()?.includes('REFRESH_TOKEN_AUTH')) {
      refreshes += 1
    }
  })
  return { count: () => refreshes }
}

/** What the page's origin keeps in localStorage, and the IndexedDB databases it has. */
function deviceStorage(page: Page): Promise<{ localStorage: string; databases: string[] }> {
  return page.evaluate(async () => ({
    localStorage: JSON.stringify({ ...localStorage }),
    databases: (await indexedDB.databases()).map((database) => database.name ?? ''),
  }))
}

/** The identity id the credential provider cached for this rider (in localStorage: src/lib/aws/credentials.ts), or null. */
function cachedIdentityId(page: Page, sub: string): Promise<string | null> {
  return page.evaluate(
    (riderSub) =>
      Object.entries(localStorage).find(([key]) => key.startsWith('aws:cognito-identity-credentials:') && key.endsWith(`:${riderSub}`))?.[1] ??
      null,
    sub,
  )
}

describe('rough edges a newcomer hit on the way, in Chromium', () => {
  test('a 2,048-character name with no spaces wraps on /profile, at 360 px and on a desktop', async ({ page, awsUrl }) => {
    const name = 'W'.repeat(2048)
    const rider = await registerRider(await RiderBrowser.at(awsUrl), newRider({ name, email: uniqueEmail('long-name') }))
    await page.setViewportSize(PHONE)
    await signIn(page, rider)
    await page.getByRole('region', { name: 'Your details' }).getByText(name).waitFor()
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width)
    await screenshot(page, 'profile-long-name')
    await page.setViewportSize({ width: 1280, height: 800 })
    expect(await pageWidth(page)).toBeLessThanOrEqual(1280)
  })

  test('signing out leaves nothing of the rider on the device: no tokens, no saved photo URL, no cached identity id', async ({ page, newPage, awsUrl }) => {
    const { rider } = await riderWithPhoto(awsUrl, newPage)
    await signIn(page, rider)
    await profilePhotoOf(page, rider.name).waitFor()
    // The credential provider cached the rider's identity id while signing the photo's URL.
    await expect.poll(() => cachedIdentityId(page, rider.sub)).toMatch(/^[\w-]+:[0-9a-f-]+$/)
    expect((await deviceStorage(page)).localStorage).toContain(rider.sub)

    await page.getByRole('button', { name: 'Sign out', exact: true }).click()
    await page.waitForURL((url) => url.pathname === '/sign-in')

    await expect.poll(() => cachedIdentityId(page, rider.sub)).toBeNull()
    const { localStorage, databases } = await deviceStorage(page)
    expect(databases).not.toContain('aws:cognito-identity-ids')
    expect(localStorage).not.toContain(rider.sub)
    expect(localStorage).not.toContain(rider.email)
  })

  test('replacing and removing the photo refresh the session once each; removing forgets the saved URL, so a reload asks S3 for nothing', async ({
    page,
    newPage,
    awsUrl,
  }) => {
    const { rider, photoKey } = await riderWithPhoto(awsUrl, newPage)
    await signIn(page, rider)
    const avatar = profilePhotoOf(page, rider.name)
    await avatar.waitFor()
    const refreshes = countSessionRefreshes(page)

    await pickPhoto(page, { name: 'IMG_2041.jpg', mimeType: 'image/jpeg', buffer: await makePhotoJpeg(page, { width: 640, height: 480 }) })
    await page.getByRole('status').filter({ hasText: 'Your new photo is saved.' }).waitFor()
    await expect.poll(async () => keyOf(await avatar.getAttribute('src'))).not.toBe(photoKey)
    expect(refreshes.count()).toBe(1)

    await removePhoto(page)
    await page.getByRole('status').filter({ hasText: 'Your photo was removed.' }).waitFor()
    expect(refreshes.count()).toBe(2)
    expect((await deviceStorage(page)).localStorage).not.toContain('/profile/')

    const photoRequests: string[] = []
    page.on('request', (request) => {
      if (request.url().includes('/profile/')) photoRequests.push(request.url())
    })
    await page.reload()
    await page.getByRole('img', { name: `Profile photo of ${rider.name}: no photo yet` }).waitFor()
    await page.getByRole('button', { name: 'Add a photo' }).waitFor()
    expect(photoRequests).toEqual([])
  })

  test('a pending email change shows its code box in a new tab too, and is forgotten at sign-out', async ({ page, awsUrl }) => {
    const rider = await registerRider(await RiderBrowser.at(awsUrl), newRider({ name: 'Katherine Johnson' }))
    const newEmail = uniqueEmail('katherine-new')
    await signIn(page, rider)
    await editDetails(page, async (form) => {
      await form.getByLabel('Email', { exact: true }).fill(newEmail)
      await form.getByLabel('Your password').fill(rider.password)
    })
    await page.getByRole('form', { name: 'Confirm your email address' }).getByText(`Enter the code to confirm ${newEmail}.`).waitFor()
    // The full new address is on the screen: Cognito's masked one (n***@e***) would only puzzle beside it.
    expect(await page.getByText(/\*\*\*@/).count()).toBe(0)

    const otherTab = await page.context().newPage()
    await otherTab.goto('/profile')
    const codeForm = otherTab.getByRole('form', { name: 'Confirm your email address' })
    await codeForm.getByText(`Enter the code to confirm ${newEmail}.`).waitFor()
    await codeForm.getByLabel('Code for your email address').fill(await latestCode(awsUrl, newEmail, 'verify-attribute'))
    await codeForm.getByRole('button', { name: 'Confirm email address' }).click()
    await otherTab.getByRole('status').filter({ hasText: 'Your email address is confirmed.' }).waitFor()

    await otherTab.getByRole('button', { name: 'Sign out', exact: true }).click()
    await otherTab.waitForURL((url) => url.pathname === '/sign-in')
    expect((await deviceStorage(otherTab)).localStorage).not.toContain(newEmail)
  })

  test('"Sign out everywhere" asks first, and Cancel keeps the rider signed in', async ({ page, awsUrl }) => {
    const rider = await registerRider(await RiderBrowser.at(awsUrl), newRider({ name: 'Evelyn Boyd Granville' }))
    await signIn(page, rider)
    await page.getByRole('button', { name: 'Sign out everywhere…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Sign out on every device?' })
    await dialog.getByText('Every browser and phone signed in to your account, this one too, will have to sign in again.').waitFor()
    await checkAccessibility(page)
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    await page.getByRole('heading', { level: 1, name: 'Your profile' }).waitFor()
    expect(new URL(page.url()).pathname).toBe('/profile')
  })

  test('"Remove photo" asks first, and Cancel keeps the photo', async ({ page, newPage, awsUrl }) => {
    const { rider, photoKey } = await riderWithPhoto(awsUrl, newPage)
    await page.setViewportSize(PHONE)
    await signIn(page, rider)
    const avatar = profilePhotoOf(page, rider.name)
    await avatar.waitFor()
    await page.getByRole('button', { name: 'Remove photo…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Remove your photo?' })
    await dialog.getByText('Your unicorn will see your initials instead.', { exact: false }).waitFor()
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width)
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    expect(keyOf(await avatar.getAttribute('src'))).toBe(photoKey)
    const session = await signInFromNode(awsUrl, rider)
    expect(await session.listKeys(`protected/${session.identityId}/profile/`)).toEqual([photoKey])
  })

  test('the landing page promises only what the stack confirms: email, and the phone number where it sends SMS', async ({ page }) => {
    // The e2e stack has no SMS configuration (VITE_SMS_VERIFICATION is not 'true'): no phone number is confirmed.
    await page.goto('/')
    await page.getByText('Every rider confirms their email address before the first ride.').waitFor()
    expect(await page.getByText(/phone number/).count()).toBe(0)
  })

  test('the mailbox marks a code a newer one replaced', async ({ page, awsUrl }) => {
    const rider = await registerRider(await RiderBrowser.at(awsUrl), newRider({ name: 'Frances Allen' }))
    const riderBrowser = await RiderBrowser.at(awsUrl)
    await riderBrowser.signIn(rider.email, rider.password)
    await riderBrowser.getAttributeVerificationCode('email')
    await riderBrowser.getAttributeVerificationCode('email')

    await page.goto(`${awsUrl}/_local/`)
    const messages = page.getByRole('listitem').filter({ hasText: rider.email }).filter({ hasText: 'verify-attribute' })
    await expect.poll(() => messages.count()).toBe(2)
    expect(await messages.nth(0).getByLabel('Code', { exact: true }).count()).toBe(1)
    expect(await messages.nth(1).getByLabel('Replaced code').count()).toBe(1)
    await messages.nth(1).getByText('Replaced by a newer code: this one no longer works.').waitFor()
  })

  test('two-step setup offers an otpauth:// link and a Copy key button, and the profile names the authenticator as sign-in does', async ({
    page,
    newPage,
    awsUrl,
  }) => {
    const rider = await registerRider(await RiderBrowser.at(awsUrl), newRider({ name: 'Joan Clarke' }))
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'])
    await page.setViewportSize(PHONE)
    await signIn(page, rider)
    const section = page.getByRole('region', { name: 'Two-step sign-in' })
    await section.getByRole('button', { name: 'Turn on two-step sign-in' }).click()
    const secret = (await section.locator('code').innerText()).replace(/ /g, '')
    const link = section.getByRole('link', { name: 'Open it in your authenticator app' })
    expect(await link.getAttribute('href')).toBe(
      `otpauth://totp/Wild%20Rydes:${encodeURIComponent(rider.email)}?secret=${secret}&issuer=Wild%20Rydes`,
    )
    await section.getByRole('button', { name: 'Copy key' }).click()
    await section.getByRole('status').filter({ hasText: 'Key copied. Paste it in your authenticator app.' }).waitFor()
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret)
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width)

    await section.getByLabel('Name this authenticator').fill('Test phone')
    await section.getByLabel('6-digit code from the app').fill(authenticatorCode(secret))
    await section.getByRole('button', { name: 'Turn on two-step sign-in' }).click()
    await section.getByText('sign-in asks for a code from Test phone').waitFor()

    // Another browser: only sign-in's challenge names the authenticator there, and the profile says the same.
    const other = await newPage()
    await other.goto('/sign-in')
    await other.getByLabel('Email', { exact: true }).fill(rider.email)
    await other.getByLabel('Password', { exact: true }).fill(rider.password)
    await other.getByRole('button', { name: 'Sign in', exact: true }).click()
    await other.getByText('Open Test phone and enter the 6-digit code').waitFor()
    await other.getByLabel('6-digit code').fill(nextAuthenticatorCode(secret))
    await other.getByRole('button', { name: 'Sign in', exact: true }).click()
    await other.waitForURL((url) => url.pathname === '/profile')
    await other.getByRole('region', { name: 'Two-step sign-in' }).getByText('sign-in asks for a code from Test phone').waitFor()
  })

  test('"password changed" goes once the rider types again, so it never stands beside a new error', async ({ page, awsUrl }) => {
    const rider = await registerRider(await RiderBrowser.at(awsUrl), newRider({ name: 'Margaret Hamilton' }))
    await signIn(page, rider)
    const form = page.getByRole('form', { name: 'Password' })
    await form.getByLabel('Current password').fill(rider.password)
    await form.getByLabel('New password').fill(`${rider.password}-2`)
    await form.getByRole('button', { name: 'Change password' }).click()
    const changed = form.getByRole('status').filter({ hasText: 'Your password has been changed.' })
    await changed.waitFor()

    await form.getByLabel('New password').fill('short')
    expect(await changed.count()).toBe(0)
    await form.getByRole('button', { name: 'Change password' }).click()
    await form.getByText('Choose a password that meets every rule below.').waitFor()
    expect(await form.getByText('Your password has been changed.').count()).toBe(0)
  })
})
