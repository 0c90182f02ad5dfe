import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import * as credentials from '@/lib/aws/credentials'
import { CodeRequiredError, IdentityCheckError } from '@/lib/aws/errors'
import * as s3 from '@/lib/aws/s3'
import * as userPool from '@/lib/aws/userPool'
import { getUser } from '@/lib/aws/getUser'
import * as tokens from '@/lib/aws/tokens'
import { cognitoError, riderAccount, riderClaims } from '../../tests/support/fixtures'
import { useProfileStore } from './profile'
import { useSessionStore } from './session'

vi.mock('@/lib/aws/userPool')
vi.mock('@/lib/aws/getUser')
vi.mock('@/lib/aws/tokens')
vi.mock('@/lib/aws/credentials')
vi.mock('@/lib/aws/s3')

const IDENTITY_ID = 'us-east-1:0a1b2c3d-0000-4000-8000-000000000001'
/** The rider's objects in the photo bucket, as the mocked s3.ts sees them. */
const bucket = new Set<string>()
/** Every AWS call the account deletion made, in order. */
const calls: string[] = []

/** The mocked s3.ts and credentials.ts serve one rider's bucket; only their own prefix is listed. */
function serveTheRidersBucket(): void {
  vi.mocked(credentials.getRiderCredentials).mockResolvedValue({
    sub: 'sub-a',
    provider: async () => ({ accessKeyId: 'AKIA', secretAccessKey: 'secret', identityId: IDENTITY_ID }),
    identityId: async () => IDENTITY_ID,
  })
  vi.mocked(s3.listObjectKeys).mockImplementation(async (prefix) => {
    calls.push(`ListObjectsV2 ${prefix}`)
    return [...bucket].filter((key) => key.startsWith(prefix))
  })
  vi.mocked(s3.deleteObject).mockImplementation(async (key) => {
    calls.push(`DeleteObject ${key}`)
    bucket.delete(key)
  })
  vi.mocked(userPool.deleteUser).mockImplementation(async () => {
    calls.push('DeleteUser')
  })
  vi.mocked(userPool.confirmIdentity).mockImplementation(async () => {
    calls.push('InitiateAuth USER_SRP_AUTH')
  })
}

const details = { email: 'ada@example.com', password: 'Unicorn1rides', phoneNumber: '+14155550123', name: 'Ada Lovelace' }
/** The password the deletion dialog asks first. */
const PROOF = { password: details.password }
const delivery = { attributeName: 'email', medium: 'EMAIL', destination: 'a***@e***' }

beforeEach(() => {
  vi.resetAllMocks()
  setActivePinia(createPinia())
  bucket.clear()
  calls.length = 0
  serveTheRidersBucket()
})

describe('useSessionStore', () => {
  describe('signUp', () => {
    it('registers the rider and remembers the email awaiting its code', async () => {
      vi.mocked(userPool.signUp).mockResolvedValue({ isConfirmed: false, codeDelivery: delivery })
      const session = useSessionStore()

      expect(await session.signUp(details)).toBe(true)

      expect(userPool.signUp).toHaveBeenCalledWith(details)
      expect(session.emailAwaitingConfirmation).toBe('ada@example.com')
      expect(session.lastCodeDelivery).toEqual(delivery)
      expect(session.actionState.signUp.error).toBeNull()
      expect(session.actionState.signUp.isPending).toBe(false)
    })

    it.each([
      ['UsernameExistsException', 'An account with the given email already exists.', 'UsernameExistsException', 'An account with this email already exists. Sign in, or reset your password if you forgot it.'],
      ['InvalidPasswordException', 'Password did not conform with policy: Password must have uppercase characters', 'InvalidPasswordException', "Your password doesn't meet the rules: Password must have uppercase characters."],
      ['InvalidParameterException', 'Invalid phone number format.', 'InvalidPhoneNumber', 'Enter your phone number in international format: + and the country code, e.g. +14155550123.'],
      ['CodeDeliveryFailureException', 'Unable to deliver message', 'CodeDeliveryFailureException', "We couldn't send you a verification code. Check the address and try again in a few minutes."],
    ])('answers %s "%s" with a sentence the rider understands', async (name, awsMessage, code, riderMessage) => {
      vi.mocked(userPool.signUp).mockRejectedValue(cognitoError(name, awsMessage))
      const session = useSessionStore()

      expect(await session.signUp(details)).toBe(false)

      expect(session.actionState.signUp.error).toEqual({ code, message: riderMessage })
      expect(session.emailAwaitingConfirmation).toBeNull()
      expect(session.actionState.signUp.isPending).toBe(false)
    })

    it('lets an unexpected error through, unmapped', async () => {
      vi.mocked(userPool.signUp).mockRejectedValue(new TypeError('Cannot read properties of undefined'))
      const session = useSessionStore()

      await expect(session.signUp(details)).rejects.toThrow('Cannot read properties of undefined')
      expect(session.actionState.signUp.error).toBeNull()
      expect(session.actionState.signUp.isPending).toBe(false)
    })
  })

  describe('confirmSignUp and resendSignUpCode', () => {
    it('confirms with the trimmed code and forgets the pending email', async () => {
      const session = useSessionStore()
      session.emailAwaitingConfirmation = 'ada@example.com'

      expect(await session.confirmSignUp('ada@example.com', ' 123456 ')).toBe(true)

      expect(userPool.confirmSignUp).toHaveBeenCalledWith('ada@example.com', '123456')
      expect(session.emailAwaitingConfirmation).toBeNull()
    })

    it.each([
      ['CodeMismatchException', 'Invalid verification code provided, please try again.', "That code isn't right. Check the latest code we sent and try again."],
      ['ExpiredCodeException', 'Invalid code provided, please request a code again.', 'That code has expired or was already used. Ask for a new one.'],
      ['NotAuthorizedException', 'User cannot be confirmed. Current status is CONFIRMED', 'This account is already confirmed. You can sign in.'],
    ])('refuses a code with %s', async (code, awsMessage, riderMessage) => {
      vi.mocked(userPool.confirmSignUp).mockRejectedValue(cognitoError(code, awsMessage))
      const session = useSessionStore()

      expect(await session.confirmSignUp('ada@example.com', '000000')).toBe(false)

      expect(session.actionState.confirmSignUp.error?.message).toBe(riderMessage)
    })

    it('signs the rider in after confirming, with the password typed at sign-up in this tab, then forgets it', async () => {
      vi.mocked(userPool.signUp).mockResolvedValue({ isConfirmed: false, codeDelivery: delivery })
      vi.mocked(userPool.signIn).mockResolvedValue({ kind: 'signedIn', claims: riderClaims() })
      const session = useSessionStore()
      await session.signUp(details)

      expect(await session.confirmSignUp(details.email, '123456')).toBe(true)

      expect(userPool.signIn).toHaveBeenCalledWith(details.email, details.password)
      expect(session.isSignedIn).toBe(true)
      expect(JSON.stringify(session.$state)).not.toContain(details.password)
      vi.mocked(userPool.signIn).mockClear()
      await session.confirmSignUp(details.email, '123456')
      expect(userPool.signIn).not.toHaveBeenCalled()
    })

    it('holds the password an unconfirmed rider signed in with, for the confirmation', async () => {
      vi.mocked(userPool.signIn).mockRejectedValueOnce(cognitoError('UserNotConfirmedException', 'User is not confirmed.'))
      const session = useSessionStore()
      await session.signIn('ada@example.com', 'Unicorn-Ride9')
      vi.mocked(userPool.signIn).mockResolvedValue({ kind: 'signedIn', claims: riderClaims() })

      await session.confirmSignUp('ada@example.com', '123456')

      expect(userPool.signIn).toHaveBeenLastCalledWith('ada@example.com', 'Unicorn-Ride9')
      expect(session.isSignedIn).toBe(true)
    })

    it('confirms without signing in once the flow was left, or for another email', async () => {
      vi.mocked(userPool.signUp).mockResolvedValue({ isConfirmed: false, codeDelivery: delivery })
      const session = useSessionStore()
      await session.signUp(details)
      expect(await session.confirmSignUp('someone-else@example.com', '123456')).toBe(true)
      await session.signUp(details)
      session.dropHeldPassword()

      expect(await session.confirmSignUp(details.email, '123456')).toBe(true)

      expect(userPool.signIn).not.toHaveBeenCalled()
      expect(session.isSignedIn).toBe(false)
    })

    it('counts the confirmation as done when the sign-in after it fails', async () => {
      vi.mocked(userPool.signUp).mockResolvedValue({ isConfirmed: false, codeDelivery: delivery })
      vi.mocked(userPool.signIn).mockRejectedValue(cognitoError('NetworkError', 'Network error'))
      const session = useSessionStore()
      await session.signUp(details)

      expect(await session.confirmSignUp(details.email, '123456')).toBe(true)

      expect(session.isSignedIn).toBe(false)
    })

    it('sends a new code and says where it went', async () => {
      vi.mocked(userPool.resendSignUpCode).mockResolvedValue(delivery)
      const session = useSessionStore()

      expect(await session.resendSignUpCode('ada@example.com')).toBe(true)

      expect(session.lastCodeDelivery?.destination).toBe('a***@e***')
      expect(session.emailAwaitingConfirmation).toBe('ada@example.com')
    })

    it('asks the rider to wait when codes were requested too often', async () => {
      vi.mocked(userPool.resendSignUpCode).mockRejectedValue(cognitoError('LimitExceededException', 'Attempt limit exceeded, please try after some time.'))
      const session = useSessionStore()

      expect(await session.resendSignUpCode('ada@example.com')).toBe(false)

      expect(session.actionState.resendSignUpCode.error).toEqual({ code: 'LimitExceededException', message: 'Too many attempts. Please wait a few minutes, then try again.' })
    })
  })

  describe('signIn', () => {
    it('signs the rider in with their claims', async () => {
      const claims = riderClaims()
      vi.mocked(userPool.signIn).mockResolvedValue({ kind: 'signedIn', claims })
      const session = useSessionStore()

      expect(await session.signIn('ada@example.com', 'Unicorn1rides')).toBe(true)

      expect(session.isSignedIn).toBe(true)
      expect(session.claims).toEqual(claims)
    })

    it.each([
      ['NotAuthorizedException', 'Incorrect username or password.', 'NotAuthorizedException', "That email and password don't match. Check them and try again."],
      ['NotAuthorizedException', 'Password attempts exceeded', 'PasswordAttemptsExceeded', 'Too many failed sign-in attempts. Please wait a few minutes before trying again.'],
      ['NotAuthorizedException', 'User is disabled.', 'UserDisabled', 'This account has been disabled. Contact Wild Rydes support.'],
      ['PasswordResetRequiredException', 'Password reset required for the user', 'PasswordResetRequiredException', 'You need to reset your password before you can sign in.'],
      ['TooManyRequestsException', 'Too many requests', 'TooManyRequestsException', "We're getting a lot of requests right now. Please wait a moment and try again."],
    ])('refuses with %s "%s"', async (name, awsMessage, code, riderMessage) => {
      vi.mocked(userPool.signIn).mockRejectedValue(cognitoError(name, awsMessage))
      const session = useSessionStore()

      expect(await session.signIn('ada@example.com', 'wrong')).toBe(false)

      expect(session.actionState.signIn.error).toEqual({ code, message: riderMessage })
      expect(session.isSignedIn).toBe(false)
    })

    it('remembers the email of an unconfirmed rider so the confirm page can take over', async () => {
      vi.mocked(userPool.signIn).mockRejectedValue(cognitoError('UserNotConfirmedException', 'User is not confirmed.'))
      const session = useSessionStore()

      expect(await session.signIn('ada@example.com', 'Unicorn1rides')).toBe(false)

      expect(session.actionState.signIn.error?.code).toBe('UserNotConfirmedException')
      expect(session.actionState.signIn.error?.message).toBe('Please confirm your email address first: enter the code we sent you.')
      expect(session.emailAwaitingConfirmation).toBe('ada@example.com')
    })

    it('says when the connection is down', async () => {
      vi.mocked(userPool.signIn).mockRejectedValue(Object.assign(new Error('Network error'), { code: 'NetworkError' }))
      const session = useSessionStore()

      expect(await session.signIn('ada@example.com', 'Unicorn1rides')).toBe(false)

      expect(session.actionState.signIn.error).toEqual({ code: 'NetworkError', message: "We can't reach Wild Rydes. Check your connection and try again." })
    })

    it('holds the new-password step for a rider created by an administrator, then completes it', async () => {
      vi.mocked(userPool.signIn).mockResolvedValue({ kind: 'newPasswordRequired', requiredAttributes: ['name'] })
      const session = useSessionStore()

      expect(await session.signIn('ada@example.com', 'Temp0rary!')).toBe(true)
      expect(session.isSignedIn).toBe(false)
      expect(session.newPasswordStep).toEqual({ email: 'ada@example.com', requiredAttributes: ['name'] })

      const claims = riderClaims()
      vi.mocked(userPool.completeNewPassword).mockResolvedValue(claims)
      expect(await session.completeNewPassword('Unicorn1rides', { name: 'Ada Lovelace' })).toBe(true)

      expect(userPool.completeNewPassword).toHaveBeenCalledWith('Unicorn1rides', { name: 'Ada Lovelace' })
      expect(session.newPasswordStep).toBeNull()
      expect(session.claims).toEqual(claims)
    })

    it('keeps the new-password step when the new password is refused', async () => {
      vi.mocked(userPool.signIn).mockResolvedValue({ kind: 'newPasswordRequired', requiredAttributes: [] })
      vi.mocked(userPool.completeNewPassword).mockRejectedValue(
        cognitoError('InvalidPasswordException', 'Password does not conform to policy: Password not long enough'),
      )
      const session = useSessionStore()
      await session.signIn('ada@example.com', 'Temp0rary!')

      expect(await session.completeNewPassword('short')).toBe(false)

      expect(session.actionState.completeNewPassword.error?.message).toBe("Your password doesn't meet the rules: Password not long enough.")
      expect(session.newPasswordStep).not.toBeNull()
    })
  })

  describe('sign-out', () => {
    async function signedInWithProfileState() {
      vi.mocked(userPool.signIn).mockResolvedValue({ kind: 'signedIn', claims: riderClaims() })
      vi.mocked(getUser).mockResolvedValue(riderAccount(riderClaims()))
      vi.mocked(userPool.updateUserAttributes).mockResolvedValue([delivery])
      vi.mocked(tokens.refreshSession).mockResolvedValue(riderClaims())
      const session = useSessionStore()
      const profile = useProfileStore()
      await session.signIn('ada@example.com', 'Unicorn1rides')
      await profile.load()
      await profile.updateAttributes({ email: 'new@example.com' }, PROOF)
      expect(profile.pendingVerifications).toHaveLength(1)
      // What the email change sent (its identity check) is not what the tests below look at.
      calls.length = 0
      return { session, profile }
    }

    it('signOut revokes through userPool and resets both stores', async () => {
      const { session, profile } = await signedInWithProfileState()

      expect(await session.signOut()).toBe(true)

      expect(userPool.signOut).toHaveBeenCalledOnce()
      expect(session.claims).toBeNull()
      expect(session.isSignedIn).toBe(false)
      expect(profile.attributes).toBeNull()
      expect(profile.pendingVerifications).toEqual([])
    })

    it('signOutEverywhere resets both stores after GlobalSignOut', async () => {
      const { session, profile } = await signedInWithProfileState()

      expect(await session.signOutEverywhere()).toBe(true)

      expect(userPool.globalSignOut).toHaveBeenCalledOnce()
      expect(session.isSignedIn).toBe(false)
      expect(profile.pendingVerifications).toEqual([])
    })

    it('signOutEverywhere that cannot reach Cognito keeps the rider signed in and says why', async () => {
      const { session } = await signedInWithProfileState()
      vi.mocked(userPool.globalSignOut).mockRejectedValue(Object.assign(new Error('Network error'), { code: 'NetworkError' }))

      expect(await session.signOutEverywhere()).toBe(false)

      expect(session.isSignedIn).toBe(true)
      expect(session.actionState.signOutEverywhere.error?.code).toBe('NetworkError')
    })

    it('deleteAccount deletes the user and resets both stores', async () => {
      const { session, profile } = await signedInWithProfileState()

      expect(await session.deleteAccount(PROOF)).toBe(true)

      expect(userPool.deleteUser).toHaveBeenCalledOnce()
      expect(session.isSignedIn).toBe(false)
      expect(profile.attributes).toBeNull()
    })

    it('deleteAccount with a revoked session ends the session and says why', async () => {
      const { session } = await signedInWithProfileState()
      vi.mocked(userPool.deleteUser).mockRejectedValue(cognitoError('NotAuthorizedException', 'Access Token has been revoked'))

      expect(await session.deleteAccount(PROOF)).toBe(false)

      expect(session.actionState.deleteAccount.error).toEqual({ code: 'SessionExpired', message: 'Your session has ended. Please sign in again.' })
      expect(session.actionState.deleteAccount.error?.code).toBe('SessionExpired')
      expect(userPool.signOut).toHaveBeenCalledOnce()
      expect(session.isSignedIn).toBe(false)
      expect(session.hasSessionEnded).toBe(true)
    })

    it('deleteAccount deletes the rider’s photos before the user, with no photo section mounted', async () => {
      const { session } = await signedInWithProfileState()
      const current = `protected/${IDENTITY_ID}/profile/5d2c0f3e-8b1a-4c6d-9e7f-0a1b2c3d4e5f.webp`
      const leftOver = `protected/${IDENTITY_ID}/profile/1f2e3d4c-5b6a-4789-8abc-def012345678.jpeg`
      const someoneElses = 'protected/us-east-1:0a1b2c3d-0000-4000-8000-000000000002/profile/b.webp'
      for (const key of [current, leftOver, someoneElses]) bucket.add(key)

      expect(await session.deleteAccount(PROOF)).toBe(true)

      expect(userPool.confirmIdentity).toHaveBeenCalledWith(PROOF)
      expect(calls).toEqual([
        'InitiateAuth USER_SRP_AUTH',
        `ListObjectsV2 protected/${IDENTITY_ID}/profile/`,
        `DeleteObject ${current}`,
        `DeleteObject ${leftOver}`,
        'DeleteUser',
      ])
      expect([...bucket]).toEqual([someoneElses])
      expect(session.isSignedIn).toBe(false)
    })

    it.each([
      ['NotAuthorizedException', 'Incorrect username or password.', 'NotAuthorizedException', "That password isn't right."],
      ['NotAuthorizedException', 'Password attempts exceeded', 'PasswordAttemptsExceeded', 'Too many failed sign-in attempts. Please wait a few minutes before trying again.'],
      ['CodeMismatchException', 'Invalid code received for user', 'CodeMismatchException', "That code isn't right. Enter the 6-digit code your authenticator app shows now."],
      ['CodeRequired', '', 'CodeRequired', 'Enter the code from your authenticator app.'],
    ])('deleteAccount refused by the identity check (%s: %s) touches nothing and says why', async (name, awsMessage, code, message) => {
      const { session } = await signedInWithProfileState()
      bucket.add(`protected/${IDENTITY_ID}/profile/5d2c0f3e-8b1a-4c6d-9e7f-0a1b2c3d4e5f.webp`)
      vi.mocked(userPool.confirmIdentity).mockRejectedValue(new IdentityCheckError(name === 'CodeRequired' ? new CodeRequiredError() : cognitoError(name, awsMessage)))

      expect(await session.deleteAccount({ password: 'Not1mypassword', code: '123456' })).toBe(false)

      expect(calls).toEqual([])
      expect(bucket.size).toBe(1)
      expect(session.isSignedIn).toBe(true)
      expect(session.actionState.deleteAccount.error).toEqual({ code, message })
    })

    it('deleteAccount keeps the account when its photos cannot be deleted, and says why', async () => {
      const { session } = await signedInWithProfileState()
      bucket.add(`protected/${IDENTITY_ID}/profile/5d2c0f3e-8b1a-4c6d-9e7f-0a1b2c3d4e5f.webp`)
      vi.mocked(s3.deleteObject).mockRejectedValue(Object.assign(new Error('Network error'), { name: 'NetworkError' }))

      expect(await session.deleteAccount(PROOF)).toBe(false)

      expect(userPool.deleteUser).not.toHaveBeenCalled()
      expect(bucket.size).toBe(1)
      expect(session.isSignedIn).toBe(true)
      expect(session.actionState.deleteAccount.error?.code).toBe('NetworkError')
    })

    it('deleteAccount refused by S3 (AccessDenied) keeps the account and says, in the deletion’s words, why', async () => {
      const { session } = await signedInWithProfileState()
      bucket.add(`protected/${IDENTITY_ID}/profile/5d2c0f3e-8b1a-4c6d-9e7f-0a1b2c3d4e5f.webp`)
      vi.mocked(s3.deleteObject).mockRejectedValue(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }))

      expect(await session.deleteAccount(PROOF)).toBe(false)

      expect(userPool.deleteUser).not.toHaveBeenCalled()
      expect(session.actionState.deleteAccount.error).toEqual({
        code: 'AccessDenied',
        message: "Your account couldn't be deleted: access to your photo was refused. Please sign out, sign in again and retry.",
      })
    })

    it('an identity pool that refuses the rider ends the session when deleting the account', async () => {
      const { session } = await signedInWithProfileState()
      vi.mocked(credentials.getRiderCredentials).mockRejectedValue(cognitoError('NotAuthorizedException', 'Invalid login token. Token expired: 1800000000 >= 1799996400'))

      expect(await session.deleteAccount(PROOF)).toBe(false)

      expect(userPool.deleteUser).not.toHaveBeenCalled()
      expect(session.hasSessionEnded).toBe(true)
      expect(session.isSignedIn).toBe(false)
    })
  })

  describe('passwords', () => {
    it('sends a reset code and keeps where it went', async () => {
      vi.mocked(userPool.forgotPassword).mockResolvedValue(delivery)
      const session = useSessionStore()

      expect(await session.forgotPassword('ada@example.com')).toBe(true)

      expect(session.lastCodeDelivery).toEqual(delivery)
    })

    it('asks to wait when reset codes were requested too often', async () => {
      vi.mocked(userPool.forgotPassword).mockRejectedValue(cognitoError('LimitExceededException', 'Attempt limit exceeded, please try after some time.'))
      const session = useSessionStore()

      expect(await session.forgotPassword('ada@example.com')).toBe(false)

      expect(session.actionState.forgotPassword.error?.code).toBe('LimitExceededException')
    })

    it('sets the new password with the trimmed code', async () => {
      const session = useSessionStore()

      expect(await session.confirmForgotPassword('ada@example.com', '123456 ', 'Unicorn2rides')).toBe(true)

      expect(userPool.confirmForgotPassword).toHaveBeenCalledWith('ada@example.com', '123456', 'Unicorn2rides')
    })

    it('refuses a wrong reset code', async () => {
      vi.mocked(userPool.confirmForgotPassword).mockRejectedValue(cognitoError('CodeMismatchException', 'Invalid verification code provided, please try again.'))
      const session = useSessionStore()

      expect(await session.confirmForgotPassword('ada@example.com', '000000', 'Unicorn2rides')).toBe(false)

      expect(session.actionState.confirmForgotPassword.error?.message).toBe("That code isn't right. Check the latest code we sent and try again.")
    })

    it('changes the password', async () => {
      const session = useSessionStore()

      expect(await session.changePassword('Unicorn1rides', 'Unicorn2rides')).toBe(true)

      expect(userPool.changePassword).toHaveBeenCalledWith('Unicorn1rides', 'Unicorn2rides')
    })

    it('says the current password is wrong in its own words', async () => {
      vi.mocked(userPool.changePassword).mockRejectedValue(cognitoError('NotAuthorizedException', 'Incorrect username or password.'))
      const session = useSessionStore()

      expect(await session.changePassword('wrong', 'Unicorn2rides')).toBe(false)

      expect(session.actionState.changePassword.error).toEqual({ code: 'NotAuthorizedException', message: "Your current password isn't right." })
    })
  })

  describe('restore', () => {
    it('resolves at once, without loading the user-pool code, when no session is stored', async () => {
      vi.mocked(tokens.hasStoredTokens).mockReturnValue(false)
      const session = useSessionStore()

      expect(await session.restore()).toBe(true)

      expect(tokens.currentClaims).not.toHaveBeenCalled()
      expect(session.isRestored).toBe(true)
      expect(session.isSignedIn).toBe(false)
    })

    it('picks up the stored session once', async () => {
      vi.mocked(tokens.hasStoredTokens).mockReturnValue(true)
      vi.mocked(tokens.currentClaims).mockResolvedValue(riderClaims())
      const session = useSessionStore()

      expect(await session.restore()).toBe(true)
      expect(await session.restore()).toBe(true)

      expect(session.isSignedIn).toBe(true)
      expect(tokens.currentClaims).toHaveBeenCalledOnce()
    })

    it('reads the stored session once when a guarded route asks while the background restore is under way', async () => {
      vi.mocked(tokens.hasStoredTokens).mockReturnValue(true)
      vi.mocked(tokens.currentClaims).mockResolvedValue(riderClaims())
      const session = useSessionStore()

      expect(await Promise.all([session.restore(), session.restore()])).toEqual([true, true])

      expect(session.isSignedIn).toBe(true)
      expect(tokens.currentClaims).toHaveBeenCalledOnce()
    })

    it('leaves the rider signed out when the stored session was revoked', async () => {
      vi.mocked(tokens.hasStoredTokens).mockReturnValue(true)
      vi.mocked(tokens.currentClaims).mockResolvedValue(null)
      const session = useSessionStore()

      expect(await session.restore()).toBe(true)

      expect(session.isSignedIn).toBe(false)
    })

    it('says so when the session cannot be refreshed offline, and does not block navigation', async () => {
      vi.mocked(tokens.hasStoredTokens).mockReturnValue(true)
      vi.mocked(tokens.currentClaims).mockRejectedValue(Object.assign(new Error('Network error'), { code: 'NetworkError' }))
      const session = useSessionStore()

      expect(await session.restore()).toBe(false)

      expect(session.isRestored).toBe(true)
      expect(session.actionState.restore.error?.code).toBe('NetworkError')
    })
  })

  it('refresh re-reads the claims, e.g. a new picture', async () => {
    vi.mocked(tokens.refreshSession).mockResolvedValue(riderClaims({ picture: 'protected/us-east-1:abc/profile/1.webp' }))
    const session = useSessionStore()
    session.claims = riderClaims()

    expect(await session.refresh()).toBe(true)

    expect(session.claims?.picture).toBe('protected/us-east-1:abc/profile/1.webp')
  })
})
