import type { Page } from 'playwright-core'
import { describe, expect } from 'vitest'
import { test } from '../support/browser.ts'
import { keyOf, pickPhoto, profilePhotoOf, riderWithPhoto, signIn } from '../support/pages.ts'
import { makePhotoJpeg } from '../support/photo.ts'
import type { RegisteredRider } from '../support/riders.ts'
import { signInFromNode } from '../support/riders.ts'
import { PHOTO_PUT, answerS3With, failedRequestLine, skewS3Clock, type S3ErrorCode } from '../support/s3Faults.ts'

// Every S3 answer here is XML, parsed by the S3 client's browser build under the production CSP
// (docs/aws-behaviour.md#s3s-xml-is-parsed-without-domparser): a parser blocked by Trusted Types would show none of it.

const SERVER_TROUBLE = 'Something went wrong on our side. Please try again in a moment.'

/** What the rider reads for each S3 error a replacement can meet (src/lib/photo/photoErrors.ts). */
const UPLOAD_FAILURES: [S3ErrorCode, string][] = [
  ['AccessDenied', "Your photo couldn't be saved: access was refused. Please sign out, sign in again and retry."],
  ['SlowDown', "We're getting a lot of requests right now. Please wait a moment and try again."],
  ['ServiceUnavailable', SERVER_TROUBLE],
  ['InternalError', SERVER_TROUBLE],
]

/** One rider with a photo for the whole file: every test checks that its failure left that photo as it was. */
let sharedRider: Promise<{ rider: RegisteredRider; photoKey: string }> | undefined

/** Signs the shared rider in on `page`, with a photo to replace at hand, and returns what the avatar shows. */
async function readyToReplace(page: Page, awsUrl: string, newPage: () => Promise<Page>) {
  const { rider, photoKey } = await (sharedRider ??= riderWithPhoto(awsUrl, newPage))
  await page.goto('/sign-in')
  const photo = await makePhotoJpeg(page, { width: 640, height: 480 })
  await signIn(page, rider)
  const avatar = profilePhotoOf(page, rider.name)
  await avatar.waitFor()
  return { rider, photoKey, photo, avatar, shownBefore: await avatar.getAttribute('src') }
}

/** The user pool and the bucket as the rider's own credentials see them: `picture` and the only photo are `photoKey`. */
async function expectPhotoKept(awsUrl: string, rider: RegisteredRider, photoKey: string): Promise<void> {
  const session = await signInFromNode(awsUrl, rider)
  expect(session.picture).toBe(photoKey)
  expect(await session.listKeys(`protected/${session.identityId}/profile/`)).toEqual([photoKey])
}

describe('S3 errors on the photo, in Chromium under the production CSP', () => {
  test.for(UPLOAD_FAILURES)('a replacement S3 refuses with %s says "%s", and the previous photo and the name stay', async ([code, message], {
    page,
    newPage,
    awsUrl,
    allowFailedRequests,
  }) => {
    allowFailedRequests(failedRequestLine(code))
    const { rider, photoKey, photo, avatar, shownBefore } = await readyToReplace(page, awsUrl, newPage)

    await answerS3With(page, awsUrl, PHOTO_PUT, code)
    await pickPhoto(page, { name: 'IMG_4001.jpg', mimeType: 'image/jpeg', buffer: photo })
    await page.getByRole('alert').filter({ hasText: message }).waitFor()

    expect(await avatar.getAttribute('src')).toBe(shownBefore)
    expect(await page.getByRole('region', { name: 'Your details' }).innerText()).toContain(rider.name)
    await expectPhotoKept(awsUrl, rider, photoKey)
  })

  test('a device whose clock is 20 minutes slow has its upload refused by S3 (RequestTimeTooSkewed) and is told to fix the clock; the photo stays', async ({
    page,
    newPage,
    awsUrl,
    allowFailedRequests,
  }) => {
    allowFailedRequests(failedRequestLine('RequestTimeTooSkewed'))
    const { rider, photoKey, photo, avatar, shownBefore } = await readyToReplace(page, awsUrl, newPage)

    await skewS3Clock(page, awsUrl, PHOTO_PUT, 20)
    await pickPhoto(page, { name: 'IMG_4002.jpg', mimeType: 'image/jpeg', buffer: photo })
    await page.getByRole('alert').filter({ hasText: "Your device's clock is wrong. Set the correct time, then try again." }).waitFor()

    expect(await avatar.getAttribute('src')).toBe(shownBefore)
    await expectPhotoKept(awsUrl, rider, photoKey)
  })

  test('an upload S3 refuses with ExpiredToken ends the session: sign-in says the change was not saved, and after signing in the previous photo is there', async ({
    page,
    newPage,
    awsUrl,
    allowFailedRequests,
  }) => {
    allowFailedRequests(failedRequestLine('ExpiredToken'))
    const { rider, photoKey, photo } = await readyToReplace(page, awsUrl, newPage)

    await answerS3With(page, awsUrl, PHOTO_PUT, 'ExpiredToken')
    await pickPhoto(page, { name: 'IMG_4003.jpg', mimeType: 'image/jpeg', buffer: photo })
    await page.waitForURL((url) => url.pathname === '/sign-in')
    await page.getByRole('status').filter({ hasText: 'Your session ended before your last change was saved.' }).waitFor()
    await page.unrouteAll()
    await signIn(page, rider)

    const avatar = profilePhotoOf(page, rider.name)
    await avatar.waitFor()
    expect(keyOf(await avatar.getAttribute('src'))).toBe(photoKey)
    await expectPhotoKept(awsUrl, rider, photoKey)
  })
})
