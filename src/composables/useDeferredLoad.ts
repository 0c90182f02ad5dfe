import { onMounted, watch } from 'vue'

/**
 * Runs `load` once the component is mounted, or, while `isDeferred()` holds it back (the profile page keeps GetUser
 * waiting until the photo's requests have gone), once it no longer does.
 */
export function useDeferredLoad(isDeferred: () => boolean, load: () => void): void {
  onMounted(() => {
    if (isDeferred()) watch(isDeferred, load, { once: true })
    else load()
  })
}
