import { onBeforeUnmount, onMounted } from 'vue'
import { getActivePinia } from 'pinia'
import { useSessionStore } from '@/stores/session'

/** The profile store loads with the first page that needs a signed-in rider, not with the landing page. */
const loadProfileStore = () => import('@/stores/profile')

/**
 * Keeps a signed-in rider's page in step with their other devices without polling: when the tab comes back from the
 * background, GetUser is asked again, and a `picture` or `name` changed elsewhere replaces what the page and header
 * show (the profile store then refreshes the session so the claims catch up).
 */
export function useFollowRider(): void {
  const session = useSessionStore()
  // The app's Pinia, which the session store was just taken from: the profile store is taken later, outside setup.
  const pinia = getActivePinia()

  async function followRider(): Promise<void> {
    const profile = (await loadProfileStore()).useProfileStore(pinia)
    if (!session.isSignedIn || profile.actionState.load.isPending) return
    await profile.load()
  }

  function onVisibilityChange(): void {
    if (document.visibilityState !== 'visible' || !session.isSignedIn) return
    // Nobody awaits this: an unexpected failure is logged; an expected one is the load action's error.
    followRider().catch((error: unknown) => console.error('Could not read the rider’s attributes', error))
  }

  onMounted(() => document.addEventListener('visibilitychange', onVisibilityChange))
  onBeforeUnmount(() => document.removeEventListener('visibilitychange', onVisibilityChange))
}
