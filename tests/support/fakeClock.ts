import type { Clock } from '../../local-aws/clock.ts'

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
