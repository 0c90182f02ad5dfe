import { afterEach, describe, expect, it, vi } from 'vitest'
import { credentialsUntil } from '../../../tests/support/fixtures'
import type { RiderCredentials } from './credentials'
import { getPhotoUrl, PHOTO_URL_MAX_SECONDS } from './photoUrl'

// The real presigner with fixed credentials; tests/integration/profilePhoto.spec.ts fetches its URLs from local AWS.
const config = vi.hoisted(() => ({ endpoint: '' as string | undefined, photoBucket: 'photos' }))
const riders = vi.hoisted(() => ({ current: undefined as RiderCredentials | undefined }))

vi.mock('./config', () => ({
  getAwsConfig: () => ({ region: 'eu-west-1', photoBucket: config.photoBucket, endpoint: config.endpoint, userPoolClientId: 'client' }),
}))
vi.mock('./credentials', () => ({ getRiderCredentials: async () => riders.current }))

function signInWithCredentialsUntil(expiration: number): void {
  riders.current = credentialsUntil(expiration)
}

const KEY = 'protected/eu-west-1:a/profile/3f1c.webp'

afterEach(() => {
  localStorage.clear()
  vi.useRealTimers()
  config.endpoint = ''
  config.photoBucket = 'photos'
})

describe('getPhotoUrl', () => {
  it('signs a path-style GET on a custom endpoint, with the session token and an unsigned payload', async () => {
    config.endpoint = 'http://127.0.0.1:4566'
    signInWithCredentialsUntil(Date.now() + 3_600_000)
    const { url } = await getPhotoUrl(KEY)
    const parsed = new URL(url)
    expect(`${parsed.origin}${parsed.pathname}`).toBe('http://127.0.0.1:4566/photos/protected/eu-west-1%3Aa/profile/3f1c.webp')
    expect(parsed.searchParams.get('X-Amz-Security-Token')).toBe('session-token')
    expect(parsed.searchParams.get('X-Amz-Credential')).toMatch(/^ASIAEXAMPLE\/\d{8}\/eu-west-1\/s3\/aws4_request$/)
    expect(parsed.searchParams.get('X-Amz-SignedHeaders')).toBe('host')
    expect(parsed.searchParams.get('X-Amz-Content-Sha256')).toBe('UNSIGNED-PAYLOAD')
    expect(parsed.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/)
  })

  it("addresses the bucket's own host on AWS, as the S3 client does", async () => {
    config.endpoint = undefined
    signInWithCredentialsUntil(Date.now() + 3_600_000)
    const parsed = new URL((await getPhotoUrl(KEY)).url)
    expect(`${parsed.origin}${parsed.pathname}`).toBe('https://photos.s3.eu-west-1.amazonaws.com/protected/eu-west-1%3Aa/profile/3f1c.webp')
  })

  it('falls back to path style for a bucket name with dots, which no TLS certificate covers', async () => {
    config.endpoint = undefined
    config.photoBucket = 'photos.wild-rydes'
    signInWithCredentialsUntil(Date.now() + 3_600_000)
    const parsed = new URL((await getPhotoUrl(KEY)).url)
    expect(`${parsed.origin}${parsed.pathname}`).toBe('https://s3.eu-west-1.amazonaws.com/photos.wild-rydes/protected/eu-west-1%3Aa/profile/3f1c.webp')
  })

  it('never outlives the credentials that signed it', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 10, 26, 9, 0, 0), toFake: ['Date'] })
    signInWithCredentialsUntil(Date.now() + 20 * 60_000)
    const { url, expiresAt } = await getPhotoUrl(KEY)
    expect(new URL(url).searchParams.get('X-Amz-Expires')).toBe('1200')
    expect(new URL(url).searchParams.get('X-Amz-Date')).toBe('20261126T090000Z')
    expect(expiresAt).toBe(Date.now() + 1_200_000)
  })

  it('lives at most an hour', async () => {
    signInWithCredentialsUntil(Date.now() + 12 * 3_600_000)
    const { url } = await getPhotoUrl(KEY)
    expect(new URL(url).searchParams.get('X-Amz-Expires')).toBe(String(PHOTO_URL_MAX_SECONDS))
  })

  it.each([
    ['20 minutes ahead', 20 * 60],
    ['20 minutes behind', -20 * 60],
  ])('signs at AWS\'s time when the device clock is %s, with the drift the library measured at sign-in', async (_name, driftSeconds) => {
    const awsNow = Date.UTC(2026, 10, 26, 9, 0, 0)
    vi.useFakeTimers({ now: awsNow + driftSeconds * 1000, toFake: ['Date'] })
    localStorage.setItem('CognitoIdentityServiceProvider.client.LastAuthUser', 'rider')
    localStorage.setItem('CognitoIdentityServiceProvider.client.rider.clockDrift', String(driftSeconds))
    signInWithCredentialsUntil(awsNow + 3_600_000)
    const { url, expiresAt } = await getPhotoUrl(KEY)
    expect(new URL(url).searchParams.get('X-Amz-Date')).toBe('20261126T090000Z')
    expect(new URL(url).searchParams.get('X-Amz-Expires')).toBe('3600')
    // On the device's own clock, which is what the page compares with.
    expect(expiresAt).toBe(Date.now() + 3_600_000)
  })
})
