import { afterEach, describe, expect, it, vi } from 'vitest'
import { cognitoError } from '../../../tests/support/fixtures'
import { describeAwsError, NotSignedInError } from './errors'

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('describeAwsError', () => {
  it.each([
    ['NotAuthorizedException', 'Incorrect username or password.', 'NotAuthorizedException'],
    ['NotAuthorizedException', 'Password attempts exceeded', 'PasswordAttemptsExceeded'],
    ['NotAuthorizedException', 'Refresh Token has been revoked', 'SessionExpired'],
    ['NotAuthorizedException', 'Invalid session for the user, session is expired.', 'ChallengeExpired'],
    ['NotAuthorizedException', 'User cannot be confirmed. Current status is CONFIRMED', 'AlreadyConfirmed'],
    ['InvalidParameterException', 'User is already confirmed.', 'AlreadyConfirmed'],
    ['InvalidParameterException', 'Invalid email address format.', 'InvalidEmail'],
    [
      'InvalidParameterException',
      'Cannot reset password for the user as there is no registered/verified email or phone_number',
      'NoVerifiedContact',
    ],
    ['InvalidParameterException', "1 validation error detected: Value at 'password' failed to satisfy constraint", 'InvalidPasswordException'],
    ['InvalidParameterException', 'Something new', 'InvalidParameterException'],
    ['UserNotConfirmedException', 'User is not confirmed.', 'UserNotConfirmedException'],
    ['UserNotFoundException', 'User does not exist.', 'UserNotFoundException'],
    ['ExpiredCodeException', 'Invalid code provided, please request a code again.', 'ExpiredCodeException'],
    ['TooManyFailedAttemptsException', 'Too many failed attempts.', 'TooManyFailedAttemptsException'],
    ['InternalErrorException', 'Internal error', 'InternalErrorException'],
  ])('tells %s "%s" apart as %s', (name, message, code) => {
    const described = describeAwsError(cognitoError(name, message))

    expect(described?.code).toBe(code)
    expect(described?.message).toMatch(/^[A-Z].*[.!]$/)
  })

  it("tells a rider past Cognito's daily email limit that codes can't be sent today, not to wait a few minutes", () => {
    const described = describeAwsError(
      cognitoError(
        'LimitExceededException',
        'Exceeded daily email limit for the operation or the account. If a higher limit is required, please configure your user pool to use your own Amazon SES configuration for sending email.',
      ),
    )

    expect(described?.code).toBe('EmailQuotaExceeded')
    expect(described?.message).toMatch(/can't send codes by email right now/)
    expect(described?.message).toMatch(/try again tomorrow/)
    expect(described?.message).not.toMatch(/few minutes/)
    expect(describeAwsError(cognitoError('LimitExceededException', 'Attempt limit exceeded, please try after some time.'))?.message).toMatch(/few minutes/)
  })

  it("keeps Cognito's password rule", () => {
    const described = describeAwsError(cognitoError('InvalidPasswordException', 'Password did not conform with policy: Password must have numeric characters'))

    expect(described).toEqual({
      code: 'InvalidPasswordException',
      message: "Your password doesn't meet the rules: Password must have numeric characters.",
    })
  })

  it('recognises a request that never got an answer, and says so differently when offline', () => {
    const libraryNetworkError = Object.assign(new Error('Network error'), { code: 'NetworkError' })
    expect(describeAwsError(libraryNetworkError)?.code).toBe('NetworkError')
    expect(describeAwsError(new TypeError('Failed to fetch'))?.code).toBe('NetworkError')

    vi.stubGlobal('navigator', { onLine: false })
    expect(describeAwsError(libraryNetworkError)).toEqual({ code: 'Offline', message: "You're offline. Reconnect to the internet and try again." })
  })

  it('says the session ended when no rider is signed in', () => {
    expect(describeAwsError(new NotSignedInError())).toEqual({ code: 'NotSignedIn', message: 'Your session has ended. Please sign in again.' })
  })

  it("uses a flow's own wording when it has one", () => {
    expect(describeAwsError(cognitoError('NotAuthorizedException', 'Incorrect username or password.'), { NotAuthorizedException: 'Wrong current password.' }))
      .toEqual({ code: 'NotAuthorizedException', message: 'Wrong current password.' })
  })

  it('leaves unknown errors to the caller, to rethrow', () => {
    expect(describeAwsError(new TypeError("Cannot read properties of undefined (reading 'x')"))).toBeUndefined()
    expect(describeAwsError(new Error('User is not authenticated'))).toBeUndefined()
    expect(describeAwsError(cognitoError('ResourceNotFoundException', 'User pool client does not exist.'))).toBeUndefined()
    expect(describeAwsError('a string')).toBeUndefined()
  })
})
