import type { AuthenticationResponseJSON } from '@simplewebauthn/server'
import { invalidParameter, notAuthorized } from '../errors.ts'
import { requiredParameter } from '../protocol/jsonInput.ts'
import { completeSignIn, issueSignInTokens, type SignInResult, type SignInServices, type SignInTarget } from './authentication.ts'
import { invalidSession, type PendingChallenge } from './challenges.ts'
import { INCORRECT_CREDENTIALS, userNotFound } from './errors.ts'
import { passkeysOf, recordPasskeyUse } from './passkeys.ts'
import { signInWithPassword, startSrp } from './passwordSignIn.ts'
import { isSoftwareTokenMfaOn } from './softwareToken.ts'
import type { StoredUser } from './users.ts'
import { parseAuthenticationResponse, requestOptions, verifyAssertion, type AssertionFailure } from './webauthn.ts'

// USER_AUTH, choice-based sign-in: the user names themselves, then signs in with one of the first factors the pool
// allows and they have — a password (sent as it is, or proven with SRP) or a passkey.
// docs/aws-behaviour.md#passkeys-through-cognitos-webauthn-api

/** The challenges USER_AUTH may answer with, `AvailableChallenges`' values and SELECT_CHALLENGE's `ANSWER`s. */
export type FirstFactorChallenge = 'PASSWORD' | 'PASSWORD_SRP' | 'WEB_AUTHN'

/** Values of `PREFERRED_CHALLENGE` and `ANSWER` Cognito knows, including the one-time codes local AWS does not serve. */
const CHALLENGE_NAMES = ['PASSWORD', 'PASSWORD_SRP', 'WEB_AUTHN', 'EMAIL_OTP', 'SMS_OTP']

/**
 * Whether a passkey may sign this user in. A user with two-step sign-in may use one only where a passkey with user
 * verification counts as the second factor too: the pool's MULTI_FACTOR_WITH_USER_VERIFICATION and the user's own
 * passkey MFA turned on (docs/aws-behaviour.md#a-rider-with-two-step-sign-in-and-a-passkey).
 */
export function canSignInWithPasskey(target: SignInTarget, user: StoredUser): boolean {
  if (!target.pool.allowedFirstAuthFactors.includes('WEB_AUTHN') || passkeysOf(user).length === 0) return false
  return !isSoftwareTokenMfaOn(target.pool, user) || isPasskeySecondFactor(target, user)
}

function isPasskeySecondFactor({ pool }: SignInTarget, user: StoredUser): boolean {
  return pool.webAuthn.factorConfiguration === 'MULTI_FACTOR_WITH_USER_VERIFICATION' && user.passkeys?.isMfaEnabled === true
}

/** The first factors this user may sign in with now; an unknown user looks like one with a password only. */
export function availableChallenges(target: SignInTarget, user: StoredUser | undefined): FirstFactorChallenge[] {
  const challenges: FirstFactorChallenge[] = []
  if (target.pool.allowedFirstAuthFactors.includes('PASSWORD')) challenges.push('PASSWORD', 'PASSWORD_SRP')
  if (user && canSignInWithPasskey(target, user)) challenges.push('WEB_AUTHN')
  return challenges
}

function checkChallengeName(name: string, member: string): void {
  if (!CHALLENGE_NAMES.includes(name)) throw invalidParameter(`${member} must be one of ${CHALLENGE_NAMES.join(', ')}`)
}

/**
 * InitiateAuth USER_AUTH: straight into `PREFERRED_CHALLENGE` when the user may use it, otherwise SELECT_CHALLENGE with
 * the `AvailableChallenges` to pick from.
 */
export async function startUserAuth(services: SignInServices, target: SignInTarget, parameters: Record<string, string>): Promise<SignInResult> {
  const signInName = requiredParameter(parameters, 'USERNAME')
  const user = target.store.findUser(signInName)
  if (!user && !target.client.preventUserExistenceErrors) throw userNotFound()
  const available = availableChallenges(target, user)
  const preferred = parameters.PREFERRED_CHALLENGE
  if (preferred !== undefined) {
    checkChallengeName(preferred, 'PREFERRED_CHALLENGE')
    if (available.includes(preferred as FirstFactorChallenge)) return startChallenge(services, target, preferred as FirstFactorChallenge, signInName, parameters)
  }
  return {
    ChallengeName: 'SELECT_CHALLENGE',
    Session: services.challenges.open({ kind: 'SELECT_CHALLENGE', clientId: target.client.id, signInName, username: user?.username }),
    ChallengeParameters: {},
    AvailableChallenges: available,
  }
}

/** The chosen first factor, with what the request brought for it (`PASSWORD`, `SRP_A`). */
async function startChallenge(
  services: SignInServices,
  target: SignInTarget,
  challenge: FirstFactorChallenge,
  signInName: string,
  parameters: Record<string, string>,
): Promise<SignInResult> {
  switch (challenge) {
    case 'PASSWORD':
      return signInWithPassword(services, target, signInName, requiredParameter(parameters, 'PASSWORD'))
    case 'PASSWORD_SRP':
      return startSrp(services.challenges, target, signInName, requiredParameter(parameters, 'SRP_A'))
    case 'WEB_AUTHN': {
      const user = target.store.findUser(signInName)!
      const options = await requestOptions(target.pool, passkeysOf(user))
      return {
        ChallengeName: 'WEB_AUTHN',
        Session: services.challenges.open({ kind: 'WEB_AUTHN', clientId: target.client.id, username: user.username, challenge: options.challenge }),
        // A JSON string, unlike StartWebAuthnRegistration's document (docs/aws-behaviour.md#passkeys-through-cognitos-webauthn-api).
        ChallengeParameters: { CREDENTIAL_REQUEST_OPTIONS: JSON.stringify(options) },
      }
    }
  }
}

/** The pending challenge a session opens, used up, if it belongs to this client and is of the kind answered. */
function takeChallenge<K extends 'SELECT_CHALLENGE' | 'WEB_AUTHN'>(services: SignInServices, target: SignInTarget, session: string, kind: K) {
  const taken = services.challenges.take(session)
  if ('error' in taken) throw invalidSession(taken.error)
  if (taken.challenge.kind !== kind || taken.challenge.clientId !== target.client.id) throw invalidSession('unknown')
  return taken.challenge as Extract<PendingChallenge, { kind: K }>
}

/** RespondToAuthChallenge SELECT_CHALLENGE: `ANSWER` names one of the available challenges, which starts. */
export async function answerSelectChallenge(services: SignInServices, target: SignInTarget, responses: Record<string, string>, session: string): Promise<SignInResult> {
  const signInName = requiredParameter(responses, 'USERNAME')
  const answer = requiredParameter(responses, 'ANSWER')
  checkChallengeName(answer, 'ANSWER')
  const challenge = takeChallenge(services, target, session, 'SELECT_CHALLENGE')
  const user = target.store.findUser(signInName)
  if (user?.username !== challenge.username || (!user && signInName !== challenge.signInName)) throw notAuthorized(INCORRECT_CREDENTIALS)
  if (!availableChallenges(target, user).includes(answer as FirstFactorChallenge)) throw invalidParameter(`${answer} is not an available challenge for this user`)
  return startChallenge(services, target, answer as FirstFactorChallenge, signInName, responses)
}

const ASSERTION_REFUSALS: Record<AssertionFailure | 'unknown-passkey', string> = {
  'unknown-passkey': 'The passkey is not registered for this user.',
  challenge: 'The passkey answered another challenge.',
  origin: "The passkey was used on a page outside the user pool's relying party.",
  invalid: 'The passkey could not be verified.',
}

/**
 * RespondToAuthChallenge WEB_AUTHN: `CREDENTIAL` is the assertion (AuthenticationResponseJSON) of one of the user's
 * passkeys over the session's challenge. The session answers once; a refused assertion is NotAuthorizedException.
 */
export async function answerWebAuthn(services: SignInServices, target: SignInTarget, responses: Record<string, string>, session: string): Promise<SignInResult> {
  const signInName = requiredParameter(responses, 'USERNAME')
  const credential: AuthenticationResponseJSON = parseAuthenticationResponse(requiredParameter(responses, 'CREDENTIAL'))
  const challenge = takeChallenge(services, target, session, 'WEB_AUTHN')
  const user = target.store.findUser(signInName)
  if (!user || user.username !== challenge.username) throw notAuthorized(INCORRECT_CREDENTIALS)
  const passkey = passkeysOf(user).find((candidate) => candidate.id === credential.id)
  if (!passkey) throw notAuthorized(ASSERTION_REFUSALS['unknown-passkey'])
  const verified = await verifyAssertion(target.pool, credential, challenge.challenge, passkey)
  if ('failure' in verified) throw notAuthorized(ASSERTION_REFUSALS[verified.failure])
  // Two-step sign-in turned on meanwhile, or a passkey that did not verify the user, leaves the second factor to ask for.
  const isSecondFactorMet = isSoftwareTokenMfaOn(target.pool, user) && isPasskeySecondFactor(target, user) && verified.isUserVerified
  target.store.update((draft) => recordPasskeyUse(draft.users[user.username]!, passkey.id, verified.counter, services.clock.now()))
  return isSecondFactorMet ? issueSignInTokens(services, target, user.username) : completeSignIn(services, target, user.username)
}
