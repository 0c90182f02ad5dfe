import { describe, expect, it } from 'vitest'
import { isLockedOut, lockoutDurationMs, recordFailure, type LockoutState } from './lockout.ts'

describe('lockoutDurationMs', () => {
  it('allows five failures, then locks for 2^(n−5) s, capped at 15 minutes', () => {
    expect([1, 2, 3, 4].map(lockoutDurationMs)).toEqual([0, 0, 0, 0])
    expect([5, 6, 7, 8, 9].map(lockoutDurationMs)).toEqual([1000, 2000, 4000, 8000, 16_000])
    expect(lockoutDurationMs(14)).toBe(512_000)
    expect(lockoutDurationMs(15)).toBe(900_000)
    expect(lockoutDurationMs(40)).toBe(900_000)
  })
})

describe('recordFailure and isLockedOut', () => {
  const start = Date.UTC(2026, 0, 1)

  function failRepeatedly(times: number, gapMs: number): { state: LockoutState; now: number } {
    let state: LockoutState | undefined
    let now = start
    for (let failure = 0; failure < times; failure++) {
      state = recordFailure(state, now)
      now += gapMs
    }
    return { state: state!, now }
  }

  it('is not locked after four quick failures', () => {
    const { state, now } = failRepeatedly(4, 100)
    expect(isLockedOut(state, now)).toBe(false)
  })

  it('locks for one second after the fifth failure, then lets the user try again', () => {
    const { state } = failRepeatedly(5, 100)
    const fifthAt = state.lastFailureAt
    expect(isLockedOut(state, fifthAt + 999)).toBe(true)
    expect(isLockedOut(state, fifthAt + 1000)).toBe(false)
  })

  it('doubles the lockout with each failure after it', () => {
    const { state } = failRepeatedly(5, 100)
    const sixth = recordFailure(state, state.lockedUntil)
    expect(sixth.lockedUntil - sixth.lastFailureAt).toBe(2000)
    const seventh = recordFailure(sixth, sixth.lockedUntil)
    expect(seventh.lockedUntil - seventh.lastFailureAt).toBe(4000)
  })

  it('forgets the failures after 15 minutes without attempts', () => {
    const { state } = failRepeatedly(5, 100)
    const later = recordFailure(state, state.lastFailureAt + 15 * 60_000)
    expect(later.failures).toBe(1)
    expect(isLockedOut(later, later.lastFailureAt)).toBe(false)
  })
})
