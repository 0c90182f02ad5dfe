import { onBeforeUnmount, onMounted } from 'vue'
import { useProfileStore } from '@/stores/profile'
import { useSessionStore } from '@/stores/session'

/**
 * Keeps a signed-in rider's page in step with their other devices without polling: when the tab comes back from the
 * background, GetUser is asked again, and a `picture` or `name` changed elsewhere replaces what the page and header
 * show (the profile store then refreshes the session so the claims catch up). The header's account menu, there
 * whenever a rider is signed in, runs it: the landing page of a visitor carries neither.
 */
export function useFollowRider(): void {
  const session = useSessionStore()
  const profile = useProfileStore()

  function onVisibilityChange(): void {
    if (document.visibilityState !== 'visible' || !session.isSignedIn || profile.actionState.load.isPending) return
    // Nobody awaits this: an unexpected failure is logged; an expected one is the load action's error.
    profile.load().catch((error: unknown) => console.error('Could not read the rider’s attributes', error))
  }

  onMounted(() => document.addEventListener('visibilitychange', onVisibilityChange))
  onBeforeUnmount(() => document.removeEventListener('visibilitychange', onVisibilityChange))
}
