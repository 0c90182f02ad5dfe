import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import type { Clock } from '../clock.ts'
import { Journal } from '../journal.ts'

/** An identity of an identity pool: the rider behind it is known by provider name and their `sub` there. */
export interface IdentityRecord {
  identityId: string
  identityPoolId: string
  /** Provider name (`cognito-idp.{region}.amazonaws.com/{poolId}`) → the rider's `sub` in that user pool. */
  logins: Record<string, string>
  /** Epoch milliseconds. */
  createdAt: number
}

interface IdentityCollections {
  identities: Record<string, IdentityRecord>
  /** `{identityPoolId} {providerName} {sub}` → identity id: one identity per rider and pool, forever. */
  byLogin: Record<string, string>
}

function loginKey(identityPoolId: string, providerName: string, sub: string): string {
  return `${identityPoolId} ${providerName} ${sub}`
}

/** The identities handed out, kept in the data folder so a rider's identity id (and so their S3 prefix) survives restarts. */
export class IdentityStore {
  private readonly journal: Journal<IdentityCollections>

  constructor(
    dataDir: string,
    private readonly clock: Clock,
  ) {
    this.journal = new Journal<IdentityCollections>(join(dataDir, 'identities.jsonl'), {
      collections: ['identities', 'byLogin'],
      legacy: { path: join(dataDir, 'identities.json'), read: (content) => content as IdentityCollections },
    })
  }

  find(identityId: string): IdentityRecord | undefined {
    // The id comes from the request: `__proto__` or `constructor` must not find Object's properties.
    const { identities } = this.journal.current
    return Object.hasOwn(identities, identityId) ? identities[identityId] : undefined
  }

  /**
   * The identity of the rider signed in with `providerName`/`sub` in the pool, created on first use with an id shaped as
   * AWS shapes it (`{region}:{uuid}`, the region being the pool's).
   */
  findOrCreate(identityPoolId: string, providerName: string, sub: string): IdentityRecord {
    const key = loginKey(identityPoolId, providerName, sub)
    const { byLogin, identities } = this.journal.current
    const existing = Object.hasOwn(byLogin, key) ? byLogin[key] : undefined
    if (existing) return identities[existing] as IdentityRecord
    return this.journal.update((file) => {
      const region = identityPoolId.split(':', 1)[0]
      const identity: IdentityRecord = {
        identityId: `${region}:${randomUUID()}`,
        identityPoolId,
        logins: { [providerName]: sub },
        createdAt: this.clock.now(),
      }
      file.identities[identity.identityId] = identity
      file.byLogin[key] = identity.identityId
      return identity
    })
  }
}
