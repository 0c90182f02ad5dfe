import { AUTHENTICATOR_CODE_MESSAGES } from './authenticatorCode'
import { describeAwsError, IdentityCheckError, type RiderError } from './aws/errors'

/**
 * What a rider gives to prove it is them before a sensitive change (deleting the account, turning two-step sign-in
 * off, changing the email): their password, and a code from their authenticator app when two-step sign-in is on.
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
}

/**
 * The rider-facing error of a change the identity check guards: the check's failure in its own words, any other by
 * `describeChange` (the change's own wording; Cognito's by default).
 */
export function describeCheckedChangeError(
  caught: unknown,
  describeChange: (caught: unknown) => RiderError | undefined = describeAwsError,
): RiderError | undefined {
  return caught instanceof IdentityCheckError ? describeAwsError(caught.cause, IDENTITY_CHECK_MESSAGES) : describeChange(caught)
}
