import { computed, reactive, ref, shallowRef, watch, type Ref, type WatchSource } from 'vue'
import type { RiderError } from '@/lib/aws/errors'
import { hasSessionEnded } from '@/lib/aws/sessionEnded'

/**
 * The AWS error table loads with the first failure, not with the landing page (the AWS clients that fail import it
 * anyway). Should it fail to load, the original failure is what propagates.
 */
async function describeAwsError(caught: unknown, messages: ActionOptions['messages']): Promise<RiderError | undefined> {
  const errors = await import('@/lib/aws/errors').catch(() => {
    throw caught
  })
  return errors.describeAwsError(caught, messages)
}

/** One action's state, for the form or button that runs it. */
export interface ActionState {
  /** The action is awaiting AWS. */
  isPending: boolean
  /** Its last expected failure, in words a rider understands; null after a success. */
  error: RiderError | null
}

export interface ActionOptions {
  /** A flow's own wording for an error code, e.g. ChangePassword's "Your current password isn't right." */
  messages?: Readonly<Record<string, string>>
  /** Turns a failure into a rider-facing error (default: the AWS error names); `undefined` means unexpected. */
  describe?: (caught: unknown) => RiderError | undefined
  /** Called when the failure means the rider's session is over: they must sign in again. */
  onSessionEnded?: () => Promise<void> | void
}

/** What an action does; resolving `false` means it did not happen and nothing went wrong (a cancelled upload). */
export type ActionBody<Args extends unknown[]> = (...args: Args) => Promise<boolean | void>

/**
 * One action with its own pending flag and typed error (docs/architecture.md#action-state-and-the-ended-session). `run` clears the error, awaits the action, and resolves whether
 * it succeeded; an expected failure sets the error (and, when the session ended, says so through `onSessionEnded`) and
 * resolves false; unexpected errors propagate.
 */
export function useAction<Args extends unknown[]>(action: ActionBody<Args>, options: ActionOptions = {}) {
  const isPending = ref(false)
  /** Runs under way: a run that another overtook must not end the pending state of the newer one. */
  let runs = 0
  const error = ref<RiderError | null>(null)
  const { describe } = options

  /**
   * Records a failure as the action's error, also for one met where no caller awaits it (a scheduled re-sign).
   * @throws `caught` itself when it is unexpected
   */
  async function fail(caught: unknown): Promise<void> {
    // A flow's own `describe` answers at once: its error is set before `fail` returns (unless the session ended).
    const riderError = describe ? describe(caught) : await describeAwsError(caught, options.messages)
    if (!riderError) throw caught
    // Ending the session resets every store: the error is set after, so the form that met it still says why.
    if (hasSessionEnded(riderError)) await options.onSessionEnded?.()
    error.value = riderError
  }

  async function run(...args: Args): Promise<boolean> {
    runs += 1
    isPending.value = true
    error.value = null
    try {
      return (await action(...args)) !== false
    } catch (caught) {
      await fail(caught)
      return false
    } finally {
      runs = Math.max(0, runs - 1)
      isPending.value = runs > 0
    }
  }

  /** Back to idle. */
  function reset(): void {
    runs = 0
    isPending.value = false
    error.value = null
  }

  /** The same state as one reactive object, for a store to expose per action. */
  const state: ActionState = reactive({ isPending, error })

  return { isPending, error, state, run, fail, reset }
}

/** What a group needs of each of its actions. */
interface GroupMember {
  isPending: Ref<boolean>
  error: Ref<RiderError | null>
  reset(): void
}

/**
 * Actions that share defaults (e.g. where an ended session is reported) and a summary: `isPending` while any runs,
 * `error` of the one that ran last. Setup stores return the summary as their `isPending` / `error`.
 */
export function useActions(defaults: ActionOptions = {}) {
  const actions: GroupMember[] = []
  const latest = shallowRef<GroupMember | null>(null)

  /** An action of this group; see {@link useAction}. */
  function defineAction<Args extends unknown[]>(body: ActionBody<Args>, options: ActionOptions = {}) {
    const created = useAction(body, { ...defaults, ...options })
    const run = (...args: Args): Promise<boolean> => {
      latest.value = created
      return created.run(...args)
    }
    const fail = (caught: unknown): Promise<void> => {
      latest.value = created
      return created.fail(caught)
    }
    actions.push(created)
    return { ...created, run, fail }
  }

  return {
    defineAction,
    /** Some action of the group is under way. */
    isPending: computed(() => actions.some((action) => action.isPending.value)),
    /** The error of the action that ran last; null when it succeeded. */
    error: computed(() => latest.value?.error.value ?? null),
    /** Every action back to idle, for `$reset`. */
    reset(): void {
      for (const action of actions) action.reset()
    },
  }
}

/**
 * The one error a form shows when its buttons run several store actions: that of the action it ran last in this
 * visit (an error from an earlier visit is not shown again), until {@link clear}.
 */
export function useFormError<Name extends string>(states: Readonly<Record<Name, ActionState>>) {
  const lastRun: Ref<Name | null> = shallowRef(null)
  function clear(name?: Name): void {
    if (name === undefined || lastRun.value === name) lastRun.value = null
  }
  const error = computed<RiderError | null>(() => {
    const name = lastRun.value
    return name === null ? null : states[name].error
  })
  return {
    error,
    /** Runs a store action as this form's; resolves what the action resolves. */
    run(name: Name, action: () => Promise<boolean>): Promise<boolean> {
      lastRun.value = name
      return action()
    },
    /** Shows no error, or none from `name` when given (another form ran it since). */
    clear,
    /**
     * Shows no error once the rider edits a field (`fields` returns their values): a server's answer about the old
     * values must not stay beside the new ones. Call it in setup; forms also {@link clear} when submitted again.
     */
    clearOnEdit(fields: WatchSource<unknown[]>): void {
      watch(fields, () => clear())
    },
  }
}
