/** An expected failure, said so a rider understands it. `code` lets views react (e.g. go to the confirm page). */
export interface RiderError {
  code: string
  message: string
}

/** Thrown by `userPool.ts` when an action needs a signed-in rider and no session is stored (or it was revoked). */
export class NotSignedInError extends Error {
  readonly code = 'NotSignedIn'
  constructor() {
    super('No signed-in rider')
    this.name = 'NotSignedInError'
  }
}

/**
 * Thrown by `userPool.ts` when the identity check meets two-step sign-in and no code was given: the authenticator's, or
 * the one Cognito has just texted (the check's IdentityCheckError then says where it went).
 */
export class CodeRequiredError extends Error {
  readonly code = 'CodeRequired'
  constructor() {
    super('Two-step sign-in is on: the identity check needs a code')
    this.name = 'CodeRequiredError'
  }
}

/**
 * Thrown by `userPool.ts` when the rider could not prove it is them before a sensitive change; `cause` is the sign-in's
 * own failure. Apart from the change's failures: a wrong password there is not a session that ended.
 */
export class IdentityCheckError extends Error {
  /**
   * @param textedTo the masked number (`+*******1234`) when the check's code is one Cognito texted (SMS_MFA), which
   *   the rider answers on the same check
   */
  constructor(
    cause: unknown,
    readonly textedTo?: string,
  ) {
    super('The identity check failed', { cause })
    this.name = 'IdentityCheckError'
  }
}

const SESSION_ENDED = 'Your session has ended. Please sign in again.'
const CODE_NOT_SENT = "We couldn't send you a verification code. Check the address and try again in a few minutes."
const SLOW_DOWN = 'Too many attempts. Please wait a few minutes, then try again.'
const PASSKEY_WRONG_SITE = "That passkey was made for another website, so it can't be used here. Choose a passkey made for Wild Rydes."
const PASSKEYS_OFF = "Passkeys aren't available right now. Please sign in with your password."

/**
 * Cognito error names the rider's flows can meet. https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/CommonErrors.html
 * and each operation's "Errors" section.
 */
const MESSAGES: Readonly<Record<string, string>> = {
  NotAuthorizedException: "That email and password don't match. Check them and try again.",
  PasswordAttemptsExceeded: 'Too many failed sign-in attempts. Please wait a few minutes before trying again.',
  UserDisabled: 'This account has been disabled. Contact Wild Rydes support.',
  SessionExpired: SESSION_ENDED,
  NotSignedIn: SESSION_ENDED,
  ChallengeExpired: 'That took too long. Please sign in again.',
  TemporaryPasswordExpired: 'Your temporary password has expired. Ask Wild Rydes support for a new one.',
  AlreadyConfirmed: 'This account is already confirmed. You can sign in.',
  UserNotConfirmedException: 'Please confirm your email address first: enter the code we sent you.',
  UsernameExistsException: 'An account with this email already exists. Sign in, or reset your password if you forgot it.',
  AliasExistsException: 'Another account already uses this email address or phone number.',
  InvalidPasswordException: "Your password doesn't meet the rules.",
  PasswordHistoryPolicyViolationException: "Choose a password you haven't used recently.",
  CodeMismatchException: "That code isn't right. Check the latest code we sent and try again.",
  ExpiredCodeException: 'That code has expired or was already used. Ask for a new one.',
  LimitExceededException: SLOW_DOWN,
  EmailQuotaExceeded:
    "We can't send codes by email right now: today's limit has been reached. Please try again tomorrow. " +
    'If you need to get in now, contact Wild Rydes support.',
  TooManyFailedAttemptsException: SLOW_DOWN,
  TooManyRequestsException: "We're getting a lot of requests right now. Please wait a moment and try again.",
  InvalidPhoneNumber: 'Enter your phone number in international format: + and the country code, e.g. +14155550123.',
  InvalidEmail: 'Enter a valid email address, like rider@example.com.',
  NoVerifiedContact: "We can't reset this password because the account has no verified email address.",
  InvalidParameterException: "Some of the details you entered aren't valid. Check them and try again.",
  UserNotFoundException: "We couldn't find an account with that email.",
  PasswordResetRequiredException: 'You need to reset your password before you can sign in.',
  CodeDeliveryFailureException: CODE_NOT_SENT,
  InvalidEmailRoleAccessPolicyException: CODE_NOT_SENT,
  InvalidSmsRoleAccessPolicyException: CODE_NOT_SENT,
  InvalidSmsRoleTrustRelationshipException: CODE_NOT_SENT,
  InternalErrorException: 'Something went wrong on our side. Please try again in a moment.',
  NetworkError: "We can't reach Wild Rydes. Check your connection and try again.",
  Offline: "You're offline. Reconnect to the internet and try again.",
  // Passkeys: the browser's refusals (lib/aws/passkeys.ts names them) and the WebAuthn API's errors.
  PasskeyCancelled: "The passkey prompt was closed before it finished. Try again when you're ready.",
  PasskeyWrongSite: PASSKEY_WRONG_SITE,
  PasskeyAlreadyAdded: 'This device already holds a passkey for your account.',
  PasskeysUnsupported: "This browser can't use passkeys. Update it or use another browser, or sign in with your password.",
  NoPasskey: "This account has no passkey yet. Sign in with your password, then add a passkey on your profile.",
  PasskeyNeedsCode: 'Your account also asks for a code from your authenticator app: please sign in with your password.',
  WebAuthnRelyingPartyMismatchException: PASSKEY_WRONG_SITE,
  WebAuthnOriginNotAllowedException: PASSKEY_WRONG_SITE,
  WebAuthnChallengeNotFoundException: 'That took too long. Please try again.',
  WebAuthnCredentialNotSupportedException: "That passkey can't be used with Wild Rydes. Try another device or security key.",
  WebAuthnNotEnabledException: PASSKEYS_OFF,
  WebAuthnConfigurationMissingException: PASSKEYS_OFF,
  WebAuthnClientMismatchException: PASSKEYS_OFF,
}

/**
 * NotAuthorizedException, InvalidParameterException and LimitExceededException cover several situations; Cognito tells
 * them apart in the message. The daily email limit is not a matter of waiting a few minutes
 * (docs/aws-behaviour.md#cognitos-default-email-quota).
 */
const REFINEMENTS: Readonly<Record<string, readonly (readonly [RegExp, string])[]>> = {
  NotAuthorizedException: [
    [/password attempts exceeded/i, 'PasswordAttemptsExceeded'],
    [/user is disabled/i, 'UserDisabled'],
    [/temporary password has expired/i, 'TemporaryPasswordExpired'],
    [/cannot be confirmed/i, 'AlreadyConfirmed'],
    [/invalid session|session is expired/i, 'ChallengeExpired'],
    [/token.*(revoked|expired)|invalid (refresh|access) token/i, 'SessionExpired'],
  ],
  LimitExceededException: [[/daily email limit/i, 'EmailQuotaExceeded']],
  InvalidParameterException: [
    [/already confirmed/i, 'AlreadyConfirmed'],
    [/no registered\/verified/i, 'NoVerifiedContact'],
    [/phone/i, 'InvalidPhoneNumber'],
    [/email/i, 'InvalidEmail'],
    [/password/i, 'InvalidPasswordException'],
  ],
}

function errorNameOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const { code, name, message } = error as { code?: unknown; name?: unknown; message?: unknown }
  // fetch rejects with a TypeError when the request never got an answer (offline, DNS, CORS).
  if (name === 'TypeError' && typeof message === 'string' && /fetch|network|load failed/i.test(message)) return 'NetworkError'
  if (typeof code === 'string' && code !== '') return code
  return typeof name === 'string' ? name : undefined
}

function isOffline(): boolean {
  return typeof navigator !== 'undefined' && navigator.onLine === false
}

/** Cognito says which rule failed ("Password did not conform with policy: Password not long enough"): keep that part. */
function passwordRuleOf(message: string): string | undefined {
  const rule = /polic(?:y|ies):\s*(.+)$/i.exec(message)?.[1]?.trim()
  return rule ? rule.replace(/\.?$/, '.') : undefined
}

/**
 * The rider-facing `{ code, message }` for an expected AWS failure, or `undefined` for anything else, which callers
 * must rethrow (unknown errors are bugs to see, not messages to hide).
 * @param overrides a flow's own wording for a code, e.g. ChangePassword's "Your current password isn't right."
 */
export function describeAwsError(error: unknown, overrides: Readonly<Record<string, string>> = {}): RiderError | undefined {
  const name = errorNameOf(error)
  if (name === undefined) return undefined
  const message = (error as { message?: unknown }).message
  const text = typeof message === 'string' ? message : ''
  let code = REFINEMENTS[name]?.find(([pattern]) => pattern.test(text))?.[1] ?? name
  if (code === 'NetworkError' && isOffline()) code = 'Offline'
  const sentence = overrides[code] ?? MESSAGES[code]
  if (sentence === undefined) return undefined
  const rule = code === 'InvalidPasswordException' ? passwordRuleOf(text) : undefined
  return { code, message: rule ? `${sentence.replace(/\.$/, ':')} ${rule}` : sentence }
}

/** The error for a failure that means the session is over where AWS's own name for it says something else. */
export const SESSION_ENDED_ERROR: Readonly<RiderError> = { code: 'SessionExpired', message: SESSION_ENDED }
