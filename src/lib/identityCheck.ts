import { AUTHENTICATOR_CODE_MESSAGES } from './authenticatorCode'
import { CodeRequiredError, describeAwsError, IdentityCheckError, type RiderError } from './aws/errors'

/**
 * What a rider gives to prove it is them before a sensitive change (deleting the account, turning two-step sign-in
 * off, changing the email): their password, and a code from their authenticator app when two-step sign-in is on, or the
 * code Cognito texted them once the password was right (a rider with SMS two-step sign-in).
 */
export interface IdentityProof {
  password: string
  code?: string
}

/**
 * The identity check's failures in its own words: the rider is signed in, so only the password or the code can be
 * wrong. Cognito's lockout after repeated failures ("Password attempts exceeded") keeps the sign-in wording.
 */
const IDENTITY_CHECK_MESSAGES: Readonly<Record<string, string>> = {
  ...AUTHENTICATOR_CODE_MESSAGES,
  NotAuthorizedException: "That password isn't right.",
  CodeRequired: 'Enter the code from your authenticator app.',
  // A texted code's sign-in lasts three minutes; the next check texts a new code.
  ChallengeExpired: 'That code has expired. Try again to get a new one.',
}

/**
 * The rider-facing error of a change the identity check guards: the check's failure in its own words, any other by
 * `describeChange` (the change's own wording; Cognito's by default). A check waiting for a texted code says where it
 * went (`CodeTexted`), for the form to ask for it.
 */
export function describeCheckedChangeError(
  caught: unknown,
  describeChange: (caught: unknown) => RiderError | undefined = describeAwsError,
): RiderError | undefined {
  if (!(caught instanceof IdentityCheckError)) return describeChange(caught)
  const { cause, textedTo } = caught
  if (textedTo === undefined) return describeAwsError(cause, IDENTITY_CHECK_MESSAGES)
  if (cause instanceof CodeRequiredError) return { code: 'CodeTexted', message: `We texted a code to ${textedTo}. Enter it to continue.` }
  // A wrong texted code came in a message we sent, as any verification code: the app's usual wording.
  return describeAwsError(cause)
}
