import { randomBytes, randomUUID } from 'node:crypto'
import { join } from 'node:path'
import type { LocalAwsContext } from '../context.ts'
import { AwsError, invalidParameter } from '../errors.ts'
import { JsonDocument } from '../store.ts'
import type { UserPoolClientModel, UserPoolModel } from '../template/model.ts'
import { checkAttributeValue, missingRequiredAttributes, requiredAttributesMissing, verifiedFlagOf } from './attributes.ts'
import type { UserCodes } from './codes.ts'
import type { LockoutState } from './lockout.ts'
import type { UserPasskeys } from './passkeys.ts'
import type { SoftwareTokenMfa } from './softwareToken.ts'
import { userNotFound } from './errors.ts'
import { assertPasswordConforms } from './passwordPolicy.ts'
import { createVerifier, type SrpVerifier } from './srp.ts'

// The riders of each user pool, kept in the data folder (`cognito-idp/{poolId}.json`, rewritten atomically on every
// change) with their codes and sign-in sessions, so that all of it survives a restart.

/** https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UserType.html */
export type UserStatus = 'UNCONFIRMED' | 'CONFIRMED' | 'FORCE_CHANGE_PASSWORD'

export interface StoredUser extends UserCodes {
  /** The internal username: `cognito:username`, `USER_ID_FOR_SRP`. A UUID (= sub) when the pool signs in by email. */
  username: string
  sub: string
  status: UserStatus
  /** Epoch milliseconds. */
  createdAt: number
  updatedAt: number
  attributes: Record<string, string>
  /** Changes waiting for their code (AttributesRequireVerificationBeforeUpdate): the old value stays until then. */
  pendingAttributes: Record<string, string>
  /** The SRP verifier, computed with `username` as the client will: never the password itself. */
  verifier: SrpVerifier
  temporaryPasswordExpiresAt?: number
  lockout?: LockoutState
  /** The user's authenticator app (TOTP): its secret lives here, in the data folder, and nowhere else. */
  softwareTokenMfa?: SoftwareTokenMfa
  /** The user's passkeys (public keys only) and whether one also counts as their second factor. */
  passkeys?: UserPasskeys
}

/** A sign-in and its refresh token: access and ID tokens carry its id as `origin_jti`, so revoking it revokes them. */
export interface StoredSession {
  originJti: string
  username: string
  clientId: string
  /** SHA-256 of the refresh token, base64url: the token itself is never stored. */
  refreshTokenHash: string
  /** Epoch seconds of the sign-in (`auth_time`). */
  authTime: number
  eventId: string
  /** When the refresh token expires, epoch milliseconds. */
  expiresAt: number
  revoked: boolean
}

export interface UserPoolState {
  users: Record<string, StoredUser>
  sessions: Record<string, StoredSession>
  /** Seeds the made-up salt and user id answered for unknown users, so they look the same on every attempt. */
  decoySecret: string
}

/** One pool's riders, looked up by what they sign in with. */
export class UserPoolStore {
  private readonly document: JsonDocument<UserPoolState>

  constructor(
    readonly pool: UserPoolModel,
    dataDir: string,
  ) {
    this.document = new JsonDocument<UserPoolState>(join(dataDir, 'cognito-idp', `${pool.id}.json`), () => ({
      users: {},
      sessions: {},
      decoySecret: randomBytes(32).toString('hex'),
    }))
  }

  get state(): Readonly<UserPoolState> {
    return this.document.current
  }

  /** Applies a change and persists it before returning; a change that throws leaves nothing behind. */
  update<R>(change: (draft: UserPoolState) => R): R {
    return this.document.update(change)
  }

  /** The user a sign-in name designates: the username, or the email/phone of pools that sign in by those. */
  findUser(signInName: string): StoredUser | undefined {
    return findUserIn(this.pool, this.state, signInName)
  }
}

function normalizeName(pool: UserPoolModel, name: string): string {
  return pool.caseSensitiveUsernames ? name : name.toLowerCase()
}

/** {@link UserPoolStore.findUser} over a state or a draft of it. */
function findUserIn(pool: UserPoolModel, state: Readonly<UserPoolState>, signInName: string): StoredUser | undefined {
  const wanted = normalizeName(pool, signInName)
  const byUsername = Object.values(state.users).find((user) => normalizeName(pool, user.username) === wanted)
  if (byUsername) return byUsername
  return Object.values(state.users).find((user) =>
    pool.usernameAttributes.some((attribute) => {
      const value = user.attributes[attribute]
      return value !== undefined && normalizeName(pool, value) === wanted
    }),
  )
}

/** Whether another user already signs in with this value of a username attribute. */
export function isAliasTaken(pool: UserPoolModel, state: Readonly<UserPoolState>, attribute: string, value: string, exceptUsername?: string): boolean {
  const wanted = normalizeName(pool, value)
  return Object.values(state.users).some(
    (user) => user.username !== exceptUsername && user.attributes[attribute] !== undefined && normalizeName(pool, user.attributes[attribute]) === wanted,
  )
}

/** The pools, their app clients and their riders: what every operation starts from. */
export class UserPoolDirectory {
  private readonly stores = new Map<string, UserPoolStore>()

  constructor(
    private readonly pools: UserPoolModel[],
    private readonly clients: UserPoolClientModel[],
    dataDir: string,
  ) {
    for (const pool of pools) this.stores.set(pool.id, new UserPoolStore(pool, dataDir))
  }

  /** The app client, its pool and that pool's riders; ResourceNotFoundException for an unknown client id. */
  forClient(clientId: string): { client: UserPoolClientModel; pool: UserPoolModel; store: UserPoolStore } {
    const client = this.clients.find((candidate) => candidate.id === clientId)
    const store = client && this.stores.get(client.userPoolId)
    if (!client || !store) throw new AwsError('ResourceNotFoundException', `User pool client ${clientId} does not exist.`)
    return { client, pool: store.pool, store }
  }

  /**
   * {@link forClient}, with the user a request names before sign-in (confirmation, codes, password reset). An unknown
   * user is UserNotFoundException, unless the client prevents user-existence errors: then `user` is undefined, for the
   * operation to answer as if the user existed.
   */
  forClientAndUser(clientId: string, signInName: string): ReturnType<UserPoolDirectory['forClient']> & { user?: StoredUser } {
    const target = this.forClient(clientId)
    const user = target.store.findUser(signInName)
    if (!user && !target.client.preventUserExistenceErrors) throw userNotFound('Username/client id combination not found.')
    return { ...target, user }
  }

  /** The pool whose tokens carry this `iss`. */
  forIssuer(issuer: string): UserPoolStore | undefined {
    const pool = this.pools.find((candidate) => candidate.issuer === issuer)
    return pool && this.stores.get(pool.id)
  }

  forPool(poolId: string): UserPoolStore | undefined {
    return this.stores.get(poolId)
  }
}

function usernameRequirement(pool: UserPoolModel): string {
  const byEmail = pool.usernameAttributes.includes('email')
  const byPhone = pool.usernameAttributes.includes('phone_number')
  if (byEmail && byPhone) return 'Username should be either an email or a phone number.'
  return byEmail ? 'Username should be an email.' : 'Username should be a phone number.'
}

/**
 * The internal username and attributes of a new user. Pools that sign in by email or phone take that as the username,
 * store it as the attribute, and give the user a UUID username (its sub) that the client will use for SRP.
 */
function identityOf(pool: UserPoolModel, givenUsername: string, attributes: Record<string, string>): { username: string; sub: string; attributes: Record<string, string> } {
  const sub = randomUUID()
  if (pool.usernameAttributes.length === 0) return { username: givenUsername, sub, attributes }
  // Which attribute the username is goes by its shape; its value is then checked like any other.
  const attribute = pool.usernameAttributes.find((candidate) => (candidate === 'email' ? givenUsername.includes('@') : givenUsername.startsWith('+')))
  if (!attribute) throw invalidParameter(usernameRequirement(pool))
  checkAttributeValue(pool, attribute, givenUsername)
  if (attributes[attribute] !== undefined && normalizeName(pool, attributes[attribute]) !== normalizeName(pool, givenUsername)) {
    throw invalidParameter(`${attribute} must match the username`)
  }
  return { username: sub, sub, attributes: { ...attributes, [attribute]: givenUsername } }
}

export interface NewUser {
  /** What the rider typed as username (an email when the pool signs in by email). */
  signInName: string
  password: string
  /** Already checked against the schema and the client's write permissions. */
  attributes: Record<string, string>
  status: UserStatus
  now: number
}

/**
 * A new user ready to store: username per the pool's username attributes, required attributes present, password
 * conforming to the policy and turned into an SRP verifier. UsernameExistsException if the name is taken.
 */
export function createUser(pool: UserPoolModel, state: Readonly<UserPoolState>, input: NewUser): StoredUser {
  const identity = identityOf(pool, input.signInName, input.attributes)
  // Sign-up must bring the required attributes; a user an administrator creates provides them at the first sign-in.
  const missing = input.status === 'UNCONFIRMED' ? requiredAttributesMissing(pool, identity.attributes) : []
  if (missing.length > 0) throw missingRequiredAttributes(missing)
  assertPasswordConforms(input.password, pool.passwordPolicy)
  if (findUserIn(pool, state, input.signInName)) {
    const what = pool.usernameAttributes.find((attribute) => identity.attributes[attribute] === input.signInName)
    throw new AwsError('UsernameExistsException', what ? `An account with the given ${what} already exists.` : 'User already exists')
  }
  // An email or phone number is unverified until a code (or an administrator) says otherwise.
  const flags = Object.keys(identity.attributes).flatMap((name) => verifiedFlagOf(name) ?? [])
  return {
    username: identity.username,
    sub: identity.sub,
    status: input.status,
    createdAt: input.now,
    updatedAt: input.now,
    attributes: { ...Object.fromEntries(flags.map((flag) => [flag, 'false'])), ...identity.attributes },
    pendingAttributes: {},
    verifier: createVerifier(srpPoolName(pool), identity.username, input.password),
    codes: {},
    sends: {},
  }
}

/** The SRP pool name: the part of the pool id after `_`, which the client mixes into every password hash. */
export function srpPoolName(pool: UserPoolModel): string {
  return pool.id.slice(pool.id.indexOf('_') + 1)
}

export interface TemporaryUser {
  /** Defaults to the only pool of the template. */
  userPoolId?: string
  username: string
  temporaryPassword: string
  /** e.g. `{ name: 'Ada', phone_number: '+15550100', email_verified: 'true' }`. */
  attributes?: Record<string, string>
}

/**
 * Stores a new user in FORCE_CHANGE_PASSWORD (AdminCreateUser): signing in with the temporary password answers
 * NEW_PASSWORD_REQUIRED until the pool's TemporaryPasswordValidityDays have passed.
 */
export function storeTemporaryUser(store: UserPoolStore, input: Omit<NewUser, 'status'>): StoredUser {
  for (const [name, value] of Object.entries(input.attributes)) checkAttributeValue(store.pool, name, value)
  return store.update((draft) => {
    const user = createUser(store.pool, draft, { ...input, status: 'FORCE_CHANGE_PASSWORD' })
    user.temporaryPasswordExpiresAt = input.now + store.pool.passwordPolicy.temporaryPasswordValidityDays * 86_400_000
    draft.users[user.username] = user
    return user
  })
}

/** Removes a user and their sessions from a pool's state: call it inside {@link UserPoolStore.update}. */
export function deleteStoredUser(draft: UserPoolState, username: string): void {
  delete draft.users[username]
  for (const [id, session] of Object.entries(draft.sessions)) {
    if (session.username === username) delete draft.sessions[id]
  }
}

/**
 * Creates a user in FORCE_CHANGE_PASSWORD straight in the data folder, as AdminCreateUser does over the wire, for tests
 * that need one without signing a request: signing in with the temporary password then answers NEW_PASSWORD_REQUIRED.
 */
export function createUserWithTemporaryPassword(
  context: Pick<LocalAwsContext, 'model' | 'userPoolDirectory' | 'clock'>,
  input: TemporaryUser,
): StoredUser {
  const poolId = input.userPoolId ?? context.model.userPools[0]?.id
  const store = poolId === undefined ? undefined : context.userPoolDirectory.forPool(poolId)
  if (!store) throw new Error(`No user pool ${String(poolId)}`)
  return storeTemporaryUser(store, {
    signInName: input.username,
    password: input.temporaryPassword,
    attributes: input.attributes ?? {},
    now: context.clock.now(),
  })
}
