import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { IdentityCheckError } from '@/lib/aws/errors'
import * as userPool from '@/lib/aws/userPool'
import * as passkeys from '@/lib/aws/passkeys'
import { getUser } from '@/lib/aws/getUser'
import { cognitoError, riderAccount, riderClaims } from '../../tests/support/fixtures'
import { useProfileStore } from './profile'
import { useSessionStore } from './session'

// The stores' two-step sign-in actions: the session's code step after the password, the profile's setup and turning off.

vi.mock('@/lib/aws/userPool')
vi.mock('@/lib/aws/passkeys')
vi.mock('@/lib/aws/getUser')
vi.mock('@/lib/aws/tokens')
vi.mock('@/lib/photo/photoWrites')

beforeEach(() => {
  vi.resetAllMocks()
  sessionStorage.clear()
  setActivePinia(createPinia())
})

describe('the sign-in code step (session store)', () => {
  it('opens after the right password, naming the authenticator, and signs in with its code', async () => {
    vi.mocked(userPool.signIn).mockResolvedValue({ kind: 'codeRequired', authenticatorName: 'Pixel' })
    vi.mocked(userPool.sendSignInCode).mockResolvedValue(riderClaims())
    const session = useSessionStore()

    expect(await session.signIn('ada@example.com', 'Unicorn1rides')).toBe(true)
    expect(session.isSignedIn).toBe(false)
    expect(session.codeStep).toEqual({ email: 'ada@example.com', authenticatorName: 'Pixel' })

    expect(await session.sendSignInCode(' 123 456 ')).toBe(true)
    expect(userPool.sendSignInCode).toHaveBeenCalledWith('123456')
    expect(session.isSignedIn).toBe(true)
    // Signing out forgets the finished step.
    await session.signOut()
    expect(session.codeStep).toBeNull()
  })

  it('opens with the masked number when Cognito texted the code (SMS_MFA), and signs in with it', async () => {
    vi.mocked(userPool.signIn).mockResolvedValue({ kind: 'codeRequired', textedTo: '+*******1234' })
    vi.mocked(userPool.sendSignInCode).mockResolvedValue(riderClaims())
    const session = useSessionStore()

    expect(await session.signIn('ada@example.com', 'Unicorn1rides')).toBe(true)
    expect(session.codeStep).toEqual({ email: 'ada@example.com', textedTo: '+*******1234' })
    expect(await session.sendSignInCode('123456')).toBe(true)
    expect(session.isSignedIn).toBe(true)
  })

  it('keeps the step open after a wrong or reused code, with the error for the form', async () => {
    vi.mocked(userPool.signIn).mockResolvedValue({ kind: 'codeRequired' })
    vi.mocked(userPool.sendSignInCode).mockRejectedValueOnce(cognitoError('CodeMismatchException', 'Invalid code received for user'))
    vi.mocked(userPool.sendSignInCode).mockRejectedValueOnce(cognitoError('ExpiredCodeException', 'Your software token has already been used once.'))
    const session = useSessionStore()
    await session.signIn('ada@example.com', 'Unicorn1rides')

    expect(await session.sendSignInCode('111111')).toBe(false)
    expect(session.actionState.sendSignInCode.error?.code).toBe('CodeMismatchException')
    expect(await session.sendSignInCode('222222')).toBe(false)
    expect(session.actionState.sendSignInCode.error?.code).toBe('ExpiredCodeException')
    expect(session.codeStep).toEqual({ email: 'ada@example.com' })
  })

  it('says the step has expired after three minutes, and going back forgets it', async () => {
    vi.mocked(userPool.signIn).mockResolvedValue({ kind: 'codeRequired' })
    vi.mocked(userPool.sendSignInCode).mockRejectedValue(cognitoError('NotAuthorizedException', 'Invalid session for the user, session is expired.'))
    const session = useSessionStore()
    await session.signIn('ada@example.com', 'Unicorn1rides')

    expect(await session.sendSignInCode('123456')).toBe(false)
    expect(session.actionState.sendSignInCode.error).toEqual({ code: 'ChallengeExpired', message: 'That took too long. Please sign in again.' })
    expect(session.hasSessionEnded).toBe(false)
    await session.cancelCodeStep()
    expect(session.codeStep).toBeNull()
    expect(userPool.abandonSignInChallenge).toHaveBeenCalled()
  })
})

describe('setting up and turning off two-step sign-in (profile store)', () => {
  function signedIn() {
    const session = useSessionStore()
    session.claims = riderClaims({ email: 'ada@example.com' })
    return { session, profile: useProfileStore() }
  }

  it('reads whether it is on', async () => {
    vi.mocked(getUser).mockResolvedValue(riderAccount(riderClaims(), { isOn: true }))
    const { profile } = signedIn()
    expect(profile.twoStepSignIn).toBeNull()
    expect(await profile.loadTwoStepSignIn()).toBe(true)
    expect(profile.twoStepSignIn).toEqual({ isOn: true })
  })

  it('holds the new secret and its otpauth URI until a code turns it on, under the name given', async () => {
    vi.mocked(userPool.startAuthenticatorSetup).mockResolvedValue('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP')
    const { profile } = signedIn()

    expect(await profile.startAuthenticatorSetup()).toBe(true)
    expect(profile.authenticatorSetup).toEqual({
      secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
      uri: 'otpauth://totp/Wild%20Rydes:ada%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Wild%20Rydes',
    })

    expect(await profile.turnOnTwoStepSignIn('123 456', 'Pixel')).toBe(true)
    expect(userPool.turnOnTwoStepSignIn).toHaveBeenCalledWith('123456', 'Pixel')
    // The rider's passkeys go on signing them in, as both steps.
    expect(passkeys.keepPasskeysForSignIn).toHaveBeenCalledOnce()
    expect(profile.authenticatorSetup).toBeNull()
    expect(profile.twoStepSignIn).toEqual({ isOn: true, authenticatorName: 'Pixel' })
  })

  it('keeps the setup open after a wrong code, worded for an authenticator app', async () => {
    vi.mocked(userPool.startAuthenticatorSetup).mockResolvedValue('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP')
    vi.mocked(userPool.turnOnTwoStepSignIn).mockRejectedValue(cognitoError('EnableSoftwareTokenMFAException', 'Code mismatch and fail enable Software Token MFA'))
    const { profile } = signedIn()
    await profile.startAuthenticatorSetup()

    expect(await profile.turnOnTwoStepSignIn('000000', 'Pixel')).toBe(false)
    expect(profile.actionState.turnOnTwoStepSignIn.error).toEqual({
      code: 'EnableSoftwareTokenMFAException',
      message: "That code isn't right. Enter the 6-digit code your authenticator app shows now.",
    })
    expect(profile.authenticatorSetup?.secret).toBe('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP')
    profile.cancelAuthenticatorSetup()
    expect(profile.authenticatorSetup).toBeNull()
  })

  it('turns it off, and forgets all of it at sign-out', async () => {
    vi.mocked(getUser).mockResolvedValue(riderAccount(riderClaims(), { isOn: true }))
    const { session, profile } = signedIn()
    await profile.loadTwoStepSignIn()

    expect(await profile.turnOffTwoStepSignIn({ password: 'Unicorn1rides', code: '123456' })).toBe(true)
    expect(userPool.confirmIdentity).toHaveBeenCalledWith({ password: 'Unicorn1rides', code: '123456' })
    expect(profile.twoStepSignIn).toEqual({ isOn: false })
    expect(await session.signOut()).toBe(true)
    expect(profile.twoStepSignIn).toBeNull()
  })

  it('keeps it on when the identity check refuses the code, and says why', async () => {
    vi.mocked(getUser).mockResolvedValue(riderAccount(riderClaims(), { isOn: true }))
    const { profile } = signedIn()
    await profile.loadTwoStepSignIn()
    vi.mocked(userPool.confirmIdentity).mockRejectedValue(new IdentityCheckError(cognitoError('CodeMismatchException', 'Invalid code received for user')))

    expect(await profile.turnOffTwoStepSignIn({ password: 'Unicorn1rides', code: '000000' })).toBe(false)

    expect(userPool.turnOffTwoStepSignIn).not.toHaveBeenCalled()
    expect(profile.twoStepSignIn?.isOn).toBe(true)
    expect(profile.actionState.turnOffTwoStepSignIn.error).toEqual({
      code: 'CodeMismatchException',
      message: "That code isn't right. Enter the 6-digit code your authenticator app shows now.",
    })
  })
})
