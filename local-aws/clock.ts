/** Time as local AWS sees it. Injected everywhere so tests can move it instead of sleeping. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number
}

export const systemClock: Clock = { now: () => Date.now() }

/** A clock that only moves when told to: for expiry and lockout tests. */
export class FakeClock implements Clock {
  constructor(private current = Date.now()) {}

  now(): number {
    return this.current
  }

  advance(milliseconds: number): void {
    this.current += milliseconds
  }

  set(epochMilliseconds: number): void {
    this.current = epochMilliseconds
  }
}
