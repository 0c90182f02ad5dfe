import { ref } from 'vue'
import { describeAwsError, type RiderError } from '@/lib/aws/errors'

/**
 * The `isPending` / `error` pair every store exposes, and `run`, which wraps an action the way STYLE.md says: clear
 * `error`, await, on an expected AWS failure set `error` and resolve `false`; unexpected errors propagate.
 * Call it inside a setup store and return `isPending` and `error` from the store so they are state.
 */
export function useActionState() {
  /** An action is awaiting AWS. */
  const isPending = ref(false)
  /** The last action's expected failure, in words a rider understands; null after a success. */
  const error = ref<RiderError | null>(null)

  async function run(action: () => Promise<void>, overrides?: Readonly<Record<string, string>>): Promise<boolean> {
    isPending.value = true
    error.value = null
    try {
      await action()
      return true
    } catch (caught) {
      const riderError = describeAwsError(caught, overrides)
      if (!riderError) throw caught
      error.value = riderError
      return false
    } finally {
      isPending.value = false
    }
  }

  /** Back to idle, for `$reset`. */
  function resetActionState(): void {
    isPending.value = false
    error.value = null
  }

  return { isPending, error, run, resetActionState }
}
