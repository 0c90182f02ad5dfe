// Cognito's temporary lockout: after five failed sign-ins in a row the user is refused for 1 s, doubling with each
// further failure up to about 15 minutes; attempts during a lockout are refused without counting, and 15 minutes with
// no attempt forgets the failures.
// https://docs.aws.amazon.com/cognito/latest/developerguide/authentication.html#authentication-flow-lockout-behavior

const FREE_FAILURES = 5
const MAX_LOCKOUT_MS = 15 * 60_000
const FORGET_AFTER_MS = 15 * 60_000

/** A user's failed sign-ins, kept with the user. Times are epoch milliseconds. */
export interface LockoutState {
  failures: number
  lastFailureAt: number
  lockedUntil: number
}

export const PASSWORD_ATTEMPTS_EXCEEDED = 'Password attempts exceeded'

/** How long the failure with this running count locks the user out: 0 for the first five, then 2^(n−5) s, capped. */
export function lockoutDurationMs(failures: number): number {
  if (failures < FREE_FAILURES) return 0
  return Math.min(2 ** (failures - FREE_FAILURES) * 1000, MAX_LOCKOUT_MS)
}

/** Whether a sign-in attempt now is refused without looking at the password. */
export function isLockedOut(state: LockoutState | undefined, now: number): boolean {
  return state !== undefined && now < state.lockedUntil
}

/** The state after a failed sign-in at `now` (not during a lockout: those do not count). */
export function recordFailure(state: LockoutState | undefined, now: number): LockoutState {
  const previous = state && now - state.lastFailureAt < FORGET_AFTER_MS ? state.failures : 0
  const failures = previous + 1
  return { failures, lastFailureAt: now, lockedUntil: now + lockoutDurationMs(failures) }
}
