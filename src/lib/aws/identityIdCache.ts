/*
 * The identity id `fromCognitoIdentityPool` caches for a rider: `localStorage` key
 * `aws:cognito-identity-credentials:{identityPoolId}:{userIdentifier}` (credentials.ts chooses localStorage). Before,
 * the SDK's default kept it in IndexedDB `aws:cognito-identity-ids`, object store `IdentityIds`, record `{ id, value }`
 * (its IndexedDbStorage), where a device may still hold one. The SDK never removes either but on a refused identity,
 * so a signed-out device would keep the rider's identity id: forgotten here at sign-out, in both places. Apart from
 * credentials.ts, which loads the SDK. docs/aws-behaviour.md#identity-ids-are-cached-per-rider
 */
import { getAwsConfig } from './config'

const DATABASE = 'aws:cognito-identity-ids'
const STORE = 'IdentityIds'

function settled<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'))
  })
}

function openExisting(): Promise<IDBDatabase | undefined> {
  return new Promise((resolve, reject) => {
    const opening = indexedDB.open(DATABASE)
    let isNew = false
    // No database yet: nothing was cached. Abort the creation rather than leave an empty one behind.
    opening.onupgradeneeded = () => {
      isNew = true
      opening.transaction?.abort()
    }
    opening.onsuccess = () => resolve(opening.result)
    opening.onerror = () => (isNew ? resolve(undefined) : reject(opening.error ?? new Error('IndexedDB open failed')))
    opening.onblocked = () => resolve(undefined)
  })
}

function cacheKey(sub: string): string {
  return `aws:cognito-identity-credentials:${getAwsConfig().identityPoolId}:${sub}`
}

/**
 * Deletes rider `sub`'s cached identity id, and the IndexedDB database when nothing else is left in it. Never throws:
 * storage refused or missing leaves nothing to forget.
 */
export async function forgetIdentityId(sub: string): Promise<void> {
  try {
    globalThis.localStorage?.removeItem(cacheKey(sub))
    if (typeof indexedDB === 'undefined') return
    const database = await openExisting()
    if (!database) return
    let remaining = 0
    try {
      if (database.objectStoreNames.contains(STORE)) {
        const store = database.transaction(STORE, 'readwrite').objectStore(STORE)
        await settled(store.delete(cacheKey(sub)))
        remaining = await settled(store.count())
      }
    } finally {
      database.close()
    }
    if (remaining === 0) await settled(indexedDB.deleteDatabase(DATABASE))
  } catch {
    // Nothing more this device can do; the next rider's credentials are keyed by their own sub anyway.
  }
}
