import { randomBytes } from 'node:crypto'
import type { Clock } from '../clock.ts'
import { notAuthorized, type AwsError } from '../errors.ts'
import type { ServerEphemeral } from './srp.ts'

// Sign-ins between InitiateAuth and RespondToAuthChallenge. Each is single use and lives as long as an app client's
// default AuthSessionValidity (3 minutes); kept in memory only, since a restart may well end a half-done sign-in.
// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolClient.html#CognitoUserPools-CreateUserPoolClient-request-AuthSessionValidity

const LIFETIME_MS = 3 * 60_000
/** Bounds the memory a flood of unanswered InitiateAuth calls can take. */
const MAX_PENDING = 10_000

export interface PasswordVerifierChallenge {
  kind: 'PASSWORD_VERIFIER'
  clientId: string
  /** Undefined for an unknown user, who gets a made-up challenge that no password can answer. */
  username?: string
  userIdForSrp: string
  clientPublicValue: bigint
  server: ServerEphemeral
}

export interface NewPasswordChallenge {
  kind: 'NEW_PASSWORD_REQUIRED'
  clientId: string
  username: string
}

/** A proven password waiting for the code of the user's authenticator app. */
export interface SoftwareTokenChallenge {
  kind: 'SOFTWARE_TOKEN_MFA'
  clientId: string
  username: string
}

/**
 * A proven password in a pool that requires MFA, for a user with no authenticator yet: AssociateSoftwareToken and
 * VerifySoftwareToken move it on with a new session each (`step`), and RespondToAuthChallenge MFA_SETUP finishes it.
 */
export interface MfaSetupChallenge {
  kind: 'MFA_SETUP'
  clientId: string
  username: string
  step: 'challenged' | 'associated' | 'verified'
}

/** USER_AUTH without a preferred challenge: the user picks one of `AvailableChallenges` (RespondToAuthChallenge SELECT_CHALLENGE). */
export interface SelectChallenge {
  kind: 'SELECT_CHALLENGE'
  clientId: string
  /** The name the sign-in started with; undefined user for an unknown one under PreventUserExistenceErrors. */
  signInName: string
  username?: string
}

/** A passkey sign-in waiting for an assertion over `challenge` (base64url) from one of the user's passkeys. */
export interface WebAuthnChallenge {
  kind: 'WEB_AUTHN'
  clientId: string
  username: string
  challenge: string
}

export type PendingChallenge =
  | PasswordVerifierChallenge
  | NewPasswordChallenge
  | SoftwareTokenChallenge
  | MfaSetupChallenge
  | SelectChallenge
  | WebAuthnChallenge

export type TakenChallenge = { challenge: PendingChallenge } | { error: 'unknown' | 'expired' }

/** What Cognito answers a session it does not know (or that another challenge, client or step owns) or that expired. */
export function invalidSession(error: 'unknown' | 'expired'): AwsError {
  return notAuthorized(error === 'expired' ? 'Invalid session for the user, session is expired.' : 'Invalid session for the user.')
}

/** Pending challenges by the opaque value the client sends back (`SECRET_BLOCK` or `Session`). */
export class ChallengeStore {
  private readonly pending = new Map<string, { challenge: PendingChallenge; expiresAt: number }>()

  constructor(private readonly clock: Clock) {}

  /** Stores a challenge and returns its key: 96 random bytes, base64, the shape of Cognito's own session blobs. */
  open(challenge: PendingChallenge): string {
    const now = this.clock.now()
    for (const [key, entry] of this.pending) {
      if (entry.expiresAt <= now || this.pending.size >= MAX_PENDING) this.pending.delete(key)
      else break
    }
    const key = randomBytes(96).toString('base64')
    this.pending.set(key, { challenge, expiresAt: now + LIFETIME_MS })
    return key
  }

  /**
   * Returns a challenge without using it up, for answers that may be tried again: a wrong MFA code leaves the session to
   * the client, which keeps it, for the rest of its three minutes. {@link take} it once it is answered.
   */
  peek(key: string): TakenChallenge {
    const entry = this.pending.get(key)
    if (!entry) return { error: 'unknown' }
    if (entry.expiresAt > this.clock.now()) return { challenge: entry.challenge }
    this.pending.delete(key)
    return { error: 'expired' }
  }

  /** Removes and returns a challenge: a key answers once, right or wrong. */
  take(key: string): TakenChallenge {
    const entry = this.pending.get(key)
    if (!entry) return { error: 'unknown' }
    this.pending.delete(key)
    return entry.expiresAt <= this.clock.now() ? { error: 'expired' } : { challenge: entry.challenge }
  }
}
