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

/** An action of {@link useActions} with options of its own; a bare {@link ActionBody} takes the group's. */
export interface ActionDefinition<Args extends unknown[]> extends ActionOptions {
  run: ActionBody<Args>
  /** After a success, once the action's state is settled: e.g. sign-out resets every store. */
  onSuccess?: () => Promise<unknown> | unknown
}

type Definitions<Signatures extends Record<string, unknown[]>> = {
  [Name in keyof Signatures]: ActionBody<Signatures[Name]> | ActionDefinition<Signatures[Name]>
}

/**
 * A store's or composable's actions, declared once each (a body, or a definition with options beyond `defaults`). Gives
 * `run.{name}` (resolves whether it succeeded, see {@link useAction}), `state.{name}` (its own pending flag and error,
 * for the form that runs it), `error` of the action that ran last, and `reset` for `$reset`.
 */
export function useActions<Signatures extends Record<string, unknown[]>>(
  definitions: Definitions<Signatures>,
  defaults: ActionOptions = {},
) {
  type Name = keyof Signatures
  const created = {} as { [N in Name]: ReturnType<typeof useAction<Signatures[N]>> }
  const run = {} as { [N in Name]: (...args: Signatures[N]) => Promise<boolean> }
  const state = {} as Record<Name, ActionState>
  /** The action that ran last. */
  const latest = shallowRef<{ error: Ref<RiderError | null> } | null>(null)

  for (const name of Object.keys(definitions) as Name[]) {
    const definition = definitions[name]
    const { run: body, onSuccess, ...options } = typeof definition === 'function' ? { run: definition } : definition
    const action = useAction(body, { ...defaults, ...options })
    created[name] = action
    state[name] = action.state
    run[name] = async (...args) => {
      latest.value = action
      const succeeded = await action.run(...args)
      if (succeeded) await onSuccess?.()
      return succeeded
    }
  }

  return {
    run,
    state,
    /** Records a failure met where no caller awaits it (a scheduled re-sign) as action `name`'s error. */
    fail(name: Name, caught: unknown): Promise<void> {
      latest.value = created[name]
      return created[name].fail(caught)
    },
    /** The error of the action that ran last; null when it succeeded. */
    error: computed(() => latest.value?.error.value ?? null),
    /** Action `name` back to idle, or every action (for `$reset`). */
    reset(name?: Name): void {
      for (const action of name === undefined ? Object.values<{ reset(): void }>(created) : [created[name]]) action.reset()
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
