import type { Clock } from '../clock.ts'
import { invalidSession, type ChallengeStore, type MfaSetupChallenge } from './challenges.ts'
import type { UserPoolDirectory } from './users.ts'

// The sessions of an MFA_SETUP sign-in (a pool with MFA required, a user with no authenticator yet), which
// AssociateSoftwareToken and VerifySoftwareToken take instead of an access token, each answering a new session.
// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AssociateSoftwareToken.html

export interface MfaSetupServices {
  directory: UserPoolDirectory
  challenges: ChallengeStore
  clock: Clock
}

type OpenedSetup = { target: ReturnType<UserPoolDirectory['forClient']>; challenge: MfaSetupChallenge }

function openedSetup(services: MfaSetupServices, taken: ReturnType<ChallengeStore['take']>, step: MfaSetupChallenge['step']): OpenedSetup {
  if ('error' in taken) throw invalidSession(taken.error)
  const { challenge } = taken
  if (challenge.kind !== 'MFA_SETUP' || challenge.step !== step) throw invalidSession('unknown')
  return { target: services.directory.forClient(challenge.clientId), challenge }
}

/** Uses up an MFA_SETUP session at the given step. */
export function takeMfaSetupSession(services: MfaSetupServices, session: string, step: MfaSetupChallenge['step']): OpenedSetup {
  return openedSetup(services, services.challenges.take(session), step)
}

/** An MFA_SETUP session at the given step, left open for the caller to take once the request succeeds. */
export function peekMfaSetupSession(services: MfaSetupServices, session: string, step: MfaSetupChallenge['step']): OpenedSetup {
  return openedSetup(services, services.challenges.peek(session), step)
}
