import { randomBytes } from 'node:crypto'
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3'
import { createPinia, setActivePinia } from 'pinia'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { useTestAws } from '../support/localAwsHooks.ts'
import { latestCode } from '../support/mailbox.ts'
import { memoryStorage, newRider, storedKeys, type Rider } from '../support/riders.ts'

/*
 * The photo as the app runs it: src/lib/photo/photoWrites.ts and photoUrlKeeper.ts over src/lib/aws/userPool.ts,
 * tokens.ts, getUser.ts, credentials.ts, photoUrl.ts and s3.ts,
 * unmocked, with the official clients against local AWS. Node has no XMLHttpRequest, so s3.ts uses the SDK's Node
 * handler here (no upload progress); the browser path (XhrHttpHandler) is covered by the e2e test.
 */

const local = useTestAws()

/** The app as a fresh page load on a browser whose localStorage is `storage`: every module evaluated anew. */
async function openApp(storage: Storage) {
  vi.resetModules()
  vi.stubGlobal('localStorage', storage)
  const [userPool, tokens, { getUser }, credentials, s3, photoUrl, photoWrites, photoUrlKeeper] = await Promise.all([
    import('@/lib/aws/userPool'),
    import('@/lib/aws/tokens'),
    import('@/lib/aws/getUser'),
    import('@/lib/aws/credentials'),
    import('@/lib/aws/s3'),
    import('@/lib/aws/photoUrl'),
    import('@/lib/photo/photoWrites'),
    import('@/lib/photo/photoUrlKeeper'),
  ])
  return { userPool, tokens, getUser, credentials, s3, photoUrl, photoWrites, photoUrlKeeper }
}

type App = Awaited<ReturnType<typeof openApp>>

async function signUpAndSignIn(app: App, details: Rider): Promise<void> {
  await app.userPool.signUp({ email: details.email, password: details.password, phoneNumber: details.phone, name: details.name })
  await app.userPool.confirmSignUp(details.email, await latestCode(local.aws.url, details.email, 'sign-up'))
  expect(await app.userPool.signIn(details.email, details.password)).toMatchObject({ kind: 'signedIn' })
}

/**
 * The photo service's replace, minus the image pipeline: PUT, `picture`, the session refresh (whose claims must name
 * the new key), then the replaced object's deletion.
 */
async function uploadPhoto(app: App, bytes: Uint8Array, previousKey?: string): Promise<string> {
  let refreshedPicture: string | undefined
  const key = await app.photoWrites.replacePhoto(
    { blob: bytes, type: 'image/webp', extension: 'webp' },
    {
      ...(previousKey ? { previousKey } : {}),
      refreshSession: async () => {
        refreshedPicture = (await app.tokens.refreshSession()).picture
      },
    },
  )
  expect(refreshedPicture).toBe(key)
  return key
}

/** The keys under the rider's own profile prefix, listed with their own credentials. */
async function listOwnPhotos(app: App, identityId: string): Promise<string[] | undefined> {
  const rider = await app.credentials.getRiderCredentials()
  const listing = await new S3Client({
    region: local.aws.config.region,
    endpoint: local.aws.url,
    forcePathStyle: true,
    credentials: rider.provider,
  }).send(new ListObjectsV2Command({ Bucket: local.aws.config.bucket, Prefix: `protected/${identityId}/profile/` }))
  return listing.Contents?.map((object) => object.Key ?? '')
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

/** A rider of their own browser, signed up and signed in: each test makes the riders it needs, so any one runs alone. */
async function newSignedInRider(name: string) {
  const storage: Storage = memoryStorage()
  const rider = newRider({ name })
  const app = await openApp(storage)
  await signUpAndSignIn(app, rider)
  const identityId = await (await app.credentials.getRiderCredentials()).identityId()
  return { storage, rider, app, identityId }
}

/** A signed-in rider whose photo is uploaded: `photo` holds the bytes stored under `key`. */
async function riderWithPhoto(name: string) {
  const signedIn = await newSignedInRider(name)
  const photo = new Uint8Array(randomBytes(48_000))
  const key = await uploadPhoto(signedIn.app, photo)
  return { ...signedIn, photo, key }
}

describe('profile photo against local AWS', () => {
  it('A uploads a photo under their own prefix and `picture` names it', async () => {
    const { app, key, identityId } = await riderWithPhoto('Ada Lovelace')
    expect(key).toMatch(new RegExp(`^protected/${identityId}/profile/[0-9a-f-]{36}\\.webp$`))
    expect((await app.getUser()).attributes.picture).toBe(key)
  })

  it('a fresh session restores the photo from the claims, and the bytes fetched are the bytes uploaded', async () => {
    const { storage, key, identityId, photo } = await riderWithPhoto('Ada Lovelace')
    const app = await openApp(storage)
    const claims = await app.tokens.currentClaims()
    expect(claims?.picture).toBe(key)
    expect(await (await app.credentials.getRiderCredentials()).identityId()).toBe(identityId)
    const { url, expiresAt } = await app.photoUrl.getPhotoUrl(key)
    expect(expiresAt).toBeGreaterThan(Date.now())
    const fetched = await fetchBytes(url)
    expect(fetched.status).toBe(200)
    expect(Buffer.from(fetched.bytes).equals(Buffer.from(photo))).toBe(true)
  })

  it('B can read A’s photo, but cannot overwrite or delete it', async () => {
    const riderA = await riderWithPhoto('Ada Lovelace')
    const { app } = await newSignedInRider('Grace Hopper')
    expect(await (await app.credentials.getRiderCredentials()).identityId()).not.toBe(riderA.identityId)

    const readByB = await fetchBytes((await app.photoUrl.getPhotoUrl(riderA.key)).url)
    expect(readByB.status).toBe(200)
    expect(Buffer.from(readByB.bytes).equals(Buffer.from(riderA.photo))).toBe(true)

    const overwrite = await failureOf(app.s3.putObject(riderA.key, new Uint8Array([1, 2, 3]), 'image/webp'))
    expect(overwrite).toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } })
    const deletion = await failureOf(app.s3.deleteObject(riderA.key))
    expect(deletion).toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } })

    const afterwards = await fetchBytes((await app.photoUrl.getPhotoUrl(riderA.key)).url)
    expect(Buffer.from(afterwards.bytes).equals(Buffer.from(riderA.photo))).toBe(true)
  })

  it('replacing the photo leaves exactly one object under A’s profile/ prefix', async () => {
    const { app, key: firstKey, identityId } = await riderWithPhoto('Ada Lovelace')
    const secondPhoto = new Uint8Array(randomBytes(30_000))
    const secondKey = await uploadPhoto(app, secondPhoto, firstKey)

    expect(await listOwnPhotos(app, identityId)).toEqual([secondKey])
    expect((await app.getUser()).attributes.picture).toBe(secondKey)
    // Gone: S3 answers 403, not 404, to a caller without an unconditional s3:ListBucket on the bucket.
    expect((await fetchBytes((await app.photoUrl.getPhotoUrl(firstKey)).url)).status).toBe(403)
  })

  it('removing the photo clears `picture` and deletes the object', async () => {
    const { app, key, identityId } = await riderWithPhoto('Ada Lovelace')

    await app.photoWrites.removePhoto(key, () => app.tokens.refreshSession())

    expect((await app.getUser()).attributes.picture).toBeUndefined()
    expect(await listOwnPhotos(app, identityId)).toBeUndefined()
  })

  it('deleting the account through the session store deletes the rider’s photos first, with no photo section', async () => {
    const { app, storage, rider: riderC, key: photoKey, identityId: identityOfC } = await riderWithPhoto('Mary Somerville')
    // A half-saved upload the rider never saw: it goes with the account too.
    const leftOver = `protected/${identityOfC}/profile/${crypto.randomUUID()}.jpeg`
    await app.s3.putObject(leftOver, new Uint8Array([1, 2, 3]), 'image/jpeg')
    expect((await listOwnPhotos(app, identityOfC))?.sort()).toEqual([photoKey, leftOver].sort())

    const { useSessionStore } = await import('@/stores/session')
    const pinia = createPinia()
    setActivePinia(pinia)
    const session = useSessionStore(pinia)
    expect(await session.restore()).toBe(true)
    // The photo as the page showed it: its signed URL saved on the device for the next reload.
    const sub = session.claims?.sub ?? ''
    await app.photoUrlKeeper.keepPhotoUrl({ onUrl: () => undefined, onFailure: (failure) => { throw failure } }).show(photoKey, sub)
    expect(storedKeys(storage)).toContain(`wildrydes:photo-url:${sub}`)
    expect(await session.deleteAccount({ password: riderC.password })).toBe(true)
    expect(session.isSignedIn).toBe(false)
    // Nothing of the rider stays on the device: no token, no saved photo URL.
    expect(storedKeys(storage).filter((key) => key.startsWith('CognitoIdentityServiceProvider.') || key.startsWith('wildrydes:'))).toEqual([])

    // Another rider may read protected/ objects: what is gone answers 403 (no s3:ListBucket there), not the bytes.
    const { app: reader } = await newSignedInRider('Emmy Noether')
    for (const key of [photoKey, leftOver]) {
      expect((await fetchBytes((await reader.photoUrl.getPhotoUrl(key)).url)).status).toBe(403)
    }
    await expect(reader.userPool.signIn(riderC.email, riderC.password)).rejects.toMatchObject({ code: 'NotAuthorizedException' })
  })

  it('signing out drops the rider’s credentials; the next rider on the same browser gets their own identity', async () => {
    const riderA = await newSignedInRider('Ada Lovelace')
    const riderB = newRider({ name: 'Grace Hopper' })
    await signUpAndSignIn(await openApp(memoryStorage()), riderB)
    const app = await openApp(riderA.storage)
    const before = await app.credentials.getRiderCredentials()
    await app.userPool.signOut()
    await expect(app.credentials.getRiderCredentials()).rejects.toMatchObject({ name: 'NotSignedInError' })
    expect(await app.userPool.signIn(riderB.email, riderB.password)).toMatchObject({ kind: 'signedIn' })
    const after = await app.credentials.getRiderCredentials()
    expect(after).not.toBe(before)
    expect(await after.identityId()).not.toBe(riderA.identityId)
  })
})
