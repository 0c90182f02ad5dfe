import { randomBytes } from 'node:crypto'
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { useTestAws } from '../support/localAwsHooks.ts'
import { latestCode } from '../support/mailbox.ts'
import { memoryStorage, newRider, type Rider } from '../support/riders.ts'

/*
 * The photo's AWS path as the app runs it: src/lib/aws/userPool.ts, credentials.ts and s3.ts, unmocked, with the
 * official clients against local AWS. Node has no XMLHttpRequest, so s3.ts uses the SDK's Node handler here (no upload
 * progress); the browser path (XhrHttpHandler) is covered by the e2e test.
 */

const local = useTestAws()

/** The app as a fresh page load on a browser whose localStorage is `storage`: every module evaluated anew. */
async function openApp(storage: Storage) {
  vi.resetModules()
  vi.stubGlobal('localStorage', storage)
  const [userPool, credentials, s3] = await Promise.all([
    import('@/lib/aws/userPool'),
    import('@/lib/aws/credentials'),
    import('@/lib/aws/s3'),
  ])
  return { userPool, credentials, s3 }
}

type App = Awaited<ReturnType<typeof openApp>>

async function signUpAndSignIn(app: App, details: Rider): Promise<void> {
  await app.userPool.signUp({ email: details.email, password: details.password, phoneNumber: details.phone, name: details.name })
  await app.userPool.confirmSignUp(details.email, await latestCode(local.aws.url, details.email, 'sign-up'))
  expect(await app.userPool.signIn(details.email, details.password)).toMatchObject({ kind: 'signedIn' })
}

/** What the composable does for an upload, minus the image pipeline: PUT, then `picture`, then the session refresh. */
async function uploadPhoto(app: App, bytes: Uint8Array): Promise<string> {
  const identityId = await (await app.credentials.getRiderCredentials()).identityId()
  const key = `protected/${identityId}/profile/${crypto.randomUUID()}.webp`
  await app.s3.putObject(key, bytes, 'image/webp')
  await app.userPool.updateUserAttributes({ picture: key })
  expect((await app.userPool.refreshSession()).picture).toBe(key)
  return key
}

async function fetchBytes(url: string): Promise<{ status: number; bytes: Uint8Array }> {
  const response = await fetch(url)
  return { status: response.status, bytes: new Uint8Array(await response.arrayBuffer()) }
}

async function failureOf(call: Promise<unknown>): Promise<{ name?: string; $metadata?: { httpStatusCode?: number } } | undefined> {
  return call.then(
    () => undefined,
    (error: unknown) => error as { name?: string },
  )
}

beforeAll(() => {
  for (const [name, value] of Object.entries(local.aws.viteEnv)) vi.stubEnv(name, value)
})

afterAll(() => {
  vi.unstubAllEnvs()
  vi.unstubAllGlobals()
})

describe('profile photo against local AWS', () => {
  const browserOfA = memoryStorage() as Storage
  const browserOfB = memoryStorage() as Storage
  const riderA = newRider({ name: 'Ada Lovelace' })
  const riderB = newRider({ name: 'Grace Hopper' })
  const firstPhoto = new Uint8Array(randomBytes(48_000))
  let firstKey = ''
  let identityOfA = ''

  it('A uploads a photo under their own prefix and `picture` names it', async () => {
    const app = await openApp(browserOfA)
    await signUpAndSignIn(app, riderA)
    firstKey = await uploadPhoto(app, firstPhoto)
    identityOfA = await (await app.credentials.getRiderCredentials()).identityId()
    expect(firstKey).toMatch(new RegExp(`^protected/${identityOfA}/profile/[0-9a-f-]{36}\\.webp$`))
  })

  it('a fresh session restores the photo from the claims, and the bytes fetched are the bytes uploaded', async () => {
    const app = await openApp(browserOfA)
    const claims = await app.userPool.getCurrentSession()
    expect(claims?.picture).toBe(firstKey)
    expect(await (await app.credentials.getRiderCredentials()).identityId()).toBe(identityOfA)
    const { url, expiresAt } = await app.s3.getPhotoUrl(firstKey)
    expect(expiresAt).toBeGreaterThan(Date.now())
    const fetched = await fetchBytes(url)
    expect(fetched.status).toBe(200)
    expect(Buffer.from(fetched.bytes).equals(Buffer.from(firstPhoto))).toBe(true)
  })

  it('B can read A’s photo, but cannot overwrite or delete it', async () => {
    const app = await openApp(browserOfB)
    await signUpAndSignIn(app, riderB)
    expect(await (await app.credentials.getRiderCredentials()).identityId()).not.toBe(identityOfA)

    const readByB = await fetchBytes((await app.s3.getPhotoUrl(firstKey)).url)
    expect(readByB.status).toBe(200)
    expect(Buffer.from(readByB.bytes).equals(Buffer.from(firstPhoto))).toBe(true)

    const overwrite = await failureOf(app.s3.putObject(firstKey, new Uint8Array([1, 2, 3]), 'image/webp'))
    expect(overwrite).toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } })
    const deletion = await failureOf(app.s3.deleteObject(firstKey))
    expect(deletion).toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } })

    const afterwards = await fetchBytes((await app.s3.getPhotoUrl(firstKey)).url)
    expect(Buffer.from(afterwards.bytes).equals(Buffer.from(firstPhoto))).toBe(true)
  })

  it('replacing the photo leaves exactly one object under A’s profile/ prefix', async () => {
    const app = await openApp(browserOfA)
    const secondPhoto = new Uint8Array(randomBytes(30_000))
    const secondKey = await uploadPhoto(app, secondPhoto)
    await app.s3.deleteObject(firstKey)

    const rider = await app.credentials.getRiderCredentials()
    const listing = await new S3Client({
      region: local.aws.config.region,
      endpoint: local.aws.url,
      forcePathStyle: true,
      credentials: rider.provider,
    }).send(new ListObjectsV2Command({ Bucket: local.aws.config.bucket, Prefix: `protected/${identityOfA}/profile/` }))
    expect(listing.Contents?.map((object) => object.Key)).toEqual([secondKey])
    // Gone: S3 answers 403, not 404, to a caller without an unconditional s3:ListBucket on the bucket.
    expect((await fetchBytes((await app.s3.getPhotoUrl(firstKey)).url)).status).toBe(403)
  })

  it('signing out drops the rider’s credentials; the next rider on the same browser gets their own identity', async () => {
    const app = await openApp(browserOfA)
    const before = await app.credentials.getRiderCredentials()
    await app.userPool.signOut()
    await expect(app.credentials.getRiderCredentials()).rejects.toMatchObject({ name: 'NotSignedInError' })
    expect(await app.userPool.signIn(riderB.email, riderB.password)).toMatchObject({ kind: 'signedIn' })
    const after = await app.credentials.getRiderCredentials()
    expect(after).not.toBe(before)
    expect(await after.identityId()).not.toBe(identityOfA)
  })
})
