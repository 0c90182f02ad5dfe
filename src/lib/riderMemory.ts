/*
 * What this device remembers of a signed-in rider: the last signed photo URL and how their phone number is written for
 * people (so that the next visit shows sooner), and a changed email or phone number waiting for its code (so that every
 * tab offers the code box), and the name of their authenticator, which sign-in learns and GetUser never says. Kept in localStorage per rider (the user-pool `sub`), read only for that rider, and
 * forgotten whole when a rider signs out, their session ends or their account goes.
 */

/** Each kind of memory, stored under `wildrydes:{kind}:{sub}`. */
export type MemoryKind = 'photo-url' | 'phone-display' | 'pending-verifications' | 'authenticator-name'

const KINDS: readonly MemoryKind[] = ['photo-url', 'phone-display', 'pending-verifications', 'authenticator-name']

function storageKey(kind: MemoryKind, sub: string): string {
  return `wildrydes:${kind}:${sub}`
}

/** localStorage, or nothing where it is missing or refused (private modes, storage disabled). */
function storage(): Storage | undefined {
  try {
    return globalThis.localStorage ?? undefined
  } catch {
    return undefined
  }
}

/** What was remembered of this kind for this rider, parsed; undefined when nothing (or nothing readable) was. */
export function recall(kind: MemoryKind, sub: string): unknown {
  try {
    return JSON.parse(storage()?.getItem(storageKey(kind, sub)) ?? 'null') ?? undefined
  } catch {
    return undefined
  }
}

/** Remembers `value` for this rider, replacing what was remembered of this kind before. */
export function remember(kind: MemoryKind, sub: string, value: unknown): void {
  try {
    storage()?.setItem(storageKey(kind, sub), JSON.stringify(value))
  } catch {
    // Full or refused: the next visit works it out again, as without remembering.
  }
}

/** Forgets what was remembered of this kind for this rider (it proved wrong). */
export function forget(kind: MemoryKind, sub: string): void {
  storage()?.removeItem(storageKey(kind, sub))
}

/** Forgets everything remembered of every rider: on sign-out, when a session ends, when the account goes. */
export function forgetRiders(): void {
  const local = storage()
  if (!local) return
  const prefixes = KINDS.map((kind) => storageKey(kind, ''))
  const names: string[] = []
  for (let index = 0; index < local.length; index += 1) {
    const name = local.key(index)
    if (name && prefixes.some((prefix) => name.startsWith(prefix))) names.push(name)
  }
  for (const name of names) local.removeItem(name)
}
