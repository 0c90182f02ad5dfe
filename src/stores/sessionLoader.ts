/*
 * The session store, loaded apart from the landing page (docs/performance.md#the-landing-page-carries-no-session-code);
 * until then "signed in" goes by the stored tokens (`isLikelySignedIn`, the store's rule too).
 */
import { computed, shallowRef, type ComputedRef } from 'vue'
import { getActivePinia, type Pinia } from 'pinia'
import { isLikelySignedIn } from '@/lib/aws/tokenStorage'

type SessionModule = typeof import('./session')
type SessionStore = ReturnType<SessionModule['useSessionStore']>

const sessionModule = shallowRef<SessionModule>()

/** The session store of `pinia` (by default the active one), once its code has loaded. */
export async function loadSessionStore(pinia?: Pinia): Promise<SessionStore> {
  sessionModule.value ??= await import('./session')
  return sessionModule.value.useSessionStore(pinia)
}

/** In a component's setup: the session store once its code has loaded (by {@link loadSessionStore}); undefined before. */
export function useLoadedSessionStore(): ComputedRef<SessionStore | undefined> {
  const pinia = getActivePinia()
  return computed(() => sessionModule.value?.useSessionStore(pinia))
}

/** In a component's setup: whether a rider is (likely) signed in, before the session store has loaded and after. */
export function useIsLikelySignedIn(): ComputedRef<boolean> {
  const session = useLoadedSessionStore()
  return computed(() => isLikelySignedIn(session.value))
}
