import { ref } from 'vue'
import type { RiderError } from '@/lib/aws/errors'

/**
 * One form's view of a store action: which of its buttons is pending and the error its own last submit met. Stores
 * share one `isPending` / `error` between all their actions; a page with several forms needs each form to show only
 * its own state (a profile save must not make the sign-out button spin).
 */
export function useFormAction<ActionName extends string>() {
  /** The action this form is running, or null. */
  const pendingAction = ref<ActionName | null>(null)
  /** The error this form's last action met; null after a success. */
  const formError = ref<RiderError | null>(null)

  /**
   * Runs a store action that resolves whether it succeeded; on failure copies the store's `error`. A second submit
   * while one is running is ignored (resolves false).
   */
  async function perform(name: ActionName, store: { error: RiderError | null }, action: () => Promise<boolean>): Promise<boolean> {
    if (pendingAction.value !== null) return false
    pendingAction.value = name
    formError.value = null
    try {
      const succeeded = await action()
      if (!succeeded) formError.value = store.error
      return succeeded
    } finally {
      pendingAction.value = null
    }
  }

  return { pendingAction, formError, perform }
}
