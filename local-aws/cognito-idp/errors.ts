import { AwsError, notAuthorized } from '../errors.ts'

// The user pool's errors with Cognito's own names and wording, so an app's error mapping meets what AWS sends.
// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/CommonErrors.html

export const INCORRECT_CREDENTIALS = 'Incorrect username or password.'

export function codeMismatch(): AwsError {
  return new AwsError('CodeMismatchException', 'Invalid verification code provided, please try again.')
}

export function expiredCode(): AwsError {
  return new AwsError('ExpiredCodeException', 'Invalid code provided, please request a code again.')
}

export function limitExceeded(): AwsError {
  return new AwsError('LimitExceededException', 'Attempt limit exceeded, please try after some time.')
}

/**
 * A code to a phone number from a pool without SMS configuration, worded as riders' apps report it (amplify-js#166,
 * amplify-js#214): docs/aws-behaviour.md#sms-needs-the-pools-sms-configuration.
 */
export function noSmsConfiguration(): AwsError {
  return new AwsError(
    'InvalidParameterException',
    'Invalid phone number provided/Unable to send the message. User pool does not have SMS configuration to send messages.',
  )
}

export function userNotFound(message = 'User does not exist.'): AwsError {
  return new AwsError('UserNotFoundException', message)
}

export function aliasExists(attribute: string): AwsError {
  return new AwsError('AliasExistsException', `An account with the given ${attribute} already exists.`)
}

export function unauthorizedAttributeWrite(): AwsError {
  return notAuthorized('A client attempted to write unauthorized attribute')
}
