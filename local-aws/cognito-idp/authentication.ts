import type { RespondToAuthChallengeCommandOutput } from '@aws-sdk/client-cognito-identity-provider'
import type { Clock } from '../clock.ts'
import type { JsonOutput } from '../context.ts'
import { notAuthorized } from '../errors.ts'
import type { UserPoolClientModel, UserPoolModel } from '../template/model.ts'
import { readableAttributes, requiredAttributesMissing } from './attributes.ts'
import type { ChallengeStore } from './challenges.ts'
import { INCORRECT_CREDENTIALS, userNotConfirmed } from './errors.ts'
import { PASSWORD_ATTEMPTS_EXCEEDED, isLockedOut, recordFailure } from './lockout.ts'
import { SOFTWARE_TOKEN_MFA, isSoftwareTokenMfaOn } from './softwareToken.ts'
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
  // With a second factor, failures are forgotten only once its code is right too: a password alone does not reset the
  // count that wrong codes add to.
  const isCodeNeeded = isSoftwareTokenMfaOn(pool, proven)
  if (proven.lockout && !isCodeNeeded) store.update((draft) => void delete draft.users[username]!.lockout)
  if (proven.status === 'UNCONFIRMED') throw userNotConfirmed()
  if (proven.status === 'FORCE_CHANGE_PASSWORD') {
    if (proven.temporaryPasswordExpiresAt !== undefined && now >= proven.temporaryPasswordExpiresAt) {
      throw notAuthorized('Temporary password has expired and must be reset by an administrator.')
    }
    return newPasswordChallenge(services.challenges, target, proven)
  }
  if (isCodeNeeded) return softwareTokenChallenge(services.challenges, client, proven)
  if (pool.mfaConfiguration === 'ON') return mfaSetupChallenge(services.challenges, client, proven)
  return issueSignInTokens(services, target, username)
}

/** Tokens and a new refresh token for a user who has answered every challenge of their sign-in. */
export async function issueSignInTokens(services: SignInServices, { store, pool, client }: SignInTarget, username: string): Promise<SignInResult> {
  const now = services.clock.now()
  const { user, session, refreshToken } = store.update((draft) => {
    const user = draft.users[username]!
    delete user.lockout
    return { user, ...startSession(draft, client, user, now) }
  })
  const tokens = await services.tokens.issue({ pool, client, user, session })
  return { AuthenticationResult: { ...tokens, RefreshToken: refreshToken }, ChallengeParameters: {} }
}

/**
 * SOFTWARE_TOKEN_MFA: the code of the user's authenticator app, whose name the client may show.
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RespondToAuthChallenge.html
 */
function softwareTokenChallenge(challenges: ChallengeStore, client: UserPoolClientModel, user: StoredUser): SignInResult {
  const name = user.softwareTokenMfa?.token?.friendlyDeviceName
  return {
    ChallengeName: 'SOFTWARE_TOKEN_MFA',
    Session: challenges.open({ kind: 'SOFTWARE_TOKEN_MFA', clientId: client.id, username: user.username }),
    ChallengeParameters: { USER_ID_FOR_SRP: user.username, ...(name ? { FRIENDLY_DEVICE_NAME: name } : {}) },
  }
}

/** MFA_SETUP: the pool requires a second factor and the user has none; software tokens are the one to set up. */
function mfaSetupChallenge(challenges: ChallengeStore, client: UserPoolClientModel, user: StoredUser): SignInResult {
  return {
    ChallengeName: 'MFA_SETUP',
    Session: challenges.open({ kind: 'MFA_SETUP', clientId: client.id, username: user.username, step: 'challenged' }),
    ChallengeParameters: { MFAS_CAN_SETUP: JSON.stringify([SOFTWARE_TOKEN_MFA]) },
  }
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
