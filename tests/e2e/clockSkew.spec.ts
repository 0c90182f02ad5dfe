import { describe, expect } from 'vitest'
import { test } from '../support/browser.ts'
import { keyOf, PHOTO_SAVED, pickPhoto, profilePhotoOf, riderWithPhoto, signIn } from '../support/pages.ts'
import { makePhotoJpeg } from '../support/photo.ts'

/** More than SigV4's 15 minutes of tolerated skew, either way: a phone whose clock was set by hand. */
const SKEW_MINUTES = [20, -20]

describe('a phone whose clock is wrong', () => {
  test.for(SKEW_MINUTES)('with its clock %i minutes off, the rider signs in, sees their photo and uploads a new one', async (skewMinutes, { page, newPage, awsUrl }) => {
    const { rider, photoKey } = await riderWithPhoto(awsUrl, newPage)
    // Date, performance and timers move together, at the real pace, from the skewed time on.
    await page.context().clock.install({ time: Date.now() + skewMinutes * 60_000 })
    /** AWS's refusals, e.g. S3's RequestTimeTooSkewed (403) for a request dated at the device's time. */
    const refused: string[] = []
    page.on('response', (response) => {
      if (response.url().startsWith(`${awsUrl}/`) && response.status() >= 400) refused.push(`${response.status()} ${response.request().method()} ${response.url()}`)
    })
    await page.goto('/sign-in')
    expect(Math.round((await page.evaluate(() => Date.now()) - Date.now()) / 60_000)).toBe(skewMinutes)

    await signIn(page, rider)
    const avatar = profilePhotoOf(page, rider.name)
    await avatar.waitFor()
    expect(keyOf(await avatar.getAttribute('src'))).toBe(photoKey)
    await expect.poll(() => avatar.evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth)).toBe(640)

    await pickPhoto(page, { name: 'IMG_2043.jpg', mimeType: 'image/jpeg', buffer: await makePhotoJpeg(page, { width: 480, height: 360 }) })
    await page.getByRole('status').filter({ hasText: PHOTO_SAVED }).waitFor({ timeout: 20_000 })
    await expect.poll(async () => keyOf(await avatar.getAttribute('src'))).not.toBe(photoKey)
    await expect.poll(() => avatar.evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth)).toBe(480)
    expect(refused).toEqual([])
  })
})
