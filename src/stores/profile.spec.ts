import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { IdentityCheckError } from '@/lib/aws/errors'
import * as tokens from '@/lib/aws/tokens'
import * as userPool from '@/lib/aws/userPool'
import { getUser } from '@/lib/aws/getUser'
import { cognitoError, riderAccount, riderClaims } from '../../tests/support/fixtures'
import { useProfileStore } from './profile'
import { useSessionStore } from './session'

vi.mock('@/lib/aws/userPool')
vi.mock('@/lib/aws/getUser')
vi.mock('@/lib/aws/tokens')
// Account deletion takes the photos first (session.spec.ts covers it); here only the pending steps matter.
vi.mock('@/lib/photo/photoWrites')

const emailDelivery = { attributeName: 'email', medium: 'EMAIL', destination: 'n***@e***' }
/** What the rider types to prove it is them before a new email. */
const PROOF = { password: 'Unicorn1rides' }

beforeEach(() => {
  vi.resetAllMocks()
  localStorage.clear()
  setActivePinia(createPinia())
})

afterEach(() => {
  vi.useRealTimers()
})

function signedIn(claims = riderClaims()) {
  const session = useSessionStore()
  session.claims = claims
  return { session, profile: useProfileStore() }
}

/** The rider's tab reloaded: new stores, the same localStorage, the same (or another) rider's session restored. */
function signedInAfterReload(claims = riderClaims()) {
  setActivePinia(createPinia())
  return signedIn(claims)
}

/** A rider who asked to change their email to new@example.com and has not entered the code yet. */
async function signedInChangingEmail() {
  const signedInRider = signedIn()
  vi.mocked(userPool.updateUserAttributes).mockResolvedValue([emailDelivery])
  // The pool keeps the verified address (AttributesRequireVerificationBeforeUpdate), so do the refreshed claims.
  vi.mocked(tokens.refreshSession).mockResolvedValue(riderClaims())
  await signedInRider.profile.updateAttributes({ email: 'new@example.com' }, PROOF)
  return signedInRider
}

const pendingNewEmail = { attributeName: 'email', destination: 'n***@e***', newValue: 'new@example.com', sentAt: expect.any(Number) }

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
    expect(getUser).not.toHaveBeenCalled()
  })

  it('has no attributes while signed out', () => {
    expect(useProfileStore().attributes).toBeNull()
  })

  describe('load', () => {
    it('replaces the claims with what GetUser says now', async () => {
      const { profile } = signedIn()
      vi.mocked(getUser).mockResolvedValue(riderAccount({ ...riderClaims(), phone_number_verified: true }))

      expect(await profile.load()).toBe(true)

      expect(profile.attributes?.phone_number_verified).toBe(true)
      expect(tokens.refreshSession).not.toHaveBeenCalled()
    })

    it('refreshes the session when another device changed the name or photo, so the claims catch up', async () => {
      const { session, profile } = signedIn(riderClaims({ picture: 'protected/us-east-1:abc/profile/old.webp' }))
      const changedElsewhere = { name: 'Ada King', picture: 'protected/us-east-1:abc/profile/new.webp' }
      vi.mocked(getUser).mockResolvedValue(riderAccount({ ...riderClaims(), ...changedElsewhere }))
      vi.mocked(tokens.refreshSession).mockResolvedValue(riderClaims(changedElsewhere))

      expect(await profile.load()).toBe(true)

      expect(session.claims).toMatchObject(changedElsewhere)
      expect(profile.attributes).toMatchObject(changedElsewhere)
    })

    it('shows what GetUser said when the refresh that follows fails', async () => {
      const { session, profile } = signedIn(riderClaims({ picture: 'protected/us-east-1:abc/profile/old.webp' }))
      vi.mocked(getUser).mockResolvedValue(riderAccount({ ...riderClaims(), name: 'Ada King' }))
      vi.mocked(tokens.refreshSession).mockRejectedValue(Object.assign(new Error('Network error'), { code: 'NetworkError' }))

      await profile.load()

      expect(profile.attributes?.name).toBe('Ada King')
      expect(profile.attributes?.picture).toBeUndefined()
      expect(session.claims?.name).toBe('Ada Lovelace')
    })

    it('keeps showing the claims and says why GetUser failed', async () => {
      const { profile } = signedIn()
      vi.mocked(getUser).mockRejectedValue(Object.assign(new Error('Network error'), { code: 'NetworkError' }))

      expect(await profile.load()).toBe(false)

      expect(profile.actionState.load.error?.message).toBe("We can't reach Wild Rydes. Check your connection and try again.")
      expect(profile.attributes?.name).toBe('Ada Lovelace')
    })
  })

  describe('updateAttributes', () => {
    it('saves a new name and refreshes the session so the claims carry it', async () => {
      const { session, profile } = signedIn()
      vi.mocked(userPool.updateUserAttributes).mockResolvedValue([])
      vi.mocked(tokens.refreshSession).mockResolvedValue(riderClaims({ name: 'Ada King' }))

      expect(await profile.updateAttributes({ name: 'Ada King' })).toBe(true)

      expect(userPool.updateUserAttributes).toHaveBeenCalledWith({ name: 'Ada King' })
      expect(userPool.confirmIdentity).not.toHaveBeenCalled()
      expect(session.claims?.name).toBe('Ada King')
      expect(profile.attributes?.name).toBe('Ada King')
      expect(profile.pendingVerifications).toEqual([])
    })

    it('keeps the old email until the new one is verified', async () => {
      const { profile } = signedIn()
      vi.mocked(userPool.updateUserAttributes).mockResolvedValue([emailDelivery])
      // The pool keeps the verified address (AttributesRequireVerificationBeforeUpdate), so do the refreshed claims.
      vi.mocked(tokens.refreshSession).mockResolvedValue(riderClaims())

      expect(await profile.updateAttributes({ email: 'new@example.com' }, PROOF)).toBe(true)

      expect(userPool.confirmIdentity).toHaveBeenCalledWith(PROOF)
      expect(vi.mocked(userPool.confirmIdentity).mock.invocationCallOrder[0]).toBeLessThan(
        vi.mocked(userPool.updateUserAttributes).mock.invocationCallOrder[0]!,
      )
      expect(profile.attributes?.email).toBe('ada@example.com')
      expect(profile.pendingVerifications).toEqual([pendingNewEmail])
    })

    it('sends nothing for a new email that comes without the proof', async () => {
      const { profile } = signedIn()

      await expect(profile.updateAttributes({ name: 'Ada King', email: 'new@example.com' })).rejects.toThrow('Changing the email needs the identity check')

      expect(userPool.confirmIdentity).not.toHaveBeenCalled()
      expect(userPool.updateUserAttributes).not.toHaveBeenCalled()
      expect(profile.pendingVerifications).toEqual([])
    })

    it.each([
      ['NotAuthorizedException', 'Incorrect username or password.', "That password isn't right."],
      ['CodeMismatchException', 'Invalid code received for user', "That code isn't right. Enter the 6-digit code your authenticator app shows now."],
    ])('keeps the email when the identity check refuses it with %s, and says why', async (name, awsMessage, riderMessage) => {
      const { profile } = signedIn()
      vi.mocked(userPool.confirmIdentity).mockRejectedValue(new IdentityCheckError(cognitoError(name, awsMessage)))

      expect(await profile.updateAttributes({ email: 'new@example.com' }, { password: 'Wrong1rides', code: '000000' })).toBe(false)

      expect(profile.actionState.updateAttributes.error).toEqual({ code: name, message: riderMessage })
      expect(userPool.updateUserAttributes).not.toHaveBeenCalled()
      expect(profile.attributes?.email).toBe('ada@example.com')
      expect(profile.pendingVerifications).toEqual([])
    })

    it.each([
      ['AliasExistsException', 'An account with the given email already exists.', 'AliasExistsException', 'Another account already uses this email address or phone number.'],
      ['InvalidParameterException', 'Invalid phone number format.', 'InvalidPhoneNumber', 'Enter your phone number in international format: + and the country code, e.g. +14155550123.'],
      ['CodeDeliveryFailureException', 'Unable to deliver message', 'CodeDeliveryFailureException', "We couldn't send you a verification code. Check the address and try again in a few minutes."],
      ['NotAuthorizedException', 'Access Token has been revoked', 'SessionExpired', 'Your session has ended. Please sign in again.'],
    ])('refuses a change with %s "%s"', async (name, awsMessage, code, riderMessage) => {
      const { profile } = signedIn()
      vi.mocked(userPool.updateUserAttributes).mockRejectedValue(cognitoError(name, awsMessage))

      expect(await profile.updateAttributes({ email: 'taken@example.com' }, PROOF)).toBe(false)

      expect(profile.actionState.updateAttributes.error).toEqual({ code, message: riderMessage })
      expect(profile.pendingVerifications).toEqual([])
      expect(tokens.refreshSession).not.toHaveBeenCalled()
    })
  })

  it('says the change was not saved when the session ended under it', async () => {
    const { session, profile } = signedIn()
    vi.mocked(userPool.updateUserAttributes).mockRejectedValue(cognitoError('NotAuthorizedException', 'Refresh Token has been revoked'))

    expect(await profile.updateAttributes({ name: 'Ada King' })).toBe(false)

    expect(session.hasSessionEnded).toBe(true)
    expect(session.hasUnsavedChange).toBe(true)
  })

  it('ends the session without a lost change when only reading failed', async () => {
    const { session, profile } = signedIn()
    vi.mocked(getUser).mockRejectedValue(cognitoError('NotAuthorizedException', 'Refresh Token has been revoked'))

    await profile.load()

    expect(session.hasSessionEnded).toBe(true)
    expect(session.hasUnsavedChange).toBe(false)
  })

  describe('verifyAttribute', () => {
    it('confirms the new email, which then replaces the old one', async () => {
      const { profile } = await signedInChangingEmail()
      vi.mocked(tokens.refreshSession).mockResolvedValue(riderClaims({ email: 'new@example.com' }))

      expect(await profile.verifyAttribute('email', ' 246810 ')).toBe(true)

      expect(userPool.verifyAttribute).toHaveBeenCalledWith('email', '246810')
      expect(profile.attributes?.email).toBe('new@example.com')
      expect(profile.pendingVerifications).toEqual([])
    })

    it('keeps the step open after a wrong code', async () => {
      const { profile } = await signedInChangingEmail()
      vi.mocked(userPool.verifyAttribute).mockRejectedValue(cognitoError('CodeMismatchException', 'Invalid verification code provided, please try again.'))

      expect(await profile.verifyAttribute('email', '000000')).toBe(false)

      expect(profile.actionState.verifyAttribute.error?.message).toBe("That code isn't right. Check the latest code we sent and try again.")
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
      expect(profile.pendingVerifications).toEqual([{ attributeName: 'phone_number', destination: '+*******0123', sentAt: expect.any(Number) }])
    })

    it('keeps the pending new email when a fresh code is sent for it', async () => {
      const { profile } = await signedInChangingEmail()
      vi.mocked(userPool.getAttributeVerificationCode).mockResolvedValue(emailDelivery)

      expect(await profile.resendAttributeCode('email')).toBe(true)

      expect(profile.pendingVerifications).toEqual([pendingNewEmail])
    })

    it('asks to wait when codes were requested too often', async () => {
      const { profile } = signedIn()
      vi.mocked(userPool.getAttributeVerificationCode).mockRejectedValue(
        cognitoError('LimitExceededException', 'Attempt limit exceeded, please try after some time.'),
      )

      expect(await profile.resendAttributeCode('phone_number')).toBe(false)

      expect(profile.actionState.resendAttributeCode.error?.message).toBe('Too many attempts. Please wait a few minutes, then try again.')
    })
  })

  describe('a pending change across a reload', () => {
    it('comes back for the same rider, so the code can still be entered', async () => {
      await signedInChangingEmail()

      const { profile } = signedInAfterReload()

      expect(profile.pendingVerifications).toEqual([pendingNewEmail])
      expect(profile.attributes?.email).toBe('ada@example.com')
    })

    it('does not come back for another rider in the same tab', async () => {
      await signedInChangingEmail()

      const { profile } = signedInAfterReload(riderClaims({ sub: '0f1e2d3c-4b5a-4968-8776-655443322110', email: 'grace@example.com' }))

      expect(profile.pendingVerifications).toEqual([])
    })

    it('is gone once its code has expired (24 hours)', async () => {
      vi.useFakeTimers({ toFake: ['Date'] })
      vi.setSystemTime(Date.UTC(2026, 10, 26, 8))
      await signedInChangingEmail()

      vi.setSystemTime(Date.UTC(2026, 10, 27, 7, 59))
      expect(signedInAfterReload().profile.pendingVerifications).toEqual([pendingNewEmail])
      vi.setSystemTime(Date.UTC(2026, 10, 27, 8))
      expect(signedInAfterReload().profile.pendingVerifications).toEqual([])
    })

    it('is forgotten once verified', async () => {
      const { profile } = await signedInChangingEmail()
      vi.mocked(tokens.refreshSession).mockResolvedValue(riderClaims({ email: 'new@example.com' }))
      await profile.verifyAttribute('email', '246810')

      expect(signedInAfterReload(riderClaims({ email: 'new@example.com' })).profile.pendingVerifications).toEqual([])
      expect(localStorage.length).toBe(0)
    })

    it('is forgotten when the rider cancels it', async () => {
      const { profile } = await signedInChangingEmail()

      profile.cancelVerification('email')

      expect(profile.pendingVerifications).toEqual([])
      expect(signedInAfterReload().profile.pendingVerifications).toEqual([])
    })

    it.each(['signOut', 'deleteAccount'] as const)('is forgotten on %s', async (action) => {
      const { session } = await signedInChangingEmail()

      expect(await (action === 'signOut' ? session.signOut() : session.deleteAccount({ password: 'Unicorn1rides' }))).toBe(true)

      expect(localStorage.length).toBe(0)
      expect(signedInAfterReload().profile.pendingVerifications).toEqual([])
    })
  })
})
