import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { PasswordPolicy, UserPoolClientModel, UserPoolModel } from '../template/model.ts'
import { accessTokenClaims, idTokenClaims, userPoolTokenStatus, type TokenSubject } from './tokens.ts'
import { UserPoolDirectory, type StoredSession, type StoredUser } from './users.ts'

const POLICY: PasswordPolicy = {
  minimumLength: 8, requireLowercase: true, requireUppercase: true, requireNumbers: true, requireSymbols: false, temporaryPasswordValidityDays: 7,
}

const pool: UserPoolModel = {
  logicalId: 'UserPool',
  id: 'eu-west-1_AbC123',
  name: 'riders',
  arn: 'arn:aws:cognito-idp:eu-west-1:000000000000:userpool/eu-west-1_AbC123',
  providerName: 'cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123',
  issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123',
  usernameAttributes: ['email'],
  caseSensitiveUsernames: false,
  autoVerifiedAttributes: ['email'],
  attributesRequireVerificationBeforeUpdate: ['email'],
  passwordPolicy: POLICY,
  schema: [{ name: 'tier', dataType: 'String', required: false, mutable: true }],
  verificationEmail: { subject: 'Code', message: 'Your code is {####}' },
  emailSendingAccount: 'COGNITO_DEFAULT',
  verificationSms: 'Your code is {####}',
  mfaConfiguration: 'OFF',
  enabledMfas: [],
  allowedFirstAuthFactors: ['PASSWORD'],
  webAuthn: { userVerification: 'preferred', factorConfiguration: 'SINGLE_FACTOR' },
}

const client: UserPoolClientModel = {
  logicalId: 'Client',
  id: 'client123',
  userPoolId: pool.id,
  name: 'web',
  hasSecret: false,
  explicitAuthFlows: ['ALLOW_USER_SRP_AUTH'],
  preventUserExistenceErrors: true,
  enableTokenRevocation: true,
  accessTokenValiditySeconds: 600,
  idTokenValiditySeconds: 1800,
  refreshTokenValiditySeconds: 86_400,
  readAttributes: ['email', 'email_verified', 'phone_number', 'phone_number_verified', 'name', 'picture'],
}

const user: StoredUser = {
  username: '4f1c2d3e-0000-4000-8000-000000000001',
  sub: '4f1c2d3e-0000-4000-8000-000000000001',
  status: 'CONFIRMED',
  createdAt: 0,
  updatedAt: 0,
  attributes: {
    email: 'ada@example.com',
    email_verified: 'true',
    phone_number: '+15555550100',
    phone_number_verified: 'false',
    name: 'Ada',
    picture: 'protected/x/profile/1.webp',
    'custom:tier': 'gold',
  },
  pendingAttributes: { email: 'new@example.com' },
  verifier: { salt: '01', verifier: '02' },
  codes: {},
  sends: {},
}

const session: StoredSession = {
  originJti: 'origin-1',
  username: user.username,
  clientId: client.id,
  refreshTokenHash: 'hash',
  authTime: 1_800_000_000,
  eventId: 'event-1',
  expiresAt: 0,
  revoked: false,
}

const subject: TokenSubject = { pool, client, user, session }
const NOW_MS = 1_800_000_123_456

describe('idTokenClaims', () => {
  it('has exactly Cognito\'s claims: readable attributes (verified flags as booleans), identity, times', () => {
    const claims = idTokenClaims(subject, NOW_MS)
    const { jti, ...rest } = claims
    expect(jti).toMatch(/^[0-9a-f-]{36}$/)
    expect(rest).toEqual({
      sub: user.sub,
      email: 'ada@example.com',
      email_verified: true,
      phone_number: '+15555550100',
      phone_number_verified: false,
      name: 'Ada',
      picture: 'protected/x/profile/1.webp',
      iss: pool.issuer,
      aud: client.id,
      token_use: 'id',
      'cognito:username': user.username,
      origin_jti: 'origin-1',
      event_id: 'event-1',
      auth_time: 1_800_000_000,
      iat: 1_800_000_123,
      exp: 1_800_000_123 + 1800,
    })
  })

  it('shows the current email, not one waiting for its code, and no attribute the client may not read', () => {
    const claims = idTokenClaims(subject, NOW_MS)
    expect(claims.email).toBe('ada@example.com')
    expect(claims).not.toHaveProperty('custom:tier')
  })
})

describe('accessTokenClaims', () => {
  it('has exactly Cognito\'s claims, with the client\'s access token lifetime', () => {
    const { jti, ...rest } = accessTokenClaims(subject, NOW_MS)
    expect(jti).toMatch(/^[0-9a-f-]{36}$/)
    expect(rest).toEqual({
      sub: user.sub,
      iss: pool.issuer,
      client_id: client.id,
      origin_jti: 'origin-1',
      event_id: 'event-1',
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      auth_time: 1_800_000_000,
      iat: 1_800_000_123,
      exp: 1_800_000_123 + 600,
      username: user.username,
    })
  })

  it('gives each token its own jti', () => {
    expect(accessTokenClaims(subject, NOW_MS).jti).not.toBe(accessTokenClaims(subject, NOW_MS).jti)
  })
})

describe('userPoolTokenStatus', () => {
  async function directoryWith(sessions: StoredSession[]): Promise<UserPoolDirectory> {
    const directory = new UserPoolDirectory([pool], [client], await mkdtemp(join(tmpdir(), 'la-')))
    directory.forPool(pool.id)!.update((draft) => {
      draft.users[user.username] = user
      for (const stored of sessions) draft.sessions[stored.originJti] = stored
    })
    return directory
  }

  const idToken = (overrides: Record<string, unknown> = {}) => ({ ...idTokenClaims(subject, NOW_MS), ...overrides })

  it('holds an ID token active while its sign-in session is live and its user exists', async () => {
    const status = userPoolTokenStatus(await directoryWith([session]))
    expect(status.isIdTokenActive(idToken())).toBe(true)
  })

  it('holds a token inactive when its session was revoked, its origin_jti is unknown or missing, its user deleted, its pool another', async () => {
    const revoked = { ...session, originJti: 'origin-revoked', revoked: true }
    const directory = await directoryWith([session, revoked])
    const status = userPoolTokenStatus(directory)
    expect(status.isIdTokenActive(idToken({ origin_jti: 'origin-revoked' }))).toBe(false)
    expect(status.isIdTokenActive(idToken({ origin_jti: 'origin-unknown' }))).toBe(false)
    expect(status.isIdTokenActive(idToken({ origin_jti: undefined }))).toBe(false)
    expect(status.isIdTokenActive(idToken({ iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other1' }))).toBe(false)
    directory.forPool(pool.id)!.update((draft) => void delete draft.users[user.username])
    expect(status.isIdTokenActive(idToken())).toBe(false)
  })
})
