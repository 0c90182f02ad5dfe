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

/** Whatever the password: Cognito tells an unconfirmed user to confirm (docs/aws-behaviour.md#unconfirmed-riders-are-told-so-whatever-the-password). */
export function userNotConfirmed(): AwsError {
  return new AwsError('UserNotConfirmedException', 'User is not confirmed.')
}

export function aliasExists(attribute: string): AwsError {
  return new AwsError('AliasExistsException', `An account with the given ${attribute} already exists.`)
}

export function unauthorizedAttributeWrite(): AwsError {
  return notAuthorized('A client attempted to write unauthorized attribute')
}

// Two-step sign-in with an authenticator app (docs/aws-behaviour.md#two-step-sign-in-with-an-authenticator-app).

/** A wrong code for a software token being verified (VerifySoftwareToken). */
export function softwareTokenCodeMismatch(): AwsError {
  return new AwsError('EnableSoftwareTokenMFAException', 'Code mismatch and fail enable Software Token MFA')
}

/** A wrong code answering the SOFTWARE_TOKEN_MFA challenge. */
export function mfaCodeMismatch(): AwsError {
  return new AwsError('CodeMismatchException', 'Invalid code received for user')
}

/** A right code that was accepted once already: a one-time password is good for one use (RFC 6238 §5.2). */
export function softwareTokenCodeReused(): AwsError {
  return new AwsError('ExpiredCodeException', 'Your software token has already been used once.')
}

/** Software tokens are not among the pool's factors, or the user has none. */
export function softwareTokenNotFound(message: string): AwsError {
  return new AwsError('SoftwareTokenMFANotFoundException', message)
}

// Passkeys (docs/aws-behaviour.md#passkeys-through-cognitos-webauthn-api). AWS names these errors in its API reference
// but does not publish their messages: the words are local AWS's own.

/** The pool offers no passkeys: WEB_AUTHN is not among its first sign-in factors. */
export function webAuthnNotEnabled(): AwsError {
  return new AwsError('WebAuthnNotEnabledException', 'Passkeys are not enabled for this user pool.')
}

/** The pool has passkeys on but no relying party (no WebAuthnRelyingPartyID and no domain). */
export function webAuthnConfigurationMissing(): AwsError {
  return new AwsError('WebAuthnConfigurationMissingException', 'The user pool has no relying party ID for passkeys.')
}

/** No registration challenge of this user with that value, or it expired or was used. */
export function webAuthnChallengeNotFound(): AwsError {
  return new AwsError('WebAuthnChallengeNotFoundException', 'The passkey registration challenge was not found or has expired.')
}

/** The registration was started through another app client than the access token's. */
export function webAuthnClientMismatch(): AwsError {
  return new AwsError('WebAuthnClientMismatchException', 'The access token is for a different app client than the one that started the registration.')
}

export function webAuthnOriginNotAllowed(origin: string): AwsError {
  return new AwsError('WebAuthnOriginNotAllowedException', `The passkey's origin ${origin} is not allowed for this user pool's relying party.`)
}

export function webAuthnRelyingPartyMismatch(): AwsError {
  return new AwsError('WebAuthnRelyingPartyMismatchException', "The passkey was made for another relying party than the user pool's.")
}

/** An authenticator or credential the pool does not accept (algorithm, attestation, missing user verification…). */
export function webAuthnCredentialNotSupported(reason: string): AwsError {
  return new AwsError('WebAuthnCredentialNotSupportedException', `The passkey is not supported: ${reason}`)
}
