import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { model } from '../../tests/support/localAwsFakes.ts'
import { FakeClock } from '../../tests/support/fakeClock.ts'
import { createUser, deleteStoredUser, UserPoolStore, type StoredSession, type StoredUser } from './users.ts'

/** The template's own user pool, as local AWS provisions it. */
const pool = model.userPools[0]!

const NOW = Date.UTC(2026, 11, 5)

let dataDir: string

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'user-pool-store-'))
})

afterEach(() => rmSync(dataDir, { recursive: true, force: true }))

function signUp(store: UserPoolStore, email: string): StoredUser {
  return store.update((draft) => {
    const user = createUser(pool, draft, { signInName: email, password: 'Secret-pass-1', attributes: {}, status: 'CONFIRMED', now: NOW })
    draft.users[user.username] = user
    return user
  })
}

function sessionOf(user: StoredUser, id: string, expiresAt = NOW + 86_400_000): StoredSession {
  return { originJti: id, username: user.username, clientId: 'client', refreshTokenHash: `hash-${id}`, authTime: NOW / 1000, eventId: id, expiresAt, revoked: false }
}

describe('UserPoolStore', () => {
  it('finds a rider by email whatever its case, or by username, and follows a change of email', () => {
    const store = new UserPoolStore(pool, dataDir)
    const ada = signUp(store, 'Ada@Example.com')
    expect(store.findUser('ada@example.COM')?.sub).toBe(ada.sub)
    expect(store.findUser(ada.username)?.sub).toBe(ada.sub)
    expect(store.findUser('bob@example.com')).toBeUndefined()
    store.update((draft) => void (draft.users[ada.username]!.attributes.email = 'ada@new.example.com'))
    expect(store.findUser('ada@example.com')).toBeUndefined()
    expect(store.findUser('ADA@new.example.com')?.sub).toBe(ada.sub)
  })

  it('sees a draft’s own changes: the same email twice in one change is refused', () => {
    const store = new UserPoolStore(pool, dataDir)
    expect(() =>
      store.update((draft) => {
        for (const email of ['ada@example.com', 'ADA@example.com']) {
          const user = createUser(pool, draft, { signInName: email, password: 'Secret-pass-1', attributes: {}, status: 'CONFIRMED', now: NOW })
          draft.users[user.username] = user
        }
      }),
    ).toThrow('An account with the given email already exists.')
    expect(store.findUser('ada@example.com')).toBeUndefined()
  })

  it('says whether another rider signs in with an email', () => {
    const store = new UserPoolStore(pool, dataDir)
    const ada = signUp(store, 'ada@example.com')
    expect(store.state.isAliasTaken('email', 'ADA@example.com')).toBe(true)
    expect(store.state.isAliasTaken('email', 'ada@example.com', ada.username)).toBe(false)
    expect(store.state.isAliasTaken('email', 'bob@example.com')).toBe(false)
  })

  it('finds sessions by rider and by refresh token hash, and deletes a rider with their sessions only', () => {
    const store = new UserPoolStore(pool, dataDir)
    const ada = signUp(store, 'ada@example.com')
    const bob = signUp(store, 'bob@example.com')
    store.update((draft) => {
      for (const session of [sessionOf(ada, 'a1'), sessionOf(ada, 'a2'), sessionOf(bob, 'b1')]) draft.sessions[session.originJti] = session
    })
    expect(store.state.sessionIdsOf(ada.username).sort()).toEqual(['a1', 'a2'])
    expect(store.state.sessionWithRefreshTokenHash('hash-b1')?.username).toBe(bob.username)
    store.update((draft) => deleteStoredUser(draft, ada.username))
    const reopened = new UserPoolStore(pool, dataDir)
    expect(Object.keys(reopened.state.sessions)).toEqual(['b1'])
    expect(reopened.state.sessionIdsOf(ada.username)).toEqual([])
    expect(reopened.findUser('ada@example.com')).toBeUndefined()
    expect(reopened.findUser('bob@example.com')?.sub).toBe(bob.sub)
  })

  it('keeps its made-up secret for unknown riders across restarts', () => {
    const { decoySecret } = new UserPoolStore(pool, dataDir).state
    expect(decoySecret).toMatch(/^[0-9a-f]{64}$/)
    expect(new UserPoolStore(pool, dataDir).state.decoySecret).toBe(decoySecret)
  })

  it('drops sessions whose refresh token expired when its journal is rewritten at start', () => {
    const clock = new FakeClock(NOW)
    const store = new UserPoolStore(pool, dataDir, clock)
    const ada = signUp(store, 'ada@example.com')
    store.update((draft) => {
      draft.sessions.live = sessionOf(ada, 'live', NOW + 86_400_000)
      draft.sessions.over = sessionOf(ada, 'over', NOW + 1_000)
    })
    // Superseded lines make the next start rewrite the journal.
    for (let attempt = 0; attempt < 110; attempt++) store.update((draft) => void (draft.users[ada.username]!.updatedAt = NOW + attempt))
    clock.advance(60_000)
    expect(Object.keys(new UserPoolStore(pool, dataDir, clock).state.sessions)).toEqual(['live'])
  })

  it('reads the single JSON file of an older data folder', () => {
    const older = new UserPoolStore(pool, join(dataDir, 'older'))
    const ada = signUp(older, 'ada@example.com')
    mkdirSync(join(dataDir, 'cognito-idp'))
    writeFileSync(join(dataDir, 'cognito-idp', `${pool.id}.json`), JSON.stringify({ users: { [ada.username]: ada }, sessions: {}, decoySecret: 'ab'.repeat(32) }))
    const store = new UserPoolStore(pool, dataDir)
    expect(store.findUser('ada@example.com')?.verifier).toEqual(ada.verifier)
    expect(store.state.decoySecret).toBe('ab'.repeat(32))
  })
})
