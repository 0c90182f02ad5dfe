import { computed, ref } from 'vue'
import { acceptHMRUpdate, defineStore } from 'pinia'
import { hasStoredSession } from '@/lib/aws/storedSession'
import { useActionState } from './actionState'
import type { CodeDelivery, IdTokenClaims, SignUpDetails } from '@/lib/aws/userPool'

/** The user-pool code (~27 KiB gzipped) loads on the first account action, not with the landing page. */
const loadUserPool = () => import('@/lib/aws/userPool')

/** A rider created by an administrator signs in with a temporary password and must choose their own. */
export interface NewPasswordStep {
  email: string
  /** Attributes the pool still needs, e.g. `['name']`. */
  requiredAttributes: string[]
}

/** The signed-in rider's session and every step of getting one: sign-up, confirmation, sign-in, password resets. */
export const useSessionStore = defineStore('session', () => {
  const { isPending, error, run, resetActionState } = useActionState()

  /** The signed-in rider's ID token claims (email, phone_number, name, picture…); null when signed out. */
  const claims = ref<IdTokenClaims | null>(null)
  /** Whether the stored session was looked at (before the first route resolves). */
  const isRestored = ref(false)
  /** Sign-in answered NEW_PASSWORD_REQUIRED: {@link completeNewPassword} finishes it. */
  const newPasswordStep = ref<NewPasswordStep | null>(null)
  /** The email of an account waiting for its sign-up code (after sign-up, or when sign-in met an unconfirmed rider). */
  const emailAwaitingConfirmation = ref<string | null>(null)
  /** Where the last code was sent, to tell the rider where to look. */
  const lastCodeDelivery = ref<CodeDelivery | null>(null)

  /** A rider is signed in. */
  const isSignedIn = computed(() => claims.value !== null)
  /**
   * What the header and landing page go by: {@link isSignedIn} once the session is restored; until then, whether this
   * device stores a rider's tokens (public pages show before the restore, which needs the user-pool code).
   */
  const isLikelySignedIn = computed(() => isSignedIn.value || (!isRestored.value && hasStoredSession()))

  /** Creates an account; on success a code is on its way to `details.email`. */
  function signUp(details: SignUpDetails): Promise<boolean> {
    return run(async () => {
      const outcome = await (await loadUserPool()).signUp(details)
      lastCodeDelivery.value = outcome.codeDelivery ?? null
      emailAwaitingConfirmation.value = outcome.isConfirmed ? null : details.email
    })
  }

  /** Confirms the account with its sign-up code. */
  function confirmSignUp(email: string, code: string): Promise<boolean> {
    return run(async () => {
      await (await loadUserPool()).confirmSignUp(email, code.trim())
      emailAwaitingConfirmation.value = null
    })
  }

  /** Sends a new sign-up code. */
  function resendSignUpCode(email: string): Promise<boolean> {
    return run(async () => {
      lastCodeDelivery.value = (await (await loadUserPool()).resendSignUpCode(email)) ?? null
      emailAwaitingConfirmation.value = email
    })
  }

  /**
   * Signs in. Resolves true when signed in, or when a new password is required ({@link newPasswordStep} is then set).
   * An unconfirmed rider gets `error.code === 'UserNotConfirmedException'` and {@link emailAwaitingConfirmation}.
   */
  function signIn(email: string, password: string): Promise<boolean> {
    newPasswordStep.value = null
    return run(async () => {
      try {
        const outcome = await (await loadUserPool()).signIn(email, password)
        if (outcome.kind === 'signedIn') claims.value = outcome.claims
        else newPasswordStep.value = { email, requiredAttributes: outcome.requiredAttributes }
      } catch (caught) {
        if ((caught as { code?: string }).code === 'UserNotConfirmedException') emailAwaitingConfirmation.value = email
        throw caught
      }
    })
  }

  /** Answers the new-password step with the rider's own password (and any attributes it asked for). */
  function completeNewPassword(newPassword: string, requiredAttributes: Record<string, string> = {}): Promise<boolean> {
    return run(async () => {
      claims.value = await (await loadUserPool()).completeNewPassword(newPassword, requiredAttributes)
      newPasswordStep.value = null
    })
  }

  /** Signs out on this device (the refresh token is revoked) and resets every store. */
  async function signOut(): Promise<boolean> {
    const succeeded = await run(async () => (await loadUserPool()).signOut())
    if (succeeded) $reset()
    return succeeded
  }

  /** Signs out on every device (GlobalSignOut), then resets every store. */
  async function signOutEverywhere(): Promise<boolean> {
    const succeeded = await run(async () => (await loadUserPool()).globalSignOut())
    if (succeeded) $reset()
    return succeeded
  }

  /** Sends a password-reset code to `email`. */
  function forgotPassword(email: string): Promise<boolean> {
    return run(async () => {
      lastCodeDelivery.value = (await (await loadUserPool()).forgotPassword(email)) ?? null
    })
  }

  /** Sets a new password with the reset code. */
  function confirmForgotPassword(email: string, code: string, newPassword: string): Promise<boolean> {
    return run(async () => (await loadUserPool()).confirmForgotPassword(email, code.trim(), newPassword))
  }

  /** Changes the signed-in rider's password. */
  function changePassword(currentPassword: string, newPassword: string): Promise<boolean> {
    return run(async () => (await loadUserPool()).changePassword(currentPassword, newPassword), {
      NotAuthorizedException: "Your current password isn't right.",
    })
  }

  /** Deletes the rider's account (and, through `onDeletingUser` listeners, their photos), then resets every store. */
  async function deleteAccount(): Promise<boolean> {
    const succeeded = await run(async () => (await loadUserPool()).deleteUser())
    if (succeeded) $reset()
    return succeeded
  }

  /** The restore under way, which later callers join rather than reading the stored session twice. */
  let restoring: Promise<boolean> | undefined

  async function restoreStoredSession(): Promise<boolean> {
    if (!hasStoredSession()) {
      isRestored.value = true
      return true
    }
    const succeeded = await run(async () => {
      claims.value = await (await loadUserPool()).getCurrentSession()
    })
    isRestored.value = true
    return succeeded
  }

  /**
   * Picks up the session stored on this device, refreshing expired tokens. Runs once (concurrent calls share it); the
   * router awaits it before a route whose guard needs it, and runs it after the first paint of a public page. Without
   * stored tokens it resolves at once, without loading the user-pool code.
   */
  function restore(): Promise<boolean> {
    if (isRestored.value) return Promise.resolve(true)
    restoring ??= restoreStoredSession().finally(() => {
      restoring = undefined
    })
    return restoring
  }

  /** Re-reads the claims after an attribute change (a new `picture`, a verified email). */
  function refresh(): Promise<boolean> {
    return run(async () => {
      claims.value = await (await loadUserPool()).refreshSession()
    })
  }

  /** An ID token valid for at least five minutes, for the identity pool's `logins` (PITFALLS 5). */
  async function getIdToken(): Promise<string> {
    return (await loadUserPool()).getFreshIdToken()
  }

  /**
   * Forgets the signed-in rider and every pending step. Stores holding a rider's data watch {@link claims} and reset
   * themselves when it becomes null, so signing out here resets every store.
   */
  function $reset(): void {
    claims.value = null
    isRestored.value = false
    newPasswordStep.value = null
    emailAwaitingConfirmation.value = null
    lastCodeDelivery.value = null
    resetActionState()
  }

  return {
    claims,
    isRestored,
    newPasswordStep,
    emailAwaitingConfirmation,
    lastCodeDelivery,
    isPending,
    error,
    isSignedIn,
    isLikelySignedIn,
    signUp,
    confirmSignUp,
    resendSignUpCode,
    signIn,
    completeNewPassword,
    signOut,
    signOutEverywhere,
    forgotPassword,
    confirmForgotPassword,
    changePassword,
    deleteAccount,
    restore,
    refresh,
    getIdToken,
    $reset,
  }
})

if (import.meta.hot) {
  import.meta.hot.accept(acceptHMRUpdate(useSessionStore, import.meta.hot))
}
