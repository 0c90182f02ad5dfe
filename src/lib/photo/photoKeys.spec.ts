import { describe, expect, it } from 'vitest'
import { PhotoRejectedError } from '@/lib/image'
import { describePhotoError, PhotoUnavailableError } from './photoErrors'
import { isOwnPhotoKey, newPhotoKey } from './photoKeys'

const IDENTITY_ID = 'eu-west-1:0a1b2c3d-0000-4000-8000-000000000001'

function named(name: string, message: string): Error {
  return Object.assign(new Error(message), { name })
}

describe('photoKeys: key policy', () => {
  it('puts a new photo under the rider’s protected profile prefix, with a fresh v4 UUID and the extension', () => {
    const key = newPhotoKey(IDENTITY_ID, 'webp')
    expect(key).toMatch(/^protected\/eu-west-1:0a1b2c3d-0000-4000-8000-000000000001\/profile\/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\.webp$/)
    expect(newPhotoKey(IDENTITY_ID, 'webp')).not.toBe(key)
    expect(isOwnPhotoKey(key, IDENTITY_ID)).toBe(true)
  })

  it.each([
    ['another rider’s key', 'protected/eu-west-1:0a1b2c3d-0000-4000-8000-000000000002/profile/b.webp'],
    ['a path that climbs out of the prefix', `protected/${IDENTITY_ID}/../eu-west-1:other/profile/b.webp`],
    ['an empty segment', `protected/${IDENTITY_ID}//b.webp`],
    ['a public/ key', 'public/photo.jpg'],
    ['a URL', 'https://evil.example/track.gif'],
  ])('does not count %s as the rider’s own', (_case, key) => {
    expect(isOwnPhotoKey(key, IDENTITY_ID)).toBe(false)
  })
})

describe('photoErrors: errors in the rider’s words', () => {
  it.each([
    ['the identity pool refusing the ID token', named('NotAuthorizedException', 'Logins don’t match.')],
    ['the identity pool refusing an expired ID token', named('NotAuthorizedException', 'Invalid login token. Token expired: 1800000000 >= 1799996400')],
    ['S3 refusing expired credentials', named('ExpiredToken', 'The provided token has expired.')],
  ])('treats %s as an ended session', (_case, failure) => {
    expect(describePhotoError(failure)).toEqual({ code: 'SessionExpired', message: 'Your session has ended. Please sign in again.' })
  })

  it('says what S3’s refusal means for the photo', () => {
    expect(describePhotoError(named('AccessDenied', 'Access Denied'))?.message).toMatch(/^Your photo couldn't be saved: access was refused\./)
  })

  it('passes on the image check’s own words, and says when a photo will not load', () => {
    expect(describePhotoError(new PhotoRejectedError('UnsupportedImageType', 'HEIC photos cannot be used yet.'))).toEqual({
      code: 'UnsupportedImageType',
      message: 'HEIC photos cannot be used yet.',
    })
    expect(describePhotoError(new PhotoUnavailableError())).toEqual({
      code: 'PhotoUnavailable',
      message: "Your photo couldn't be loaded. You can upload it again.",
    })
  })

  it('leaves an unexpected error undescribed, for the caller to rethrow', () => {
    expect(describePhotoError(new TypeError('Cannot read properties of undefined'))).toBeUndefined()
  })
})
