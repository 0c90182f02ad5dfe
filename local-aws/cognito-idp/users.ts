import { randomBytes, randomUUID } from 'node:crypto'
import { join } from 'node:path'
import { systemClock, type Clock } from '../clock.ts'
import { AwsError, invalidParameter } from '../errors.ts'
import { Journal } from '../journal.ts'
import type { UserPoolClientModel, UserPoolModel } from '../template/model.ts'
import { checkAttributeValue, missingRequiredAttributes, requiredAttributesMissing, verifiedFlagOf } from './attributes.ts'
import type { UserCodes } from './codes.ts'
import type { LockoutState } from './lockout.ts'
import type { PasskeyHolder } from './passkeys.ts'
import type { SoftwareTokenHolder } from './softwareToken.ts'
import { userNotFound } from './errors.ts'
import { assertPasswordConforms } from './passwordPolicy.ts'
import { createVerifier, type SrpVerifier } from './srp.ts'

// The riders of each user pool, kept in the data folder with their codes and sign-in sessions, so that all of it
// survives a restart.

/** https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UserType.html */
export type UserStatus = 'UNCONFIRMED' | 'CONFIRMED' | 'FORCE_CHANGE_PASSWORD'

export interface StoredUser extends UserCodes, SoftwareTokenHolder, PasskeyHolder {
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

/** Lookups over a pool's state, answered from an index: their cost does not grow with the number of riders. */
export interface UserPoolLookups {
  /** The user a sign-in name designates: the username, or the email/phone of pools that sign in by those. */
  findUser(signInName: string): StoredUser | undefined
  /** Whether another user already signs in with this value of a username attribute. */
  isAliasTaken(attribute: string, value: string, exceptUsername?: string): boolean
  /** The ids of a user's sign-in sessions, revoked or not. */
  sessionIdsOf(username: string): string[]
  /** The session whose refresh token has this hash, whatever its state. */
  sessionWithRefreshTokenHash(hash: string): StoredSession | undefined
}

/** The state as last changed, with its lookups. */
export type UserPoolView = Readonly<UserPoolState> & UserPoolLookups

/** A draft of the state inside {@link UserPoolStore.update}; its lookups see the draft's own changes. */
export type UserPoolDraft = UserPoolState & UserPoolLookups

/** How the state is kept: decoySecret as the one entry of `settings`. */
interface UserPoolCollections {
  users: Record<string, StoredUser>
  sessions: Record<string, StoredSession>
  settings: Record<string, string>
}

/**
 * One pool's riders, looked up by what they sign in with, kept in the data folder's journal
 * `cognito-idp/{poolId}.jsonl` (docs/architecture.md#local-aws-state).
 */
export class UserPoolStore {
  private readonly journal: Journal<UserPoolCollections>
  private readonly view: UserPoolView

  constructor(
    readonly pool: UserPoolModel,
    dataDir: string,
    clock: Clock = systemClock,
  ) {
    const folder = join(dataDir, 'cognito-idp')
    this.journal = new Journal<UserPoolCollections>(join(folder, `${pool.id}.jsonl`), {
      collections: ['users', 'sessions', 'settings'],
      terms: { users: (user) => userTerms(pool, user), sessions: (session) => [`user ${session.username}`, `refresh ${session.refreshTokenHash}`] },
      // A session whose refresh token expired can do nothing more: it goes when the journal is rewritten.
      keep: { sessions: (session) => session.expiresAt > clock.now() },
      legacy: {
        path: join(folder, `${pool.id}.json`),
        read: (content) => {
          const { users, sessions, decoySecret } = content as UserPoolState
          return { users, sessions, settings: { decoySecret } }
        },
      },
    })
    if (this.journal.current.settings.decoySecret === undefined) {
      this.journal.update((draft) => void (draft.settings.decoySecret = randomBytes(32).toString('hex')))
    }
    this.view = this.viewOf(this.journal.current)
  }

  get state(): UserPoolView {
    return this.view
  }

  /** Applies a change and persists it before returning; a change that throws leaves nothing behind. */
  update<R>(change: (draft: UserPoolDraft) => R): R {
    return this.journal.update((draft) => change(this.viewOf(draft)))
  }

  /** The user a sign-in name designates: the username, or the email/phone of pools that sign in by those. */
  findUser(signInName: string): StoredUser | undefined {
    return this.view.findUser(signInName)
  }

  private viewOf(collections: Readonly<UserPoolCollections>): UserPoolDraft {
    const { pool, journal } = this
    const { users, sessions } = collections
    const userWith = (term: string) => journal.keysWith(collections, 'users', term)
    return {
      users,
      sessions,
      decoySecret: collections.settings.decoySecret!,
      findUser: (signInName) => {
        const wanted = normalizeName(pool, signInName)
        const [username] = [USERNAME_TERM, ...pool.usernameAttributes].flatMap((attribute) => userWith(`${attribute} ${wanted}`))
        return username === undefined ? undefined : users[username]
      },
      isAliasTaken: (attribute, value, exceptUsername) =>
        userWith(`${attribute} ${normalizeName(pool, value)}`).some((username) => username !== exceptUsername),
      sessionIdsOf: (username) => journal.keysWith(collections, 'sessions', `user ${username}`),
      sessionWithRefreshTokenHash: (hash) => {
        const [id] = journal.keysWith(collections, 'sessions', `refresh ${hash}`)
        return id === undefined ? undefined : sessions[id]
      },
    }
  }
}

/** The username's term in the users' index; username attributes have theirs under their own name. */
const USERNAME_TERM = 'cognito:username'

function normalizeName(pool: UserPoolModel, name: string): string {
  return pool.caseSensitiveUsernames ? name : name.toLowerCase()
}

/** What a user can be found by: the username, and each username attribute (email, phone) the pool signs in with. */
function userTerms(pool: UserPoolModel, user: StoredUser): string[] {
  const terms = [`${USERNAME_TERM} ${normalizeName(pool, user.username)}`]
  for (const attribute of pool.usernameAttributes) {
    const value = user.attributes[attribute]
    if (value !== undefined) terms.push(`${attribute} ${normalizeName(pool, value)}`)
  }
  return terms
}

/** The pools, their app clients and their riders: what every operation starts from. */
export class UserPoolDirectory {
  private readonly stores = new Map<string, UserPoolStore>()

  constructor(
    private readonly pools: UserPoolModel[],
    private readonly clients: UserPoolClientModel[],
    dataDir: string,
    clock: Clock = systemClock,
  ) {
    for (const pool of pools) this.stores.set(pool.id, new UserPoolStore(pool, dataDir, clock))
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
export function createUser(pool: UserPoolModel, state: UserPoolView, input: NewUser): StoredUser {
  const identity = identityOf(pool, input.signInName, input.attributes)
  // Sign-up must bring the required attributes; a user an administrator creates provides them at the first sign-in.
  const missing = input.status === 'UNCONFIRMED' ? requiredAttributesMissing(pool, identity.attributes) : []
  if (missing.length > 0) throw missingRequiredAttributes(missing)
  assertPasswordConforms(input.password, pool.passwordPolicy)
  if (state.findUser(input.signInName)) {
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
export function deleteStoredUser(draft: UserPoolDraft, username: string): void {
  delete draft.users[username]
  for (const id of draft.sessionIdsOf(username)) delete draft.sessions[id]
}
