import { invalidParameter, notAuthorized } from '../errors.ts'
import { requiredParameter } from '../protocol/jsonInput.ts'
import { issueSignInTokens, type SignInResult, type SignInServices, type SignInTarget } from './authentication.ts'
import { invalidSession, type PendingChallenge } from './challenges.ts'
import { INCORRECT_CREDENTIALS, mfaCodeMismatch, softwareTokenCodeReused } from './errors.ts'
import { PASSWORD_ATTEMPTS_EXCEEDED, isLockedOut, recordFailure } from './lockout.ts'
import { checkSoftwareTokenCode } from './softwareToken.ts'

// RespondToAuthChallenge's answers to the second factor: SOFTWARE_TOKEN_MFA (a code of the user's authenticator app)
// and MFA_SETUP (the authenticator just set up through AssociateSoftwareToken and VerifySoftwareToken).
// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RespondToAuthChallenge.html

/** The pending challenge a session opens, without using it up; NotAuthorizedException for a session not of this kind. */
function peekChallenge<K extends 'SOFTWARE_TOKEN_MFA' | 'MFA_SETUP'>(services: SignInServices, target: SignInTarget, session: string, kind: K) {
  const taken = services.challenges.peek(session)
  if ('error' in taken) throw invalidSession(taken.error)
  if (taken.challenge.kind !== kind || taken.challenge.clientId !== target.client.id) throw invalidSession('unknown')
  return taken.challenge as Extract<PendingChallenge, { kind: K }>
}

/** USERNAME must name the user the challenge is for, by username or by the email they sign in with. */
function assertSameUser(target: SignInTarget, signInName: string, username: string): void {
  if (target.store.findUser(signInName)?.username !== username) throw notAuthorized(INCORRECT_CREDENTIALS)
}

/**
 * The code of the user's authenticator app. A wrong code is CodeMismatchException and counts towards the lockout as a
 * wrong password does (the session stays open for another try); a code already accepted once is ExpiredCodeException;
 * a right one uses the session up and signs the user in.
 */
export async function answerSoftwareTokenMfa(services: SignInServices, target: SignInTarget, responses: Record<string, string>, session: string): Promise<SignInResult> {
  const signInName = requiredParameter(responses, 'USERNAME')
  const code = requiredParameter(responses, 'SOFTWARE_TOKEN_MFA_CODE')
  const challenge = peekChallenge(services, target, session, 'SOFTWARE_TOKEN_MFA')
  assertSameUser(target, signInName, challenge.username)
  const now = services.clock.now()
  const user = target.store.state.users[challenge.username]
  const token = user?.softwareTokenMfa?.token
  if (!user || !token) throw invalidSession('unknown')
  if (isLockedOut(user.lockout, now)) throw notAuthorized(PASSWORD_ATTEMPTS_EXCEEDED)
  const checked = checkSoftwareTokenCode(token, code, now)
  if ('error' in checked) {
    if (checked.error === 'reused') throw softwareTokenCodeReused()
    target.store.update((draft) => {
      const failed = draft.users[challenge.username]!
      failed.lockout = recordFailure(failed.lockout, now)
    })
    throw mfaCodeMismatch()
  }
  services.challenges.take(session)
  target.store.update((draft) => void (draft.users[challenge.username]!.softwareTokenMfa!.token!.lastUsedStep = checked.step))
  return issueSignInTokens(services, target, challenge.username)
}

/** The end of MFA_SETUP: once VerifySoftwareToken accepted a code, the new authenticator is on and the user signed in. */
export async function answerMfaSetup(services: SignInServices, target: SignInTarget, responses: Record<string, string>, session: string): Promise<SignInResult> {
  const signInName = requiredParameter(responses, 'USERNAME')
  const challenge = peekChallenge(services, target, session, 'MFA_SETUP')
  assertSameUser(target, signInName, challenge.username)
  if (challenge.step !== 'verified') throw invalidParameter('User has not verified software token mfa')
  services.challenges.take(session)
  target.store.update((draft) => {
    const mfa = draft.users[challenge.username]!.softwareTokenMfa!
    mfa.isEnabled = true
    mfa.isPreferred = true
  })
  return issueSignInTokens(services, target, challenge.username)
}
