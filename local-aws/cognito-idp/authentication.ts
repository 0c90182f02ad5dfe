import type { RespondToAuthChallengeCommandOutput } from '@aws-sdk/client-cognito-identity-provider'
import type { Clock } from '../clock.ts'
import type { JsonOutput } from '../context.ts'
import { notAuthorized } from '../errors.ts'
import type { UserPoolClientModel, UserPoolModel } from '../template/provision.ts'
import { readableAttributes, requiredAttributesMissing } from './attributes.ts'
import type { ChallengeStore } from './challenges.ts'
import { INCORRECT_CREDENTIALS, userNotConfirmed } from './errors.ts'
import { PASSWORD_ATTEMPTS_EXCEEDED, isLockedOut, recordFailure } from './lockout.ts'
import { startSession, type TokenIssuer } from './tokens.ts'
import type { StoredUser, UserPoolStore } from './users.ts'

// What every way of signing in shares once the user is known: the lockout, the password proof, and what a proven
// password leads to (tokens, or a challenge the user must answer first).
// https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-authentication-flow.html

/** The app client a sign-in goes through, with its pool and riders. */
export interface SignInTarget {
  client: UserPoolClientModel
  pool: UserPoolModel
  store: UserPoolStore
}

/** A sign-in's answer, tokens or the next challenge: InitiateAuth and RespondToAuthChallenge answer the same members. */
export type SignInResult = JsonOutput<RespondToAuthChallengeCommandOutput>

export interface SignInServices {
  tokens: TokenIssuer
  challenges: ChallengeStore
  clock: Clock
}

/**
 * Refuses a locked-out user without looking at the proof ("Password attempts exceeded"); otherwise checks the proof and
 * counts a failure towards the lockout before refusing it as "Incorrect username or password.".
 */
export function checkPasswordProof(store: UserPoolStore, username: string, now: number, isProofValid: (user: StoredUser) => boolean): void {
  const user = store.state.users[username]
  if (!user) throw notAuthorized(INCORRECT_CREDENTIALS)
  if (isLockedOut(user.lockout, now)) throw notAuthorized(PASSWORD_ATTEMPTS_EXCEEDED)
  if (isProofValid(user)) return
  store.update((draft) => {
    const failed = draft.users[username]!
    failed.lockout = recordFailure(failed.lockout, now)
  })
  throw notAuthorized(INCORRECT_CREDENTIALS)
}

/** The answer to a sign-in whose password was proven: tokens, or the challenge the user's status calls for. */
export async function completeSignIn(services: SignInServices, target: SignInTarget, username: string): Promise<SignInResult> {
  const { store, pool, client } = target
  const now = services.clock.now()
  const proven = store.state.users[username]
  if (!proven) throw notAuthorized(INCORRECT_CREDENTIALS)
  if (proven.lockout) store.update((draft) => void delete draft.users[username]!.lockout)
  if (proven.status === 'UNCONFIRMED') throw userNotConfirmed()
  if (proven.status === 'FORCE_CHANGE_PASSWORD') {
    if (proven.temporaryPasswordExpiresAt !== undefined && now >= proven.temporaryPasswordExpiresAt) {
      throw notAuthorized('Temporary password has expired and must be reset by an administrator.')
    }
    return newPasswordChallenge(services.challenges, target, proven)
  }
  const { user, session, refreshToken } = store.update((draft) => {
    const user = draft.users[username]!
    return { user, ...startSession(draft, client, user, now) }
  })
  const tokens = await services.tokens.issue({ pool, client, user, session })
  return { AuthenticationResult: { ...tokens, RefreshToken: refreshToken }, ChallengeParameters: {} }
}

/** Prefix of the attributes in NEW_PASSWORD_REQUIRED's parameters and answers. */
export const USER_ATTRIBUTES_PREFIX = 'userAttributes.'

/**
 * NEW_PASSWORD_REQUIRED: the user's attributes and the required ones still missing, as JSON strings the client parses.
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RespondToAuthChallenge.html
 */
function newPasswordChallenge(challenges: ChallengeStore, { client, pool }: SignInTarget, user: StoredUser): SignInResult {
  const { sub: _sub, ...attributes } = readableAttributes(client, user.sub, user.attributes)
  const missing = requiredAttributesMissing(pool, user.attributes).map((name) => `${USER_ATTRIBUTES_PREFIX}${name}`)
  return {
    ChallengeName: 'NEW_PASSWORD_REQUIRED',
    Session: challenges.open({ kind: 'NEW_PASSWORD_REQUIRED', clientId: client.id, username: user.username }),
    ChallengeParameters: {
      USER_ID_FOR_SRP: user.username,
      requiredAttributes: JSON.stringify(missing),
      userAttributes: JSON.stringify(attributes),
    },
  }
}
