// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RespondToAuthChallenge.html
import type { RespondToAuthChallengeCommandInput, RespondToAuthChallengeCommandOutput } from '@aws-sdk/client-cognito-identity-provider'
import type { JsonOperation } from '../../context.ts'
import { invalidParameter, notAuthorized } from '../../errors.ts'
import { checkAttributeWrites, requiredAttributesMissing } from '../attributes.ts'
import { USER_ATTRIBUTES_PREFIX, checkPasswordProof, completeSignIn, type SignInResult, type SignInServices, type SignInTarget } from '../authentication.ts'
import { invalidSession, type NewPasswordChallenge, type PasswordVerifierChallenge, type PendingChallenge } from '../challenges.ts'
import { INCORRECT_CREDENTIALS, userNotConfirmed } from '../errors.ts'
import { requiredParameter, requiredString, stringMap } from '../../protocol/jsonInput.ts'
import { CLIENT_ID, SESSION } from '../memberRules.ts'
import { answerMfaSetup, answerSoftwareTokenMfa } from '../mfaAnswers.ts'
import { assertPasswordConforms } from '../passwordPolicy.ts'
import { answerSelectChallenge, answerWebAuthn } from '../userAuth.ts'
import { computeSharedSecret, createVerifier, derivePasswordKey, formatSrpTimestamp, isPasswordClaimValid, parseSrpTimestamp } from '../srp.ts'
import { srpPoolName, type UserPoolDirectory } from '../users.ts'

const CHALLENGE_NAMES = [
  'SMS_MFA', 'EMAIL_OTP', 'SOFTWARE_TOKEN_MFA', 'SELECT_MFA_TYPE', 'MFA_SETUP', 'PASSWORD_VERIFIER', 'CUSTOM_CHALLENGE',
  'SELECT_CHALLENGE', 'DEVICE_SRP_AUTH', 'DEVICE_PASSWORD_VERIFIER', 'ADMIN_NO_SRP_AUTH', 'NEW_PASSWORD_REQUIRED', 'SMS_OTP',
  'PASSWORD', 'WEB_AUTHN', 'PASSWORD_SRP',
]

interface Services extends SignInServices {
  directory: UserPoolDirectory
}

/**
 * Answers PASSWORD_VERIFIER (the SRP proof), NEW_PASSWORD_REQUIRED (a user with a temporary password), the second
 * factor, SOFTWARE_TOKEN_MFA or MFA_SETUP (local-aws/cognito-idp/mfaAnswers.ts), and USER_AUTH's SELECT_CHALLENGE and
 * WEB_AUTHN (local-aws/cognito-idp/userAuth.ts).
 */
export function createRespondToAuthChallenge(services: Services): JsonOperation<RespondToAuthChallengeCommandInput, RespondToAuthChallengeCommandOutput> {
  return async (input) => {
    const clientId = requiredString(input, 'ClientId', CLIENT_ID)
    const challengeName = requiredString(input, 'ChallengeName')
    const responses = stringMap(input, 'ChallengeResponses')
    if (!CHALLENGE_NAMES.includes(challengeName)) {
      throw invalidParameter(
        `1 validation error detected: Value '${challengeName}' at 'challengeName' failed to satisfy constraint: Member must satisfy enum value set: [${CHALLENGE_NAMES.join(', ')}]`,
      )
    }
    const target = services.directory.forClient(clientId)
    switch (challengeName) {
      case 'PASSWORD_VERIFIER':
        return answerPasswordVerifier(services, target, responses)
      case 'NEW_PASSWORD_REQUIRED':
        return answerNewPassword(services, target, responses, requiredString(input, 'Session'))
      case 'SOFTWARE_TOKEN_MFA':
        return answerSoftwareTokenMfa(services, target, responses, requiredString(input, 'Session', SESSION))
      case 'MFA_SETUP':
        return answerMfaSetup(services, target, responses, requiredString(input, 'Session', SESSION))
      case 'SELECT_CHALLENGE':
        return answerSelectChallenge(services, target, responses, requiredString(input, 'Session', SESSION))
      case 'WEB_AUTHN':
        return answerWebAuthn(services, target, responses, requiredString(input, 'Session', SESSION))
      default:
        throw invalidParameter(`${challengeName} is not a challenge of this sign-in`)
    }
  }
}

/** The pending challenge a key opens, if it belongs to this client and is of the kind answered. */
function takeChallenge<K extends PendingChallenge['kind']>(
  services: Services,
  target: SignInTarget,
  key: string,
  kind: K,
): Extract<PendingChallenge, { kind: K }> {
  const taken = services.challenges.take(key)
  if ('error' in taken) throw invalidSession(taken.error)
  if (taken.challenge.kind !== kind || taken.challenge.clientId !== target.client.id) throw invalidSession('unknown')
  return taken.challenge as Extract<PendingChallenge, { kind: K }>
}

async function answerPasswordVerifier(services: Services, target: SignInTarget, responses: Record<string, string>): Promise<SignInResult> {
  const userIdForSrp = requiredParameter(responses, 'USERNAME')
  const secretBlock = requiredParameter(responses, 'PASSWORD_CLAIM_SECRET_BLOCK')
  const signature = requiredParameter(responses, 'PASSWORD_CLAIM_SIGNATURE')
  const timestamp = requiredParameter(responses, 'TIMESTAMP')
  const challenge: PasswordVerifierChallenge = takeChallenge(services, target, secretBlock, 'PASSWORD_VERIFIER')
  // The timestamp is signed with the claim; freshness comes from the single-use, three-minute challenge, so a rider
  // whose clock is off still signs in.
  // docs/aws-behaviour.md#srp-timestamp-format
  const time = parseSrpTimestamp(timestamp)
  if (time === undefined) throw invalidParameter('TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.')
  const username = challenge.username
  if (!username || userIdForSrp !== challenge.userIdForSrp) throw notAuthorized(INCORRECT_CREDENTIALS)
  if (target.store.state.users[username]?.status === 'UNCONFIRMED') throw userNotConfirmed()
  const poolName = srpPoolName(target.pool)
  checkPasswordProof(target.store, username, services.clock.now(), (user) => {
    const shared = computeSharedSecret(challenge.clientPublicValue, challenge.server, user.verifier.verifier)
    return (
      shared !== undefined &&
      formatSrpTimestamp(time) === timestamp &&
      isPasswordClaimValid(derivePasswordKey(shared.sharedSecret, shared.scrambler), { poolName, userIdForSrp, secretBlock, timestamp, signature })
    )
  })
  return completeSignIn(services, target, username)
}

async function answerNewPassword(services: Services, target: SignInTarget, responses: Record<string, string>, session: string): Promise<SignInResult> {
  const newPassword = requiredParameter(responses, 'NEW_PASSWORD')
  requiredParameter(responses, 'USERNAME')
  const { pool, client, store } = target
  const attributes = Object.fromEntries(
    Object.entries(responses)
      .filter(([name]) => name.startsWith(USER_ATTRIBUTES_PREFIX))
      .map(([name, value]) => [name.slice(USER_ATTRIBUTES_PREFIX.length), value]),
  )
  // Checked before the session is used up, so that the rider can pick a better password without signing in again.
  checkAttributeWrites(pool, client, attributes, 'update')
  assertPasswordConforms(newPassword, pool.passwordPolicy)
  const challenge: NewPasswordChallenge = takeChallenge(services, target, session, 'NEW_PASSWORD_REQUIRED')
  const now = services.clock.now()
  store.update((draft) => {
    const user = draft.users[challenge.username]
    if (!user) throw notAuthorized(INCORRECT_CREDENTIALS)
    Object.assign(user.attributes, attributes)
    const [missing] = requiredAttributesMissing(pool, user.attributes)
    if (missing) throw invalidParameter(`Invalid attributes given, ${missing} is missing`)
    user.verifier = createVerifier(srpPoolName(pool), user.username, newPassword)
    user.status = 'CONFIRMED'
    user.updatedAt = now
    delete user.temporaryPasswordExpiresAt
  })
  return completeSignIn(services, target, challenge.username)
}
