import jsQR from 'jsqr'
import type { Locator, Page } from 'playwright-core'
import { describe, expect } from 'vitest'
import { authenticatorCode, nextAuthenticatorCode, nextTimeStep, scanOtpauthUri } from '../support/authenticator.ts'
import { checkAccessibility, screenshot, test } from '../support/browser.ts'
import { isFocused, signIn } from '../support/pages.ts'
import { RiderBrowser, newRider, registerRider } from '../support/riders.ts'

/** Cognito's answer to a wrong code is an HTTP 400, which Chromium logs as a console error of its own. */
const REFUSED_WITH_400 = 'status of 400'

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
