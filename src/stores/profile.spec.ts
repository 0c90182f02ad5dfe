import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import * as userPool from '@/lib/aws/userPool'
import { cognitoError, riderClaims } from '@/test-utils/fixtures'
import { useProfileStore } from './profile'
import { useSessionStore } from './session'

vi.mock('@/lib/aws/userPool')
vi.mock('@/lib/aws/storedSession')

const emailDelivery = { attributeName: 'email', medium: 'EMAIL', destination: 'n***@e***' }

beforeEach(() => {
  vi.resetAllMocks()
  setActivePinia(createPinia())
})

function signedIn(claims = riderClaims()) {
  const session = useSessionStore()
  session.claims = claims
  return { session, profile: useProfileStore() }
}

describe('useProfileStore', () => {
  it('shows the attributes from the ID token claims at once, with no request', () => {
    const { profile } = signedIn(riderClaims({ picture: 'protected/us-east-1:abc/profile/1.webp' }))

    expect(profile.attributes).toEqual({
      sub: '7d8e2f0a-1b2c-4d3e-8f9a-0b1c2d3e4f5a',
      email: 'ada@example.com',
      email_verified: true,
      phone_number: '+14155550123',
      phone_number_verified: false,
      name: 'Ada Lovelace',
      picture: 'protected/us-east-1:abc/profile/1.webp',
    })
    expect(userPool.getUserAttributes).not.toHaveBeenCalled()
  })

  it('has no attributes while signed out', () => {
    expect(useProfileStore().attributes).toBeNull()
  })

  describe('load', () => {
    it('replaces the claims with what GetUser says now', async () => {
      const { profile } = signedIn()
      vi.mocked(userPool.getUserAttributes).mockResolvedValue({ ...riderClaims(), name: 'Ada King', phone_number_verified: true })

      expect(await profile.load()).toBe(true)

      expect(profile.attributes?.name).toBe('Ada King')
      expect(profile.attributes?.phone_number_verified).toBe(true)
    })

    it('keeps showing the claims and says why GetUser failed', async () => {
      const { profile } = signedIn()
      vi.mocked(userPool.getUserAttributes).mockRejectedValue(Object.assign(new Error('Network error'), { code: 'NetworkError' }))

      expect(await profile.load()).toBe(false)

      expect(profile.error?.message).toBe("We can't reach Wild Rydes. Check your connection and try again.")
      expect(profile.attributes?.name).toBe('Ada Lovelace')
    })
  })

  describe('updateAttributes', () => {
    it('saves a new name and refreshes the session so the claims carry it', async () => {
      const { session, profile } = signedIn()
      vi.mocked(userPool.updateUserAttributes).mockResolvedValue([])
      vi.mocked(userPool.refreshSession).mockResolvedValue(riderClaims({ name: 'Ada King' }))

      expect(await profile.updateAttributes({ name: 'Ada King' })).toBe(true)

      expect(userPool.updateUserAttributes).toHaveBeenCalledWith({ name: 'Ada King' })
      expect(session.claims?.name).toBe('Ada King')
      expect(profile.attributes?.name).toBe('Ada King')
      expect(profile.pendingVerifications).toEqual([])
    })

    it('keeps the old email until the new one is verified', async () => {
      const { profile } = signedIn()
      vi.mocked(userPool.updateUserAttributes).mockResolvedValue([emailDelivery])
      // The pool keeps the verified address (AttributesRequireVerificationBeforeUpdate), so do the refreshed claims.
      vi.mocked(userPool.refreshSession).mockResolvedValue(riderClaims())

      expect(await profile.updateAttributes({ email: 'new@example.com' })).toBe(true)

      expect(profile.attributes?.email).toBe('ada@example.com')
      expect(profile.pendingVerifications).toEqual([{ attributeName: 'email', destination: 'n***@e***', newValue: 'new@example.com' }])
    })

    it.each([
      ['AliasExistsException', 'An account with the given email already exists.', 'AliasExistsException', 'Another account already uses this email address or phone number.'],
      ['InvalidParameterException', 'Invalid phone number format.', 'InvalidPhoneNumber', 'Enter your phone number in international format: + and the country code, e.g. +14155550123.'],
      ['CodeDeliveryFailureException', 'Unable to deliver message', 'CodeDeliveryFailureException', "We couldn't send you a verification code. Check the address and try again in a few minutes."],
      ['NotAuthorizedException', 'Access Token has been revoked', 'SessionExpired', 'Your session has ended. Please sign in again.'],
    ])('refuses a change with %s "%s"', async (name, awsMessage, code, riderMessage) => {
      const { profile } = signedIn()
      vi.mocked(userPool.updateUserAttributes).mockRejectedValue(cognitoError(name, awsMessage))

      expect(await profile.updateAttributes({ email: 'taken@example.com' })).toBe(false)

      expect(profile.error).toEqual({ code, message: riderMessage })
      expect(profile.pendingVerifications).toEqual([])
      expect(userPool.refreshSession).not.toHaveBeenCalled()
    })
  })

  describe('verifyAttribute', () => {
    it('confirms the new email, which then replaces the old one', async () => {
      const { profile } = signedIn()
      vi.mocked(userPool.updateUserAttributes).mockResolvedValue([emailDelivery])
      vi.mocked(userPool.refreshSession).mockResolvedValue(riderClaims())
      await profile.updateAttributes({ email: 'new@example.com' })
      vi.mocked(userPool.refreshSession).mockResolvedValue(riderClaims({ email: 'new@example.com' }))

      expect(await profile.verifyAttribute('email', ' 246810 ')).toBe(true)

      expect(userPool.verifyAttribute).toHaveBeenCalledWith('email', '246810')
      expect(profile.attributes?.email).toBe('new@example.com')
      expect(profile.pendingVerifications).toEqual([])
    })

    it('keeps the step open after a wrong code', async () => {
      const { profile } = signedIn()
      vi.mocked(userPool.updateUserAttributes).mockResolvedValue([emailDelivery])
      vi.mocked(userPool.refreshSession).mockResolvedValue(riderClaims())
      await profile.updateAttributes({ email: 'new@example.com' })
      vi.mocked(userPool.verifyAttribute).mockRejectedValue(cognitoError('CodeMismatchException', 'Invalid verification code provided, please try again.'))

      expect(await profile.verifyAttribute('email', '000000')).toBe(false)

      expect(profile.error?.message).toBe("That code isn't right. Check the latest code we sent and try again.")
      expect(profile.pendingVerifications).toHaveLength(1)
      expect(profile.attributes?.email).toBe('ada@example.com')
    })
  })

  describe('resendAttributeCode', () => {
    it('sends a code for the phone number and opens its verification step', async () => {
      const { profile } = signedIn()
      vi.mocked(userPool.getAttributeVerificationCode).mockResolvedValue({ attributeName: 'phone_number', medium: 'SMS', destination: '+*******0123' })

      expect(await profile.resendAttributeCode('phone_number')).toBe(true)

      expect(userPool.getAttributeVerificationCode).toHaveBeenCalledWith('phone_number')
      expect(profile.pendingVerifications).toEqual([{ attributeName: 'phone_number', destination: '+*******0123' }])
    })

    it('keeps the pending new email when a fresh code is sent for it', async () => {
      const { profile } = signedIn()
      vi.mocked(userPool.updateUserAttributes).mockResolvedValue([emailDelivery])
      vi.mocked(userPool.refreshSession).mockResolvedValue(riderClaims())
      await profile.updateAttributes({ email: 'new@example.com' })
      vi.mocked(userPool.getAttributeVerificationCode).mockResolvedValue(emailDelivery)

      expect(await profile.resendAttributeCode('email')).toBe(true)

      expect(profile.pendingVerifications).toEqual([{ attributeName: 'email', destination: 'n***@e***', newValue: 'new@example.com' }])
    })

    it('asks to wait when codes were requested too often', async () => {
      const { profile } = signedIn()
      vi.mocked(userPool.getAttributeVerificationCode).mockRejectedValue(
        cognitoError('LimitExceededException', 'Attempt limit exceeded, please try after some time.'),
      )

      expect(await profile.resendAttributeCode('phone_number')).toBe(false)

      expect(profile.error?.message).toBe('Too many attempts. Please wait a few minutes, then try again.')
    })
  })

  describe('deleteAttributes', () => {
    it('removes the picture and refreshes the session', async () => {
      const { session, profile } = signedIn(riderClaims({ picture: 'protected/us-east-1:abc/profile/1.webp' }))
      vi.mocked(userPool.refreshSession).mockResolvedValue(riderClaims())

      expect(await profile.deleteAttributes(['picture'])).toBe(true)

      expect(userPool.deleteUserAttributes).toHaveBeenCalledWith(['picture'])
      expect(session.claims?.picture).toBeUndefined()
      expect(profile.attributes?.picture).toBeUndefined()
    })

    it('says why the picture could not be removed', async () => {
      const { profile } = signedIn(riderClaims({ picture: 'protected/us-east-1:abc/profile/1.webp' }))
      vi.mocked(userPool.deleteUserAttributes).mockRejectedValue(cognitoError('TooManyRequestsException', 'Too many requests'))

      expect(await profile.deleteAttributes(['picture'])).toBe(false)

      expect(profile.error?.code).toBe('TooManyRequestsException')
      expect(profile.attributes?.picture).toBe('protected/us-east-1:abc/profile/1.webp')
    })
  })
})
