import jsQR from 'jsqr'
import type { Locator, Page } from 'playwright-core'
import { describe, expect } from 'vitest'
import { authenticatorCode, nextAuthenticatorCode, nextTimeStep, scanOtpauthUri } from '../support/authenticator.ts'
import { checkAccessibility, screenshot, test } from '../support/browser.ts'
import { fetchLocalAwsEndpoint } from '../support/localAws.ts'
import { latestCode, uniqueEmail } from '../support/mailbox.ts'
import { editDetails, isFocused, signIn } from '../support/pages.ts'
import { RiderBrowser, newRider, registerRider, signInNewRider } from '../support/riders.ts'

/** Cognito's answer to a wrong code is an HTTP 400, which Chromium logs as a console error of its own. */
const REFUSED_WITH_400 = 'status of 400'
const WRONG_CODE = "That code isn't right. Enter the 6-digit code your authenticator app shows now."

/** A code the authenticator does not show now, nor one step before or after (Cognito accepts those). */
function wrongCode(secret: string): string {
  const accepted = [-30_000, 0, 30_000].map((offset) => authenticatorCode(secret, Date.now() + offset))
  return ['123456', '654321', '111111', '999999'].find((code) => !accepted.includes(code))!
}

/**
 * Reads a QR code as a phone camera would: a screenshot of what the page shows, decoded by jsQR. The pixels come from
 * a blank page's canvas, which no Content-Security-Policy restricts.
 */
async function scanQrCode(page: Page, code: Locator): Promise<string> {
  const png = (await code.screenshot()).toString('base64')
  const scanner = await page.context().newPage()
  try {
    const { width, height, pixels } = await scanner.evaluate(async (source) => {
      const image = new Image()
      image.src = `data:image/png;base64,${source}`
      await image.decode()
      const canvas = document.createElement('canvas')
      canvas.width = image.width
      canvas.height = image.height
      const context = canvas.getContext('2d')!
      context.drawImage(image, 0, 0)
      return { width: image.width, height: image.height, pixels: Array.from(context.getImageData(0, 0, image.width, image.height).data) }
    }, png)
    const decoded = jsQR(Uint8ClampedArray.from(pixels), width, height)
    if (!decoded) throw new Error('No QR code could be read from the page')
    return decoded.data
  } finally {
    await scanner.close()
  }
}

/** The code step after the password, as the rider meets it. */
async function signInUntilCode(page: Page, email: string, password: string): Promise<Locator> {
  await page.goto('/sign-in')
  await page.getByLabel('Email', { exact: true }).fill(email)
  await page.getByLabel('Password', { exact: true }).fill(password)
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await page.getByRole('heading', { level: 1, name: 'Enter your code' }).waitFor()
  return page.getByLabel('6-digit code')
}

describe('two-step sign-in in Chromium', () => {
  test('a wrong code when turning it on is refused with why, two-step sign-in stays off, and the right code then turns it on', async ({
    page,
    awsUrl,
    allowFailedRequests,
  }) => {
    allowFailedRequests(REFUSED_WITH_400)
    const { browser, rider } = await signInNewRider(await fetchLocalAwsEndpoint(awsUrl))
    await signIn(page, rider)
    const section = page.getByRole('region', { name: 'Two-step sign-in' })
    await section.getByText('Off').waitFor()
    await section.getByRole('button', { name: 'Turn on two-step sign-in' }).click()
    const secret = (await section.locator('code').innerText()).replace(/\s/g, '')
    const codeField = section.getByLabel('6-digit code from the app')

    await codeField.fill(wrongCode(secret))
    await section.getByRole('button', { name: 'Turn on two-step sign-in' }).click()
    await section.getByRole('alert').filter({ hasText: WRONG_CODE }).waitFor()
    // Ready for another try: the field emptied and focused, the same key on screen; Cognito has it off.
    expect(await codeField.inputValue()).toBe('')
    expect(await isFocused(codeField)).toBe(true)
    expect((await section.locator('code').innerText()).replace(/\s/g, '')).toBe(secret)
    expect((await browser.userData()).UserMFASettingList).toBeUndefined()

    await codeField.fill(authenticatorCode(secret))
    await section.getByRole('button', { name: 'Turn on two-step sign-in' }).click()
    await section.getByText('sign-in asks for a code from Authenticator app').waitFor()
    expect((await browser.userData()).UserMFASettingList).toEqual(['SOFTWARE_TOKEN_MFA'])
  })

  test('a rider with two-step sign-in changes their email: the password and a fresh code are asked, and a wrong code changes nothing', async ({
    page,
    awsUrl,
    allowFailedRequests,
  }) => {
    allowFailedRequests(REFUSED_WITH_400)
    const { browser, rider } = await signInNewRider(await fetchLocalAwsEndpoint(awsUrl))
    const secret = await browser.associateSoftwareToken()
    await browser.verifySoftwareToken(authenticatorCode(secret), 'Pixel')
    await browser.setSoftwareTokenMfa(true)
    const signInCode = await signInUntilCode(page, rider.email, rider.password)
    const signedInAt = Date.now()
    await signInCode.fill(nextAuthenticatorCode(secret, signedInAt))
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await page.waitForURL((url) => url.pathname === '/profile')
    await page.getByRole('region', { name: 'Two-step sign-in' }).getByText('On').first().waitFor()

    const newEmail = uniqueEmail('two-step-new')
    const form = await editDetails(page, async (details) => {
      await details.getByLabel('Email', { exact: true }).fill(newEmail)
      await details.getByText("To make sure it's you, enter your password and the code your authenticator app shows.").waitFor()
      await details.getByLabel('Your password').fill(rider.password)
      await details.getByLabel('Authenticator code').fill(wrongCode(secret))
    })
    await form.getByRole('alert').filter({ hasText: WRONG_CODE }).waitFor()
    expect(await form.getByLabel('Email', { exact: true }).inputValue()).toBe(newEmail)
    await expect(latestCode(awsUrl, newEmail, 'verify-attribute', { timeoutMs: 500 })).rejects.toThrow('No verify-attribute code')

    // Each code is good once: the check takes the one after the code that signed in.
    await nextTimeStep(signedInAt)
    await form.getByLabel('Authenticator code').fill(nextAuthenticatorCode(secret))
    await form.getByRole('button', { name: 'Save changes' }).click()
    await page.getByRole('form', { name: 'Confirm your email address' }).getByText(`Enter the code to confirm ${newEmail}.`).waitFor()
    expect(await latestCode(awsUrl, newEmail, 'verify-attribute')).toMatch(/^\d{6}$/)
  })

  test('a rider turns it on by scanning the QR code, signs in with a code (after a wrong one), turns it off and signs in without', async ({
    page,
    awsUrl,
    allowFailedRequests,
  }) => {
    const rider = await registerRider(await RiderBrowser.at(awsUrl), newRider())
    await signIn(page, rider)
    const section = page.getByRole('region', { name: 'Two-step sign-in' })
    await section.getByText('Off').waitFor()
    await section.getByRole('button', { name: 'Turn on two-step sign-in' }).click()

    // What an authenticator app reads from the QR code, and the key for typing by hand, say the same.
    const qrCode = section.getByRole('img', { name: 'QR code for your authenticator app' })
    await qrCode.waitFor()
    const scanned = scanOtpauthUri(await scanQrCode(page, qrCode))
    const typedKey = (await section.locator('code').innerText()).trim()
    expect(typedKey).toMatch(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/)
    expect(scanned).toEqual({ issuer: 'Wild Rydes', label: rider.email, secret: typedKey.replace(/ /g, ''), algorithm: 'SHA1', digits: 6, period: 30 })
    await checkAccessibility(page)
    await screenshot(page, 'two-step-setup')

    await section.getByLabel('Name this authenticator').fill('Pixel')
    // Pasted with a space, as authenticator apps often copy it.
    await section.getByLabel('6-digit code from the app').focus()
    await page.evaluate((code) => {
      const data = new DataTransfer()
      data.setData('text/plain', code)
      document.activeElement!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }))
    }, authenticatorCode(scanned.secret).replace(/^(\d{3})/, '$1 '))
    await section.getByRole('button', { name: 'Turn on two-step sign-in' }).click()
    await section.getByText('sign-in asks for a code from Pixel').waitFor()

    await page.getByRole('button', { name: 'Sign out', exact: true }).click()
    await page.waitForURL((url) => url.pathname === '/sign-in')

    const codeField = await signInUntilCode(page, rider.email, rider.password)
    expect(await isFocused(codeField)).toBe(true)
    expect(await codeField.getAttribute('autocomplete')).toBe('one-time-code')
    expect(await codeField.getAttribute('inputmode')).toBe('numeric')
    await page.getByText('Open Pixel and enter the 6-digit code').waitFor()
    await checkAccessibility(page)
    await screenshot(page, 'two-step-code')

    const signedInAt = Date.now()
    const right = nextAuthenticatorCode(scanned.secret, signedInAt)
    await codeField.fill(right === '123456' ? '654321' : '123456')
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await page.getByRole('alert').filter({ hasText: "That code isn't right. Enter the 6-digit code your authenticator app shows now." }).waitFor()
    await codeField.fill(right)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await page.waitForURL((url) => url.pathname === '/profile')

    await section.getByText('On').first().waitFor()
    await section.getByRole('button', { name: 'Turn off…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Turn off two-step sign-in?' })
    // Proving it is the rider: a wrong password changes nothing, the password and a fresh code turn it off.
    await dialog.getByLabel('Your password').fill(`${rider.password}x`)
    await dialog.getByLabel('Authenticator code').fill(right)
    await dialog.getByRole('button', { name: 'Turn off' }).click()
    await dialog.getByText("That password isn't right.").waitFor()
    await nextTimeStep(signedInAt)
    await dialog.getByLabel('Your password').fill(rider.password)
    await dialog.getByLabel('Authenticator code').fill(nextAuthenticatorCode(scanned.secret))
    await dialog.getByRole('button', { name: 'Turn off' }).click()
    await section.getByText('your password alone signs you in').waitFor()

    await page.getByRole('button', { name: 'Sign out', exact: true }).click()
    await page.waitForURL((url) => url.pathname === '/sign-in')
    await signIn(page, rider)

    allowFailedRequests(REFUSED_WITH_400)
  })
})
