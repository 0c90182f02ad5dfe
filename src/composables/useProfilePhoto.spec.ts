import { createPinia, setActivePinia } from 'pinia'
import { effectScope, type EffectScope } from 'vue'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { IdTokenClaims } from '@/lib/aws/claims'
import { useProfileStore } from '@/stores/profile'
import { useSessionStore } from '@/stores/session'
import { useProfilePhoto } from './useProfilePhoto'

// A small world behind the mocked src/lib/aws and src/lib/image: the user pool's `picture`, the bucket's objects, and a
// log of every call in order. The real session and profile stores sit between the composable and that world.
const world = vi.hoisted(() => ({
  picture: undefined as string | undefined,
  objects: new Map<string, string>(),
  log: [] as string[],
  /** Calls that fail, by name (e.g. `putObject`), with the error they throw. */
  failures: new Map<string, Error>(),
  /** A putObject that waits for its signal: for cancelling mid-upload. */
  isPutHeld: false,
  /** Runs as UpdateUserAttributes is sent. */
  onUpdateUserAttributes: undefined as (() => void) | undefined,
  signatures: 0,
  /** Every signing gives the same URL, as two signings within one second of the same credentials do. */
  isUrlStable: false,
  urlLifetimeMs: 3_600_000,
  /** The signed-in rider's user-pool `sub`. */
  sub: 'sub-a',
}))

function failIfAsked(name: string): void {
  const failure = world.failures.get(name)
  if (failure) throw failure
}

function named(name: string, message = name): Error {
  return Object.assign(new Error(message), { name })
}

/** The rider's claims (and attributes) as the fake user pool holds them now. */
function claims() {
  return { sub: 'sub-a', email: 'a@example.com', name: 'Ada Lovelace', ...(world.picture ? { picture: world.picture } : {}) }
}

vi.mock('@/lib/aws/userPool', () => ({
  updateUserAttributes: async (changes: { picture?: string }) => {
    world.log.push(`UpdateUserAttributes picture=${changes.picture}`)
    world.onUpdateUserAttributes?.()
    failIfAsked('updateUserAttributes')
    world.picture = changes.picture
    // The pool wrote it, but the answer never came back.
    failIfAsked('updateUserAttributesAnswer')
    return []
  },
  deleteUserAttributes: async (names: string[]) => {
    world.log.push(`DeleteUserAttributes ${names.join(',')}`)
    failIfAsked('deleteUserAttributes')
    world.picture = undefined
  },
  signOut: async () => {
    world.log.push('SignOut')
  },
}))

vi.mock('@/lib/aws/tokens', () => ({
  refreshSession: async () => {
    world.log.push('RefreshSession')
    failIfAsked('refreshSession')
    return claims()
  },
}))

vi.mock('@/lib/aws/getUser', () => ({
  getUser: async () => {
    world.log.push('GetUser')
    failIfAsked('getUser')
    return { attributes: claims(), twoStepSignIn: { isOn: false } }
  },
}))

vi.mock('@/lib/aws/credentials', () => ({
  getRiderCredentials: async () => {
    failIfAsked('getRiderCredentials')
    return { sub: world.sub, identityId: async () => 'eu-west-1:id-a' }
  },
}))

vi.mock('@/lib/aws/s3', () => ({
  putObject: async (key: string, _body: Blob, contentType: string, options: { onProgress?: (p: object) => void; signal?: AbortSignal }) => {
    world.log.push(`PUT ${key} ${contentType}`)
    options.onProgress?.({ loaded: 50, total: 100 })
    if (world.isPutHeld) {
      await new Promise((_resolve, reject) => options.signal?.addEventListener('abort', () => reject(named('AbortError'))))
    }
    world.objects.set(key, contentType)
    failIfAsked('putObject')
    options.onProgress?.({ loaded: 100, total: 100 })
  },
  deleteObject: async (key: string) => {
    world.log.push(`DELETE ${key}`)
    failIfAsked('deleteObject')
    world.objects.delete(key)
  },
}))

vi.mock('@/lib/aws/photoUrl', () => ({
  getPhotoUrl: async (key: string) => {
    world.log.push(`sign ${key}`)
    failIfAsked('getPhotoUrl')
    world.signatures += 1
    const signature = world.isUrlStable ? 'stable' : world.signatures
    return { url: `https://photos.test/${key}?signature=${signature}`, expiresAt: Date.now() + world.urlLifetimeMs }
  },
}))

vi.mock('@/lib/image', async (importActual) => ({
  PhotoRejectedError: (await importActual<typeof import('@/lib/image')>()).PhotoRejectedError,
  processPhoto: async (file: Blob) => {
    world.log.push('process')
    failIfAsked('processPhoto')
    return { blob: file, type: 'image/webp', extension: 'webp', width: 1024, height: 768, bytes: 61_440 }
  },
}))

const OLD_KEY = 'protected/eu-west-1:id-a/profile/old.webp'
const NEW_KEY = /^protected\/eu-west-1:id-a\/profile\/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\.webp$/

let scope: EffectScope

function signedInWith(picture: string | undefined): ReturnType<typeof useProfilePhoto> {
  world.picture = picture
  if (picture) world.objects.set(picture, 'image/webp')
  useSessionStore().claims = { sub: world.sub, email: 'a@example.com', name: 'Ada Lovelace', ...(picture ? { picture } : {}) } as IdTokenClaims
  scope = effectScope()
  const photo = scope.run(() => useProfilePhoto())
  if (!photo) throw new Error('useProfilePhoto returned nothing')
  return photo
}

async function shown(photo: ReturnType<typeof useProfilePhoto>, key: string): Promise<void> {
  await vi.waitFor(() => expect(photo.photoUrl.value).toContain(`https://photos.test/${key}?`))
}

/** Everything logged after the first photo was shown. */
function callsSince(mark: number): string[] {
  return world.log.slice(mark).map((entry) => entry.replace(/[0-9a-f-]{36}/, 'NEW'))
}

const photoFile = () => new File(['jpeg bytes'], 'IMG_0001.jpg', { type: 'image/jpeg' })

beforeEach(() => {
  setActivePinia(createPinia())
  // Each test is a new browser: no signed URL saved by the one before.
  localStorage.clear()
  world.picture = undefined
  world.objects.clear()
  world.log.length = 0
  world.failures.clear()
  world.isPutHeld = false
  world.onUpdateUserAttributes = undefined
  world.signatures = 0
  world.isUrlStable = false
  world.urlLifetimeMs = 3_600_000
  world.sub = 'sub-a'
  vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:preview')
})

afterEach(() => {
  scope.stop()
  vi.useRealTimers()
  vi.restoreAllMocks()
})

describe('useProfilePhoto: showing the photo', () => {
  it('signs the key from the ID token claim at once, with no GetUser', async () => {
    const photo = signedInWith(OLD_KEY)
    await shown(photo, OLD_KEY)
    expect(world.log).toEqual([`sign ${OLD_KEY}`])
  })

  it('is settled once the image loads, so the page may send GetUser after the photo request', async () => {
    const photo = signedInWith(OLD_KEY)
    await shown(photo, OLD_KEY)
    expect(photo.isFirstPhotoSettled.value).toBe(false)
    photo.onImageLoad()
    expect(photo.isFirstPhotoSettled.value).toBe(true)
  })

  it.each([
    ['there is no photo', undefined, undefined],
    ['the URL cannot be signed', OLD_KEY, 'getPhotoUrl'],
    ['`picture` is another rider’s', 'protected/eu-west-1:id-b/profile/b.webp', undefined],
  ])('is settled at once when %s', async (_case, picture, failing) => {
    if (failing) world.failures.set(failing, named('NetworkError'))
    const photo = signedInWith(picture)
    await vi.waitFor(() => expect(photo.isFirstPhotoSettled.value).toBe(true))
    expect(photo.photoUrl.value).toBeNull()
  })

  it('is settled when the image fails to load', async () => {
    const photo = signedInWith(OLD_KEY)
    await shown(photo, OLD_KEY)
    photo.onImageError()
    expect(photo.isFirstPhotoSettled.value).toBe(true)
  })

  it.each([
    ['another rider’s photo', 'protected/eu-west-1:id-b/profile/b.webp'],
    ['a path that climbs out of the prefix', 'protected/eu-west-1:id-a/../eu-west-1:id-b/profile/b.webp'],
    ['a public/ key', 'public/photo.jpg'],
    ['a URL', 'https://evil.example/track.gif'],
  ])('ignores %s in `picture` and never fetches it', async (_case, picture) => {
    const photo = signedInWith(picture)
    await vi.waitFor(() => expect(photo.isLoading.value).toBe(false))
    expect(photo.photoUrl.value).toBeNull()
    expect(world.log.filter((entry) => entry.startsWith('sign'))).toEqual([])
  })

  it('signs the URL again a minute before it expires', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    world.urlLifetimeMs = 10 * 60_000
    const photo = signedInWith(OLD_KEY)
    await shown(photo, OLD_KEY)
    expect(photo.photoUrl.value).toContain('signature=1')
    // (vi.waitFor moves fake timers too, by a few intervals: hence the round figures.)
    await vi.advanceTimersByTimeAsync(8 * 60_000)
    expect(world.signatures).toBe(1)
    await vi.advanceTimersByTimeAsync(2 * 60_000)
    await vi.waitFor(() => expect(photo.photoUrl.value).toContain('signature=2'))
  })

  it('hands the header a URL only once its image has loaded here, and none after the photo fails', async () => {
    const photo = signedInWith(OLD_KEY)
    await shown(photo, OLD_KEY)
    expect(useProfileStore().photoUrl).toBeNull()
    photo.onImageLoad()
    expect(useProfileStore().photoUrl).toBe(photo.photoUrl.value)
    photo.onImageError()
    await vi.waitFor(() => expect(photo.photoUrl.value).toContain('signature=2'))
    photo.onImageError()
    expect(useProfileStore().photoUrl).toBeNull()
  })

  it('signs again once when the image fails to load, then falls back to the initials', async () => {
    const photo = signedInWith(OLD_KEY)
    await shown(photo, OLD_KEY)
    photo.onImageError()
    await vi.waitFor(() => expect(photo.photoUrl.value).toContain('signature=2'))
    photo.onImageError()
    expect(photo.photoUrl.value).toBeNull()
    expect(photo.error.value).toEqual({ code: 'PhotoUnavailable', message: "Your photo couldn't be loaded. You can upload it again." })
    expect(world.signatures).toBe(2)
    expect(photo.isLoading.value).toBe(false)
    expect(photo.hasPhoto.value).toBe(false)
  })

  it('never leaves the avatar waiting on a URL that already failed: a same-second re-sign is tried once more, then given up', async () => {
    world.isUrlStable = true
    const photo = signedInWith(OLD_KEY)
    await shown(photo, OLD_KEY)

    photo.onImageError()

    await vi.waitFor(() => expect(photo.photoUrl.value).toBeNull(), { timeout: 3_000 })
    expect(photo.error.value?.code).toBe('PhotoUnavailable')
    expect(world.signatures).toBe(3)
  })

  it('follows a photo changed on another device once GetUser names it', async () => {
    const photo = signedInWith(OLD_KEY)
    await shown(photo, OLD_KEY)
    const otherDevicesKey = 'protected/eu-west-1:id-a/profile/other.webp'
    world.picture = otherDevicesKey

    expect(await useProfileStore().load()).toBe(true)

    await shown(photo, otherDevicesKey)
    expect(useSessionStore().claims?.picture).toBe(otherDevicesKey)
    expect(photo.hasPhoto.value).toBe(true)
  })
})

describe('useProfilePhoto: a reload', () => {
  /** The page closed and opened again on the same browser: a new composable, the same localStorage. */
  function reload(picture: string | undefined): ReturnType<typeof useProfilePhoto> {
    scope.stop()
    setActivePinia(createPinia())
    world.log.length = 0
    return signedInWith(picture)
  }

  it('shows the URL signed before the reload, with no call at all', async () => {
    await shown(signedInWith(OLD_KEY), OLD_KEY)
    const photo = reload(OLD_KEY)
    await shown(photo, OLD_KEY)
    expect(photo.photoUrl.value).toContain('signature=1')
    expect(world.log).toEqual([])
  })

  it('never shows one rider the URL saved for another on the same browser', async () => {
    await shown(signedInWith(OLD_KEY), OLD_KEY)
    world.sub = 'sub-b'
    const photo = reload(OLD_KEY)
    await vi.waitFor(() => expect(photo.photoUrl.value).toContain('signature=2'))
    expect(world.log).toEqual([`sign ${OLD_KEY}`])
  })

  it('forgets the saved URL when the rider signs out', async () => {
    await shown(signedInWith(OLD_KEY), OLD_KEY)
    expect(await useSessionStore().signOut()).toBe(true)
    const photo = reload(OLD_KEY)
    await vi.waitFor(() => expect(photo.photoUrl.value).toContain('signature=2'))
  })

  it('forgets the saved URL when the session ends', async () => {
    await shown(signedInWith(OLD_KEY), OLD_KEY)
    await useSessionStore().endSession()
    const photo = reload(OLD_KEY)
    await vi.waitFor(() => expect(photo.photoUrl.value).toContain('signature=2'))
  })

  it('signs again when the saved URL has less than a minute left', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    world.urlLifetimeMs = 10 * 60_000
    await shown(signedInWith(OLD_KEY), OLD_KEY)
    vi.setSystemTime(Date.now() + 9.5 * 60_000)
    const photo = reload(OLD_KEY)
    await vi.waitFor(() => expect(photo.photoUrl.value).toContain('signature=2'))
  })

  it('does not reuse the saved URL of a photo since replaced', async () => {
    await shown(signedInWith(OLD_KEY), OLD_KEY)
    const replaced = 'protected/eu-west-1:id-a/profile/replaced.webp'
    const photo = reload(replaced)
    await shown(photo, replaced)
    expect(world.log).toEqual([`sign ${replaced}`])
  })

  it('signs afresh when the saved URL fails to load', async () => {
    await shown(signedInWith(OLD_KEY), OLD_KEY)
    const photo = reload(OLD_KEY)
    await shown(photo, OLD_KEY)
    photo.onImageError()
    await vi.waitFor(() => expect(photo.photoUrl.value).toContain('signature=2'))
    expect(world.log).toEqual([`sign ${OLD_KEY}`])
  })
})

describe('useProfilePhoto: upload', () => {
  it('processes, PUTs, sets `picture`, refreshes the session, deletes the replaced object, then shows the new photo', async () => {
    const photo = signedInWith(OLD_KEY)
    await shown(photo, OLD_KEY)
    const mark = world.log.length
    expect(await photo.upload(photoFile())).toBe(true)
    const calls = callsSince(mark)
    expect(calls.filter((call) => !call.startsWith('sign'))).toEqual([
      'process',
      'PUT protected/eu-west-1:id-a/profile/NEW.webp image/webp',
      'UpdateUserAttributes picture=protected/eu-west-1:id-a/profile/NEW.webp',
      'RefreshSession',
      `DELETE ${OLD_KEY}`,
    ])
    // Shown as soon as the claims name it; deleting the replaced object need not hold it back.
    expect(calls.indexOf('sign protected/eu-west-1:id-a/profile/NEW.webp')).toBeGreaterThan(calls.indexOf('RefreshSession'))
    expect(world.picture).toMatch(NEW_KEY)
    expect([...world.objects.keys()]).toEqual([world.picture])
    expect(useSessionStore().claims?.picture).toBe(world.picture)
    await shown(photo, world.picture!)
    expect(photo.error.value).toBeNull()
    expect(photo.progress.value).toBe(100)
    expect(photo.preview.value).toBeNull()
  })

  it('shows the processed preview and the progress while uploading', async () => {
    const photo = signedInWith(undefined)
    world.isPutHeld = true
    const upload = photo.upload(photoFile())
    await vi.waitFor(() => expect(photo.progress.value).toBe(50))
    expect(photo.preview.value).toEqual({ url: 'blob:preview', bytes: 61_440, width: 1024, height: 768 })
    expect(photo.isPending.value).toBe(true)
    photo.cancel()
    await upload
  })

  it('refuses a file the image check rejects, with its message, before any request', async () => {
    const { PhotoRejectedError } = await import('@/lib/image')
    const photo = signedInWith(OLD_KEY)
    await shown(photo, OLD_KEY)
    const mark = world.log.length
    world.failures.set('processPhoto', new PhotoRejectedError('UnsupportedImageType', 'HEIC photos cannot be used yet.'))
    expect(await photo.upload(photoFile())).toBe(false)
    expect(callsSince(mark)).toEqual(['process'])
    expect(photo.error.value).toEqual({ code: 'UnsupportedImageType', message: 'HEIC photos cannot be used yet.' })
    await shown(photo, OLD_KEY)
  })

  it('keeps the old photo and attribute when the PUT fails, and removes what it wrote', async () => {
    const photo = signedInWith(OLD_KEY)
    await shown(photo, OLD_KEY)
    world.failures.set('putObject', named('NetworkError'))
    expect(await photo.upload(photoFile())).toBe(false)
    expect(photo.error.value).toEqual({ code: 'NetworkError', message: "We can't reach Wild Rydes. Check your connection and try again." })
    expect(world.picture).toBe(OLD_KEY)
    expect([...world.objects.keys()]).toEqual([OLD_KEY])
    expect(world.log.some((entry) => entry.startsWith('UpdateUserAttributes'))).toBe(false)
    await shown(photo, OLD_KEY)
  })

  it('says so in S3’s terms when S3 refuses the PUT', async () => {
    const photo = signedInWith(OLD_KEY)
    world.failures.set('putObject', named('AccessDenied', 'Access Denied'))
    expect(await photo.upload(photoFile())).toBe(false)
    expect(photo.error.value?.code).toBe('AccessDenied')
    expect(photo.error.value?.message).toMatch(/^Your photo couldn't be saved: access was refused\./)
  })

  it('keeps the old photo and attribute when UpdateUserAttributes fails, and removes the new object', async () => {
    const photo = signedInWith(OLD_KEY)
    await shown(photo, OLD_KEY)
    world.failures.set('updateUserAttributes', named('TooManyRequestsException'))
    expect(await photo.upload(photoFile())).toBe(false)
    expect(photo.error.value?.code).toBe('TooManyRequestsException')
    expect(world.picture).toBe(OLD_KEY)
    expect([...world.objects.keys()]).toEqual([OLD_KEY])
    expect(useSessionStore().claims?.picture).toBe(OLD_KEY)
    await shown(photo, OLD_KEY)
  })

  it('counts the upload as done when only the session refresh failed after `picture` was written', async () => {
    const photo = signedInWith(OLD_KEY)
    await shown(photo, OLD_KEY)
    world.failures.set('refreshSession', named('NetworkError'))
    expect(await photo.upload(photoFile())).toBe(true)
    expect(world.picture).toMatch(NEW_KEY)
    expect([...world.objects.keys()]).toEqual([world.picture])
    await shown(photo, world.picture!)
    expect(photo.error.value).toBeNull()
  })

  it('counts the upload as done when the answer to UpdateUserAttributes was lost but GetUser shows `picture` set', async () => {
    const photo = signedInWith(OLD_KEY)
    await shown(photo, OLD_KEY)
    world.failures.set('updateUserAttributesAnswer', named('NetworkError'))
    expect(await photo.upload(photoFile())).toBe(true)
    expect(world.log.filter((entry) => entry === 'GetUser')).toHaveLength(1)
    expect([...world.objects.keys()]).toEqual([world.picture])
    await shown(photo, world.picture!)
  })

  it('keeps the new object when nobody can tell whether `picture` was written', async () => {
    const photo = signedInWith(OLD_KEY)
    await shown(photo, OLD_KEY)
    world.failures.set('updateUserAttributesAnswer', named('NetworkError'))
    world.failures.set('getUser', named('NetworkError'))
    expect(await photo.upload(photoFile())).toBe(false)
    expect(photo.error.value?.code).toBe('NetworkError')
    // The pool holds the new key: deleting its object would leave a `picture` that points at nothing.
    expect(world.objects.has(world.picture!)).toBe(true)
    expect(world.objects.has(OLD_KEY)).toBe(true)
  })

  it('reports success and only logs a warning when the replaced object cannot be deleted', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const photo = signedInWith(OLD_KEY)
    await shown(photo, OLD_KEY)
    world.failures.set('deleteObject', named('NetworkError'))
    expect(await photo.upload(photoFile())).toBe(true)
    expect(photo.error.value).toBeNull()
    expect(warn).toHaveBeenCalledWith(`Could not delete the replaced photo ${OLD_KEY}`, expect.objectContaining({ name: 'NetworkError' }))
    await shown(photo, world.picture!)
  })

  it('never deletes a foreign `picture` it replaces', async () => {
    const photo = signedInWith('protected/eu-west-1:id-b/profile/b.webp')
    expect(await photo.upload(photoFile())).toBe(true)
    expect(world.log.filter((entry) => entry.startsWith('DELETE'))).toEqual([])
  })
})

describe('useProfilePhoto: cancel', () => {
  it('stops the upload mid-PUT: no error, the old photo and attribute stay, the partial object is removed', async () => {
    const photo = signedInWith(OLD_KEY)
    await shown(photo, OLD_KEY)
    world.isPutHeld = true
    const upload = photo.upload(photoFile())
    await vi.waitFor(() => expect(world.log.some((entry) => entry.startsWith('PUT'))).toBe(true))
    expect(photo.isCancellable.value).toBe(true)
    photo.cancel()
    expect(await upload).toBe(false)
    expect(photo.error.value).toBeNull()
    expect(world.picture).toBe(OLD_KEY)
    expect([...world.objects.keys()]).toEqual([OLD_KEY])
    expect(world.log.some((entry) => entry.startsWith('DELETE protected/eu-west-1:id-a/profile/') && !entry.endsWith('old.webp'))).toBe(true)
    expect(photo.isPending.value).toBe(false)
    await shown(photo, OLD_KEY)
  })

  it('cannot cancel once `picture` is being written', async () => {
    const photo = signedInWith(OLD_KEY)
    let cancellableWhileSaving: boolean | undefined
    world.onUpdateUserAttributes = () => {
      cancellableWhileSaving = photo.isCancellable.value
      photo.cancel()
    }
    expect(await photo.upload(photoFile())).toBe(true)
    expect(cancellableWhileSaving).toBe(false)
    expect(world.picture).toMatch(NEW_KEY)
  })
})

describe('useProfilePhoto: remove', () => {
  it('clears `picture` first, then deletes the object', async () => {
    const photo = signedInWith(OLD_KEY)
    await shown(photo, OLD_KEY)
    const mark = world.log.length
    expect(await photo.remove()).toBe(true)
    expect(callsSince(mark)).toEqual(['DeleteUserAttributes picture', 'RefreshSession', `DELETE ${OLD_KEY}`])
    expect(photo.photoUrl.value).toBeNull()
    expect(photo.hasPhoto.value).toBe(false)
    expect(world.objects.size).toBe(0)
  })

  it('keeps the photo and its object when the attribute cannot be cleared', async () => {
    const photo = signedInWith(OLD_KEY)
    await shown(photo, OLD_KEY)
    world.failures.set('deleteUserAttributes', named('NetworkError'))
    expect(await photo.remove()).toBe(false)
    expect(photo.error.value?.code).toBe('NetworkError')
    expect(world.picture).toBe(OLD_KEY)
    expect(world.objects.has(OLD_KEY)).toBe(true)
    expect(photo.photoUrl.value).toContain(OLD_KEY)
  })

})

describe('useProfilePhoto: an ended session', () => {
  it.each([
    ['the identity pool refuses the rider’s ID token', 'getRiderCredentials', named('NotAuthorizedException', 'Invalid login token. Token expired: 1800000000 >= 1799996400')],
    ['S3 refuses credentials that expired', 'putObject', named('ExpiredToken', 'The provided token has expired.')],
    ['the session refresh finds the refresh token revoked', 'refreshSession', Object.assign(named('NotAuthorizedException', 'Refresh Token has been revoked'), { code: 'NotAuthorizedException' })],
  ])('ends the session in the session store when %s during an upload', async (_case, failing, failure) => {
    const photo = signedInWith(undefined)
    world.failures.set(failing, failure)

    await photo.upload(photoFile())

    const session = useSessionStore()
    await vi.waitFor(() => expect(session.hasSessionEnded).toBe(true))
    expect(session.isSignedIn).toBe(false)
    expect(world.log).toContain('SignOut')
  })

  it('leaves the old photo and attribute as they were when the session ends mid-upload', async () => {
    const photo = signedInWith(OLD_KEY)
    await shown(photo, OLD_KEY)
    world.failures.set('putObject', named('ExpiredToken', 'The provided token has expired.'))

    expect(await photo.upload(photoFile())).toBe(false)

    expect(useSessionStore().hasSessionEnded).toBe(true)
    expect(world.picture).toBe(OLD_KEY)
    expect([...world.objects.keys()]).toEqual([OLD_KEY])
  })

  it('ends the session when the photo cannot be shown because the identity pool refuses the rider', async () => {
    world.failures.set('getRiderCredentials', named('NotAuthorizedException', 'Invalid login token. Token expired: 1800000000 >= 1799996400'))
    const photo = signedInWith(OLD_KEY)

    await vi.waitFor(() => expect(useSessionStore().hasSessionEnded).toBe(true))
    expect(photo.photoUrl.value).toBeNull()
    expect(photo.error.value?.code).toBe('SessionExpired')
  })
})
