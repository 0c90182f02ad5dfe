import type { Clock } from '../clock.ts'
import { CEREMONY_TIMEOUT_MS } from './webauthn.ts'

// Passkey registrations between StartWebAuthnRegistration and CompleteWebAuthnRegistration, one per user (a new start
// replaces the last), in memory only like sign-in challenges: a restart may end a half-done registration.

interface PendingRegistration {
  challenge: string
  clientId: string
  expiresAt: number
}

export class PasskeyRegistrations {
  private readonly pending = new Map<string, PendingRegistration>()

  constructor(private readonly clock: Clock) {}

  start(poolId: string, username: string, clientId: string, challenge: string): void {
    this.pending.set(`${poolId}/${username}`, { challenge, clientId, expiresAt: this.clock.now() + CEREMONY_TIMEOUT_MS })
  }

  /**
   * The registration a credential's challenge answers, removed so it answers once, right or wrong; undefined when the
   * user has none with that challenge or it expired.
   */
  take(poolId: string, username: string, challenge: string): { clientId: string } | undefined {
    const key = `${poolId}/${username}`
    const entry = this.pending.get(key)
    if (!entry || entry.challenge !== challenge) return undefined
    this.pending.delete(key)
    return entry.expiresAt > this.clock.now() ? { clientId: entry.clientId } : undefined
  }
}
