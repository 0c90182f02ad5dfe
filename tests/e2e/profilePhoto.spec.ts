import { imageSize } from 'image-size'
import type { Locator, Page } from 'playwright-core'
import { describe, expect } from 'vitest'
import { checkAccessibility, screenshot, test } from '../support/browser.ts'
import { CUT_REQUEST, PHOTO_SAVED, isFocused, keyOf, pickPhoto, profilePhotoOf, riderWithPhoto, signIn } from '../support/pages.ts'
import { makePhotoJpeg } from '../support/photo.ts'
import { PHOTO_PUT, cutS3Requests } from '../support/s3Faults.ts'
import { RiderBrowser, newRider, registerRider, signInFromNode, type NodeSession, type RegisteredRider } from '../support/riders.ts'

/** Where the Eiffel Tower stands: the kind of secret a phone photo's EXIF gives away. */
const GPS = { latitude: 48.8584, longitude: 2.2945 }
/** The APP1 header of EXIF in a JPEG, and the chunk a WebP would carry it in. */
const EXIF_MARKERS = [Buffer.from('Exif\0\0', 'latin1'), Buffer.from('EXIF', 'latin1')]
/** A slow phone uplink, so a ~15 KB upload takes a couple of seconds and its progress can be watched. */
const SLOW_UPLOAD_BYTES_PER_SECOND = 8 * 1024

/** A rider signed up in Node, to sign in in the UI. */
async function registeredRider(awsUrl: string): Promise<RegisteredRider> {
  return registerRider(await RiderBrowser.at(awsUrl), newRider({ name: 'Ada Lovelace' }))
}

function avatarOf(page: Page, rider: RegisteredRider): Locator {
  return profilePhotoOf(page, rider.name)
}

/** Slows every upload of this page, for the rest of the test, to a phone's uplink, over the DevTools protocol. */
async function throttleUploads(page: Page, bytesPerSecond: number): Promise<void> {
  const devTools = await page.context().newCDPSession(page)
  await devTools.send('Network.enable')
  await devTools.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: bytesPerSecond,
  })
}

/** The rider's photos in the bucket, as their own credentials list them. */
function listPhotos(session: NodeSession): Promise<string[]> {
  return session.listKeys(`protected/${session.identityId}/profile/`)
}

/** What the user pool and the bucket hold: `picture` names `key`, the rider's only photo. */
async function expectOnlyPhoto(awsUrl: string, rider: RegisteredRider, key: string): Promise<NodeSession> {
  const session = await signInFromNode(awsUrl, rider)
  expect(session.picture).toBe(key)
  expect(await listPhotos(session)).toEqual([key])
  return session
}

/** Signs `rider` in and waits for their photo; returns the avatar and the URL it shows now. */
async function signInShowingPhoto(page: Page, rider: RegisteredRider): Promise<{ avatar: Locator; shownBefore: string | null }> {
  await signIn(page, rider)
  const avatar = avatarOf(page, rider)
  await avatar.waitFor()
  return { avatar, shownBefore: await avatar.getAttribute('src') }
}

/** A failed or cancelled change lost nothing: the avatar still shows the photo, which is still the rider's only one. */
async function expectPreviousPhotoKept(
  avatar: Locator,
  shownBefore: string | null,
  awsUrl: string,
  rider: RegisteredRider,
  key: string,
): Promise<void> {
  expect(await avatar.getAttribute('src')).toBe(shownBefore)
  await expectOnlyPhoto(awsUrl, rider, key)
}

/** The stored photo is what the app promises: at most 300 KB, resized to `size`, an image, no EXIF; returns its bytes. */
async function expectStoredPhoto(session: NodeSession, key: string, size: { width: number; height: number }): Promise<number> {
  const { bytes, contentType } = await session.getObject(key)
  expect(bytes.length).toBeLessThanOrEqual(300_000)
  expect(imageSize(bytes)).toMatchObject(size)
  expect(contentType).toMatch(/^image\/(webp|jpeg)$/)
  for (const marker of EXIF_MARKERS) expect(bytes.includes(marker), `${marker.toString('latin1')} in the stored photo`).toBe(false)
  return bytes.length
}

describe('the profile photo in Chromium', () => {
  test('a 12-megapixel phone photo with GPS data uploads with a moving progress bar, shows in the avatar, and is stored small, at most 640 px and without EXIF', async ({
    page,
    awsUrl,
  }) => {
    const rider = await registeredRider(awsUrl)
    await page.goto('/sign-in')
    const original = await makePhotoJpeg(page, { gps: GPS })
    expect(imageSize(original)).toMatchObject({ width: 4000, height: 3000 })
    expect(original.includes(EXIF_MARKERS[0]!)).toBe(true)
    await signIn(page, rider)
    await page.getByRole('heading', { level: 1, name: 'Your profile' }).waitFor()

    await throttleUploads(page, SLOW_UPLOAD_BYTES_PER_SECOND)
    await pickPhoto(page, { name: 'IMG_2041.jpg', mimeType: 'image/jpeg', buffer: original })
    const progressBar = page.getByRole('progressbar', { name: 'Uploading your photo' })
    await expect
      .poll(() => progressBar.getAttribute('aria-valuenow', { timeout: 5_000 }).then(Number), { timeout: 20_000, interval: 50 })
      .toSatisfy((percent: number) => percent > 0 && percent < 100)
    await checkAccessibility(page)
    await screenshot(page, 'photo-uploading')
    await page.getByRole('status').filter({ hasText: PHOTO_SAVED }).waitFor({ timeout: 20_000 })

    const avatar = avatarOf(page, rider)
    await avatar.waitFor()
    expect(await avatar.evaluate((image: HTMLImageElement) => image.naturalWidth)).toBe(640)
    const photoKey = keyOf(await avatar.getAttribute('src'))
    const session = await expectOnlyPhoto(awsUrl, rider, photoKey)
    const storedBytes = await expectStoredPhoto(session, photoKey, { width: 640, height: 480 })
    console.info(`12 MP photo: ${original.length} bytes picked, ${storedBytes} bytes stored`)
    await checkAccessibility(page)
    await screenshot(page, 'photo-saved')
  })

  test('on a new browser the rider signs in and sees the same photo, and replacing it leaves only the new one', async ({
    page,
    newPage,
    awsUrl,
  }) => {
    const { rider, photoKey } = await riderWithPhoto(awsUrl, newPage)
    await page.goto('/sign-in')
    const portrait = await makePhotoJpeg(page, { width: 1500, height: 2000 })
    await signIn(page, rider)
    const avatar = avatarOf(page, rider)
    await avatar.waitFor()
    expect(keyOf(await avatar.getAttribute('src'))).toBe(photoKey)

    await pickPhoto(page, { name: 'IMG_2042.jpg', mimeType: 'image/jpeg', buffer: portrait })
    await page.getByRole('status').filter({ hasText: PHOTO_SAVED }).waitFor()
    await expect.poll(async () => keyOf(await avatar.getAttribute('src'))).not.toBe(photoKey)
    const replacingKey = keyOf(await avatar.getAttribute('src'))

    // The replaced object is gone from the listing; HeadObject cannot tell: without s3:ListBucket on a key, S3 answers
    // a missing object with 403, not 404. https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html
    const session = await expectOnlyPhoto(awsUrl, rider, replacingKey)
    await expectStoredPhoto(session, replacingKey, { width: 480, height: 640 })
  })

  test('on a fresh sign-in the photo is requested before any GetUser: the first paint goes by the ID token’s picture claim', async ({
    page,
    newPage,
    awsUrl,
  }) => {
    const { rider, photoKey } = await riderWithPhoto(awsUrl, newPage)
    const PHOTO_GET = 'S3 GET of the photo'
    /** Requests to AWS in the order the browser sent them: X-Amz-Target for Cognito, {@link PHOTO_GET} for the photo. */
    const sent: string[] = []
    page.on('request', (request) => {
      if (!request.url().startsWith(`${awsUrl}/`)) return
      const target = request.headers()['x-amz-target']
      if (target) sent.push(target)
      else if (request.method() === 'GET' && keyOf(request.url()) === photoKey) sent.push(PHOTO_GET)
    })
    await signIn(page, rider)
    await avatarOf(page, rider).waitFor()
    await expect.poll(() => sent).toContain('AWSCognitoIdentityProviderService.GetUser')

    // Nothing but the photo's own calls before it; GetUser and the passkeys' list wait for it.
    expect(sent.slice(0, sent.indexOf(PHOTO_GET) + 1)).toEqual([
      'AWSCognitoIdentityProviderService.InitiateAuth',
      'AWSCognitoIdentityProviderService.RespondToAuthChallenge',
      'AWSCognitoIdentityService.GetId',
      'AWSCognitoIdentityService.GetCredentialsForIdentity',
      PHOTO_GET,
    ])
    expect(sent.indexOf('AWSCognitoIdentityProviderService.GetUser')).toBeGreaterThan(sent.indexOf(PHOTO_GET))
  })

  test('a network cut during the upload says so, and the previous photo stays', async ({ page, newPage, awsUrl, browserErrors, allowFailedRequests }) => {
    const { rider, photoKey } = await riderWithPhoto(awsUrl, newPage)
    await page.goto('/sign-in')
    const photo = await makePhotoJpeg(page, { width: 1600, height: 1200 })
    const { avatar, shownBefore } = await signInShowingPhoto(page, rider)

    await cutS3Requests(page, awsUrl, PHOTO_PUT)
    await pickPhoto(page, { name: 'IMG_2043.jpg', mimeType: 'image/jpeg', buffer: photo })
    await page.getByRole('alert').filter({ hasText: "We can't reach Wild Rydes. Check your connection and try again." }).waitFor()
    await checkAccessibility(page)
    await screenshot(page, 'photo-upload-cut')

    expect(await avatar.isVisible()).toBe(true)
    await expectPreviousPhotoKept(avatar, shownBefore, awsUrl, rider, photoKey)
    expect(browserErrors.filter((error) => error.includes(CUT_REQUEST))).not.toEqual([])
    allowFailedRequests(CUT_REQUEST)
  })

  test('cancelling an upload midway keeps the previous photo, and nothing new is stored', async ({ page, newPage, awsUrl }) => {
    const { rider, photoKey } = await riderWithPhoto(awsUrl, newPage)
    await page.goto('/sign-in')
    const photo = await makePhotoJpeg(page, { width: 1600, height: 1200 })
    const { avatar, shownBefore } = await signInShowingPhoto(page, rider)

    await throttleUploads(page, SLOW_UPLOAD_BYTES_PER_SECOND)
    await pickPhoto(page, { name: 'IMG_2044.jpg', mimeType: 'image/jpeg', buffer: photo })
    const progressBar = page.getByRole('progressbar', { name: 'Uploading your photo' })
    await expect.poll(() => progressBar.getAttribute('aria-valuenow').then(Number), { interval: 50 }).toBeGreaterThan(0)
    await page.getByRole('button', { name: 'Cancel upload' }).click()
    await page.getByRole('button', { name: 'Change photo' }).waitFor()
    await page.getByRole('button', { name: 'Cancel upload' }).waitFor({ state: 'detached' })
    expect(await isFocused(page.getByRole('button', { name: 'Change photo' })), 'focus after the cancel button left').toBe(true)

    expect(await progressBar.count()).toBe(0)
    await expectPreviousPhotoKept(avatar, shownBefore, awsUrl, rider, photoKey)
  })

  test('a file that is not an image is refused with the accepted types, and the previous photo stays', async ({
    page,
    newPage,
    awsUrl,
  }) => {
    const { rider, photoKey } = await riderWithPhoto(awsUrl, newPage)
    const { avatar, shownBefore } = await signInShowingPhoto(page, rider)

    const notes = Buffer.from('Pick me up at the corner of 5th and Main, by the fountain.\n')
    await pickPhoto(page, { name: 'pickup-notes.jpg', mimeType: 'image/jpeg', buffer: notes })
    await page.getByRole('alert').filter({ hasText: 'JPEG, PNG, WebP or GIF' }).waitFor()
    await screenshot(page, 'photo-not-an-image')

    await expectPreviousPhotoKept(avatar, shownBefore, awsUrl, rider, photoKey)
  })

  test('the photo can be replaced from the keyboard, and focus stays in the photo section afterwards', async ({
    page,
    newPage,
    awsUrl,
  }) => {
    const { rider, photoKey } = await riderWithPhoto(awsUrl, newPage)
    await page.goto('/sign-in')
    const photo = await makePhotoJpeg(page, { width: 800, height: 600 })
    await signIn(page, rider)
    await expect.poll(() => isFocused(page.getByRole('heading', { level: 1, name: 'Your profile' }))).toBe(true)

    // Listening first: Playwright starts intercepting file choosers only once a listener exists, a round trip later.
    const choosing = page.waitForEvent('filechooser')
    await page.keyboard.press('Tab')
    expect(await isFocused(page.getByRole('button', { name: 'Change photo' }))).toBe(true)
    await page.keyboard.press('Enter')
    const chooser = await choosing
    await chooser.setFiles({ name: 'IMG_2045.jpg', mimeType: 'image/jpeg', buffer: photo })
    await page.getByRole('status').filter({ hasText: PHOTO_SAVED }).waitFor()
    await expect.poll(async () => keyOf(await avatarOf(page, rider).getAttribute('src'))).not.toBe(photoKey)
    const replacingKey = keyOf(await avatarOf(page, rider).getAttribute('src'))

    const focusAfterUpload = await page
      .getByRole('region', { name: 'Profile photo' })
      .evaluate((section) => (section.contains(document.activeElement) ? 'in the photo section' : document.activeElement?.tagName))
    expect(focusAfterUpload, 'where focus is after the upload').toBe('in the photo section')
    await expectOnlyPhoto(awsUrl, rider, replacingKey)
  })
})

describe('loading the profile photo', () => {
  /** Where the app saves a rider's signed photo URL in localStorage (src/lib/photo/savedPhotoUrl.ts). */
  const SAVED_URL_PREFIX = 'wildrydes:photo-url:'

  function savedUrlNames(page: Page): Promise<string[]> {
    return page.evaluate(
      (prefix) => Object.keys(localStorage).filter((name) => name.startsWith(prefix)),
      SAVED_URL_PREFIX,
    )
  }

  test('a reload shows the photo from the URL signed before it, with no call to Cognito first; signing out forgets that URL', async ({
    page,
    newPage,
    awsUrl,
  }) => {
    const { rider } = await riderWithPhoto(awsUrl, newPage)
    const { avatar, shownBefore } = await signInShowingPhoto(page, rider)
    await page.waitForLoadState('networkidle')
    expect(await savedUrlNames(page)).toHaveLength(1)

    /** Requests to AWS after the reload, in order: X-Amz-Target for Cognito, the URL for S3. */
    const sent: string[] = []
    page.on('request', (request) => {
      if (request.url().startsWith(`${awsUrl}/`)) sent.push(request.headers()['x-amz-target'] ?? request.url())
    })
    await page.reload()
    await avatar.waitFor()
    expect(await avatar.getAttribute('src')).toBe(shownBefore)
    expect(sent[0]).toBe(shownBefore)

    await page.getByRole('button', { name: 'Sign out', exact: true }).click()
    await page.waitForURL((url) => url.pathname === '/sign-in')
    expect(await savedUrlNames(page)).toEqual([])
    await signIn(page, rider)
    await avatar.waitFor()
    expect(keyOf(await avatar.getAttribute('src'))).toBe(keyOf(shownBefore))
    expect(await avatar.getAttribute('src')).not.toBe(shownBefore)
  })

  test('an upload chosen right after the page settled downloads no script and asks Cognito for nothing before its PUT', async ({
    page,
    newPage,
    awsUrl,
    appUrl,
  }) => {
    const { rider, photoKey } = await riderWithPhoto(awsUrl, newPage)
    await page.goto('/sign-in')
    const photo = await makePhotoJpeg(page, { width: 1600, height: 1200 })
    await signInShowingPhoto(page, rider)
    // A returning rider's reload: the photo from the saved URL, then the page settles (idle prefetch included).
    await page.reload()
    await avatarOf(page, rider).waitFor()
    await page.waitForLoadState('networkidle')

    /** What the browser sent after the file was chosen, in order, until the PUT. */
    const sent: string[] = []
    page.on('request', (request) => {
      if (request.url().startsWith(appUrl) && request.resourceType() === 'script') sent.push('script')
      else if (request.url().startsWith(`${awsUrl}/`)) sent.push(request.headers()['x-amz-target'] ?? `S3 ${request.method()}`)
    })
    await pickPhoto(page, { name: 'IMG_2044.jpg', mimeType: 'image/jpeg', buffer: photo })
    await page.getByRole('status').filter({ hasText: PHOTO_SAVED }).waitFor()

    expect(sent.slice(0, sent.indexOf('S3 PUT') + 1)).toEqual(['S3 PUT'])
    await expect.poll(async () => keyOf(await avatarOf(page, rider).getAttribute('src'))).not.toBe(photoKey)
  })
})
