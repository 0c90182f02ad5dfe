import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { errors as joseErrors, type JWTPayload } from 'jose'
import type { Clock } from '../clock.ts'
import { notAuthorized } from '../errors.ts'
import type { SigningKeys } from '../keys.ts'
import type { UserPoolClientModel, UserPoolModel } from '../template/model.ts'
import { attributeSchema, readableAttributes } from './attributes.ts'
import { userNotFound } from './errors.ts'
import type { StoredSession, StoredUser, UserPoolDirectory, UserPoolDraft, UserPoolState, UserPoolStore, UserPoolView } from './users.ts'

// The user pool's tokens: RS256 ID and access tokens with Cognito's claims, and opaque refresh tokens that stand for a
// stored session, so that RevokeToken, GlobalSignOut and DeleteUser can end a session and every token issued from it.
// https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-with-identity-providers.html

const ACCESS_TOKEN_SCOPE = 'aws.cognito.signin.user.admin'

/** What a token is issued for: the pool, the app client, the user and the sign-in session. */
export interface TokenSubject {
  pool: UserPoolModel
  client: UserPoolClientModel
  user: StoredUser
  session: StoredSession
}

function sharedClaims({ pool, session }: TokenSubject, issuedAt: number): JWTPayload {
  return {
    iss: pool.issuer,
    origin_jti: session.originJti,
    event_id: session.eventId,
    auth_time: session.authTime,
    iat: issuedAt,
    jti: randomUUID(),
  }
}

/**
 * ID token claims: the attributes the client may read (the `*_verified` flags as booleans, as Cognito writes them),
 * `cognito:username`, `aud` = the client id and `token_use` = `id`.
 */
export function idTokenClaims(subject: TokenSubject, nowMs: number): JWTPayload {
  const issuedAt = Math.floor(nowMs / 1000)
  const schema = attributeSchema(subject.pool)
  const attributes = Object.entries(readableAttributes(subject.client, subject.user.sub, subject.user.attributes)).map(([name, value]) => [
    name,
    schema.get(name)?.dataType === 'Boolean' ? value === 'true' : value,
  ])
  return {
    ...Object.fromEntries(attributes),
    ...sharedClaims(subject, issuedAt),
    aud: subject.client.id,
    token_use: 'id',
    'cognito:username': subject.user.username,
    exp: issuedAt + subject.client.idTokenValiditySeconds,
  }
}

/** Access token claims: `client_id`, `username`, `token_use` = `access` and the self-service scope. */
export function accessTokenClaims(subject: TokenSubject, nowMs: number): JWTPayload {
  const issuedAt = Math.floor(nowMs / 1000)
  return {
    sub: subject.user.sub,
    ...sharedClaims(subject, issuedAt),
    client_id: subject.client.id,
    token_use: 'access',
    scope: ACCESS_TOKEN_SCOPE,
    username: subject.user.username,
    exp: issuedAt + subject.client.accessTokenValiditySeconds,
  }
}

/** `AuthenticationResult` without the refresh token, which only a sign-in adds. */
export interface IssuedTokens {
  AccessToken: string
  ExpiresIn: number
  TokenType: 'Bearer'
  IdToken: string
}

/** Signs ID and access tokens with the pool's key, on the local clock. */
export class TokenIssuer {
  constructor(
    private readonly keys: SigningKeys,
    private readonly clock: Clock,
  ) {}

  async issue(subject: TokenSubject): Promise<IssuedTokens> {
    const now = this.clock.now()
    const [AccessToken, IdToken] = await Promise.all([
      this.keys.sign(accessTokenClaims(subject, now)),
      this.keys.sign(idTokenClaims(subject, now)),
    ])
    return { AccessToken, ExpiresIn: subject.client.accessTokenValiditySeconds, TokenType: 'Bearer', IdToken }
  }
}

/** How a refresh token is found again without being stored. */
function hashRefreshToken(refreshToken: string): string {
  return createHash('sha256').update(refreshToken).digest('base64url')
}

/** Starts a session for a sign-in in a state draft and returns it with its refresh token, which exists only in this answer. */
export function startSession(draft: UserPoolState, client: UserPoolClientModel, user: StoredUser, nowMs: number): { session: StoredSession; refreshToken: string } {
  const refreshToken = randomBytes(96).toString('base64url')
  const session: StoredSession = {
    originJti: randomUUID(),
    username: user.username,
    clientId: client.id,
    refreshTokenHash: hashRefreshToken(refreshToken),
    authTime: Math.floor(nowMs / 1000),
    eventId: randomUUID(),
    expiresAt: nowMs + client.refreshTokenValiditySeconds * 1000,
    revoked: false,
  }
  draft.sessions[session.originJti] = session
  return { session, refreshToken }
}

/** The session a refresh token stands for, whatever its state. */
export function findSessionByRefreshToken(state: UserPoolView, refreshToken: string): StoredSession | undefined {
  return state.sessionWithRefreshTokenHash(hashRefreshToken(refreshToken))
}

/** Revokes every session of a user (GlobalSignOut), in a state draft. */
export function revokeSessionsOf(draft: UserPoolDraft, username: string): void {
  for (const id of draft.sessionIdsOf(username)) draft.sessions[id]!.revoked = true
}

/**
 * The sign-in session a token was issued from (its `origin_jti`), unless RevokeToken or GlobalSignOut revoked it or
 * DeleteUser ended it with its user.
 */
function liveSessionOf(state: Readonly<UserPoolState>, claims: JWTPayload): StoredSession | undefined {
  const session = typeof claims.origin_jti === 'string' ? state.sessions[claims.origin_jti] : undefined
  return session && !session.revoked ? session : undefined
}

/** What the identity pool asks a user pool about an ID token it already verified (signature, issuer, audience, expiry). */
export interface UserPoolTokenStatus {
  /** Whether the token's sign-in session is still live and its user still exists. */
  isIdTokenActive(claims: JWTPayload): boolean
}

/** {@link UserPoolTokenStatus} over the directory's riders and sessions, with the access token's own revocation rule. */
export function userPoolTokenStatus(directory: UserPoolDirectory): UserPoolTokenStatus {
  return {
    isIdTokenActive(claims) {
      const store = typeof claims.iss === 'string' ? directory.forIssuer(claims.iss) : undefined
      if (!store) return false
      const session = liveSessionOf(store.state, claims)
      return session !== undefined && store.state.users[session.username] !== undefined
    },
  }
}

/** Who an access token speaks for, once it has passed every check. */
export interface AuthenticatedUser {
  store: UserPoolStore
  pool: UserPoolModel
  client: UserPoolClientModel
  user: StoredUser
  session: StoredSession
}

const INVALID_ACCESS_TOKEN = 'Invalid Access Token'

/** Checks an access token and says whose it is; what the self-service operations receive. */
export type AccessTokenCheck = (accessToken: string) => Promise<AuthenticatedUser>

/** {@link authenticateAccessToken} bound to a directory and signing keys. */
export function accessTokenCheck(directory: UserPoolDirectory, keys: SigningKeys): AccessTokenCheck {
  return (accessToken) => authenticateAccessToken(directory, keys, accessToken)
}

/**
 * Checks an access token as Cognito does for the self-service operations: signature and issuer, `token_use`, expiry,
 * the session it came from still live, the user still there. NotAuthorizedException with Cognito's message otherwise.
 */
async function authenticateAccessToken(directory: UserPoolDirectory, keys: SigningKeys, accessToken: string): Promise<AuthenticatedUser> {
  let claims: JWTPayload
  try {
    claims = await keys.verify(accessToken, {})
  } catch (error) {
    throw notAuthorized(error instanceof joseErrors.JWTExpired ? 'Access Token has expired' : INVALID_ACCESS_TOKEN)
  }
  const store = typeof claims.iss === 'string' ? directory.forIssuer(claims.iss) : undefined
  if (!store || claims.token_use !== 'access' || typeof claims.client_id !== 'string') throw notAuthorized(INVALID_ACCESS_TOKEN)
  const { client, pool } = directory.forClient(claims.client_id)
  if (pool.id !== store.pool.id) throw notAuthorized(INVALID_ACCESS_TOKEN)
  const session = liveSessionOf(store.state, claims)
  if (!session) throw notAuthorized('Access Token has been revoked')
  const user = store.state.users[session.username]
  if (!user) throw userNotFound()
  return { store, pool, client, user, session }
}
