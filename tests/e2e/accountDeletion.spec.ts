import { ListObjectsV2Command } from '@aws-sdk/client-s3'
import type { Page } from 'playwright-core'
import { describe, expect } from 'vitest'
import { fetchLocalConfig, localS3Client } from '../../scripts/deploy.ts'
import { checkAccessibility, test } from '../support/browser.ts'
import { CUT_REQUEST, profilePhotoOf, riderWithPhoto, signIn } from '../support/pages.ts'
import type { RegisteredRider } from '../support/riders.ts'
import { PHOTO_LISTING, answerS3With, cutS3Requests, failedRequestLine } from '../support/s3Faults.ts'

/** Cognito's answer to a sign-in it refuses is an HTTP 400, which Chromium logs as a console error of its own. */
const REFUSED_WITH_400 = 'status of 400'

/** The rider's prefix, `protected/{identityId}/`, from the key of one of their photos. */
function prefixOf(photoKey: string): string {
  return `${photoKey.split('/').slice(0, 2).join('/')}/`
}

/** Every object under `prefix`, as local AWS's administrator lists it: the bucket itself, not what a rider may see. */
async function objectsUnder(awsUrl: string, prefix: string): Promise<string[]> {
  const config = await fetchLocalConfig(awsUrl)
  if (!config) throw new Error(`No local AWS at ${awsUrl}`)
  const { Contents = [] } = await localS3Client(config).send(new ListObjectsV2Command({ Bucket: config.bucket, Prefix: prefix }))
  return Contents.flatMap(({ Key }) => (Key ? [Key] : []))
}

/** Opens the dialog, proves it is the rider with `password` and confirms, as the rider does. */
async function deleteAccount(page: Page, password: string): Promise<void> {
  await page.getByRole('button', { name: 'Delete account…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Delete your account?' })
  await dialog.getByLabel('Your password').fill(password)
  await dialog.getByRole('button', { name: 'Delete my account' }).click()
}

/** The deletion failed: the dialog says why, and the rider, their photo and their name are all still there. */
async function expectNothingDeleted(page: Page, awsUrl: string, rider: RegisteredRider, photoKey: string, message: string): Promise<void> {
  await page.getByRole('dialog', { name: 'Delete your account?' }).getByText(message).waitFor()
  await page.unrouteAll()
  expect(await objectsUnder(awsUrl, prefixOf(photoKey))).toEqual([photoKey])
  await page.reload()
  await profilePhotoOf(page, rider.name).waitFor()
  expect(await page.getByRole('region', { name: 'Your details' }).innerText()).toContain(rider.name)
}

describe('deleting the account in Chromium under the production CSP', () => {
  test('a rider with a photo deletes their account: the home page says so, the photo is gone from the bucket, and the rider cannot sign in', async ({
    page,
    newPage,
    awsUrl,
    allowFailedRequests,
  }) => {
    allowFailedRequests(REFUSED_WITH_400)
    const { rider, photoKey } = await riderWithPhoto(awsUrl, newPage)
    await signIn(page, rider)
    await profilePhotoOf(page, rider.name).waitFor()

    await deleteAccount(page, rider.password)
    await page.waitForURL((url) => url.pathname === '/')
    await page.getByRole('status').filter({ hasText: 'Your account has been deleted.' }).waitFor()
    await checkAccessibility(page)
    expect(await objectsUnder(awsUrl, prefixOf(photoKey))).toEqual([])

    await page.goto('/sign-in')
    await page.getByLabel('Email', { exact: true }).fill(rider.email)
    await page.getByLabel('Password', { exact: true }).fill(rider.password)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await page.getByRole('alert').filter({ hasText: "That email and password don't match. Check them and try again." }).waitFor()
    expect(new URL(page.url()).pathname).toBe('/sign-in')
  })

  test('S3 refusing the listing (AccessDenied) says so in the dialog, and the account, photo and name stay', async ({
    page,
    newPage,
    awsUrl,
    allowFailedRequests,
  }) => {
    allowFailedRequests(failedRequestLine('AccessDenied'))
    const { rider, photoKey } = await riderWithPhoto(awsUrl, newPage)
    await signIn(page, rider)
    await profilePhotoOf(page, rider.name).waitFor()

    await answerS3With(page, awsUrl, PHOTO_LISTING, 'AccessDenied')
    await deleteAccount(page, rider.password)
    await expectNothingDeleted(page, awsUrl, rider, photoKey, "Your account couldn't be deleted: access to your photo was refused.")
  })

  test('a network cut while deleting says so in the dialog, and the account, photo and name stay', async ({
    page,
    newPage,
    awsUrl,
    allowFailedRequests,
  }) => {
    allowFailedRequests(CUT_REQUEST)
    const { rider, photoKey } = await riderWithPhoto(awsUrl, newPage)
    await signIn(page, rider)
    await profilePhotoOf(page, rider.name).waitFor()

    await cutS3Requests(page, awsUrl, PHOTO_LISTING)
    await deleteAccount(page, rider.password)
    await expectNothingDeleted(page, awsUrl, rider, photoKey, "We can't reach Wild Rydes. Check your connection and try again.")
  })

  test('a wrong password refuses the deletion in the dialog, and the account, photo and name stay', async ({
    page,
    newPage,
    awsUrl,
    allowFailedRequests,
  }) => {
    allowFailedRequests(REFUSED_WITH_400)
    const { rider, photoKey } = await riderWithPhoto(awsUrl, newPage)
    await signIn(page, rider)
    await profilePhotoOf(page, rider.name).waitFor()

    await deleteAccount(page, `${rider.password}x`)
    await expectNothingDeleted(page, awsUrl, rider, photoKey, "That password isn't right.")
  })
})
