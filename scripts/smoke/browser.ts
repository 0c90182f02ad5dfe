/*
 * The smoke check in a browser: the deployed site, as served (its CSP and Trusted Types included), driven in Debian's
 * Chromium by a throwaway rider the deployer makes with the admin operations. What runs is the site's own build, so it
 * meets what the Node check cannot: the browser build of the SDK (its XML parser among it) under the site's headers.
 */
import { AdminCreateUserCommand } from '@aws-sdk/client-cognito-identity-provider'
import { ListObjectsV2Command } from '@aws-sdk/client-s3'
import type { Browser, Page } from 'playwright-core'
import { launchChromium, watchForTrouble, type BrowserTrouble } from '../../tests/support/chromium.ts'
import { PHOTO_SAVED, keyOf, pickPhoto, profilePhotoOf, unexpectedBrowserErrors } from '../../tests/support/pages.ts'
import { PHOTO_PUT, failedRequestLine, skewS3Clock } from '../../tests/support/s3Faults.ts'
import { Interrupted } from './report.ts'
import { asDeployer, cleanUpRun, startRun, expect, generatePng, objectUrl, riderPassword, type SmokeOptions, type SmokeTarget } from './run.ts'

const RIDER_NAME = 'Smoke Browser'
const CLOCK_WRONG = "Your device's clock is wrong. Set the correct time, then try again."
/** Requests the check makes fail on purpose: the skewed upload (403) and the deleted rider's sign-in (400). */
const DELIBERATE_FAILURES = [failedRequestLine('RequestTimeTooSkewed'), 'status of 400']

/** A PNG file as the rider picks it. */
function photoFile(name: string): { name: string; mimeType: string; buffer: Buffer } {
  return { name, mimeType: 'image/png', buffer: Buffer.from(generatePng(64)) }
}

/** The signed-in rider's profile photo once it has loaded from the bucket; its key. */
async function shownPhotoKey(page: Page): Promise<string> {
  const avatar = profilePhotoOf(page, RIDER_NAME)
  await avatar.waitFor()
  await page.waitForFunction((image) => image instanceof HTMLImageElement && image.complete && image.naturalWidth > 0, await avatar.elementHandle())
  return keyOf(await avatar.getAttribute('src'))
}

/**
 * Drives the deployed site in Chromium at `chromiumPath` as a throwaway rider: sign-in, upload, replace, reload, an
 * upload S3 refuses, account deletion; no CSP violation and no console error allowed. Cleans up as the Node check does
 * (the journal, then the admin operations), also after a failure or Ctrl-C.
 * @returns whether every check passed
 */
export async function runBrowserSmoke(target: SmokeTarget, chromiumPath: string, { journalDir, log = console.log, signal }: SmokeOptions): Promise<boolean> {
  const { report, env, runId, journal } = startRun(target, { journalDir, log, signal })
  const minimumLength = (JSON.parse(env.VITE_PASSWORD_POLICY ?? '{}') as { minimumLength?: number }).minimumLength ?? 8
  const rider = { email: `success+wild-rydes-smoke-${runId}-browser@simulator.amazonses.com`, password: riderPassword(minimumLength) }
  const temporaryPassword = riderPassword(minimumLength)
  const trouble: BrowserTrouble = { errors: [], cspViolations: [] }
  const s3Origin = new URL(await objectUrl(target, 'protected/')).origin
  let browser: Browser | undefined
  let page: Page | undefined
  let photoKey = ''
  log(`\nIn Chromium (${chromiumPath}), site ${target.siteUrl}`)

  try {
    const made = await report.check('a throwaway rider, made by the deployer with a temporary password (AdminCreateUser)', async () => {
      journal.add('riders', rider.email)
      const attributes = { email: rider.email, email_verified: 'true', name: RIDER_NAME, phone_number: '+15555550100' }
      await asDeployer(
        'cognito-idp:AdminCreateUser',
        target.admin.cognito.send(
          new AdminCreateUserCommand({
            UserPoolId: env.VITE_USER_POOL_ID,
            Username: rider.email,
            TemporaryPassword: temporaryPassword,
            MessageAction: 'SUPPRESS',
            UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
          }),
        ),
      )
    })
    const signedIn = await report.check(
      'they sign in on the site with it, choose their own password, and land on their profile',
      async () => {
        browser = await launchChromium(chromiumPath)
        const context = await browser.newContext({ baseURL: target.siteUrl })
        await watchForTrouble(context, trouble)
        // The rider's prefix goes in the journal before their credentials (hence any write) reach the page.
        await context.route('**/*', async (route, request) => {
          if (request.headers()['x-amz-target'] === 'AWSCognitoIdentityService.GetCredentialsForIdentity') {
            const { IdentityId } = request.postDataJSON() as { IdentityId?: string }
            if (IdentityId) journal.add('prefixes', `protected/${IdentityId}/`)
          }
          await route.fallback()
        })
        page = await context.newPage()
        await page.goto('/sign-in')
        await page.getByLabel('Email', { exact: true }).fill(rider.email)
        await page.getByLabel('Password', { exact: true }).fill(temporaryPassword)
        await page.getByRole('button', { name: 'Sign in', exact: true }).click()
        await page.getByLabel('New password', { exact: true }).fill(rider.password)
        await page.getByRole('button', { name: 'Save password and continue' }).click()
        await page.waitForURL((url) => url.pathname === '/profile')
      },
      made ? undefined : 'the rider',
    )
    const uploaded = await report.check(
      'they upload a photo; it shows, loaded from the bucket',
      async () => {
        await pickPhoto(page!, photoFile('smoke-1.png'))
        await page!.getByRole('status').filter({ hasText: PHOTO_SAVED }).waitFor()
        photoKey = await shownPhotoKey(page!)
        expect(journal.entries.prefixes.some((prefix) => photoKey.startsWith(prefix)), `the photo went to ${photoKey}, outside the rider's prefix`)
      },
      signedIn ? undefined : 'a signed-in rider',
    )
    const needsPhoto = uploaded ? undefined : 'a photo'
    await report.check(
      'they replace it; the new one shows, and it is the only object under their prefix',
      async () => {
        await pickPhoto(page!, photoFile('smoke-2.png'))
        await page!.waitForFunction((previous) => !document.querySelector(`img[src*="${previous}"]`), photoKey.split('/').pop())
        photoKey = await shownPhotoKey(page!)
        const prefix = `${photoKey.split('/').slice(0, 2).join('/')}/`
        const { Contents = [] } = await asDeployer('s3:ListBucket on the photo bucket', target.admin.s3.send(new ListObjectsV2Command({ Bucket: env.VITE_PHOTO_BUCKET, Prefix: prefix })))
        const keys = Contents.map(({ Key }) => Key)
        expect(keys.length === 1 && keys[0] === photoKey, `the prefix holds ${keys.join(', ')}`)
      },
      needsPhoto,
    )
    await report.check('after a reload the photo still shows', async () => {
      await page!.reload()
      const shown = await shownPhotoKey(page!)
      expect(shown === photoKey, `the reloaded page shows ${shown}`)
    }, needsPhoto)
    await report.check(
      'an upload from a clock 20 minutes slow: S3 refuses it (RequestTimeTooSkewed), the rider reads why, the photo stays',
      async () => {
        await skewS3Clock(page!, s3Origin, PHOTO_PUT, 20)
        await pickPhoto(page!, photoFile('smoke-3.png'))
        await page!.getByRole('alert').filter({ hasText: CLOCK_WRONG }).waitFor()
        await page!.unrouteAll()
        const shown = await shownPhotoKey(page!)
        expect(shown === photoKey, `the avatar shows ${shown}`)
      },
      needsPhoto,
    )
    await report.check(
      'they delete their account: the site says so, nothing is left under their prefix, and they cannot sign in',
      async () => {
        await page!.goto('/profile')
        await page!.getByRole('button', { name: 'Delete account…' }).click()
        const dialog = page!.getByRole('dialog', { name: 'Delete your account?' })
        await dialog.getByLabel('Your password').fill(rider.password)
        await dialog.getByRole('button', { name: 'Delete my account' }).click()
        await page!.getByRole('status').filter({ hasText: 'Your account has been deleted.' }).waitFor()
        for (const prefix of journal.entries.prefixes) {
          const listing = await asDeployer('s3:ListBucket on the photo bucket', target.admin.s3.send(new ListObjectsV2Command({ Bucket: env.VITE_PHOTO_BUCKET, Prefix: prefix })))
          expect((listing.KeyCount ?? 0) === 0, `${listing.KeyCount} object(s) left under ${prefix}`)
        }
        await page!.goto('/sign-in')
        await page!.getByLabel('Email', { exact: true }).fill(rider.email)
        await page!.getByLabel('Password', { exact: true }).fill(rider.password)
        await page!.getByRole('button', { name: 'Sign in', exact: true }).click()
        await page!.getByRole('alert').filter({ hasText: "That email and password don't match." }).waitFor()
        expect(new URL(page!.url()).pathname === '/sign-in', `the deleted rider reached ${page!.url()}`)
      },
      signedIn ? undefined : 'a signed-in rider',
    )
    await report.check(
      'no Content-Security-Policy violation and no console error on any page',
      async () => {
        const errors = unexpectedBrowserErrors(trouble.errors, ...DELIBERATE_FAILURES)
        expect(trouble.cspViolations.length === 0, `CSP: ${trouble.cspViolations.join('; ')}`)
        expect(errors.length === 0, errors.join('; '))
      },
      signedIn ? undefined : 'a signed-in rider',
    )
  } catch (error) {
    if (!(error instanceof Interrupted)) throw error
  } finally {
    await (browser as Browser | undefined)?.close()
    await cleanUpRun('clean-up: what is left of the photos and the rider (AdminDeleteUser)', { report, journal, target, log })
  }
  log(report.summary())
  return report.isSuccess && !signal?.aborted
}
