import { computed, ref } from 'vue'
import { acceptHMRUpdate, defineStore } from 'pinia'
import { hasStoredSession } from '@/lib/aws/libraryStorage'
import { currentClaims } from '@/lib/aws/storedSession'
import { useActions } from '@/composables/useAction'
import { forgetRiders } from '@/lib/riderMemory'
import type { IdTokenClaims } from '@/lib/aws/claims'
import type { CodeDelivery, SignUpDetails } from '@/lib/aws/userPool'

/** The user-pool code (~27 KiB gzipped) loads on the first account action, not with the landing page. */
const loadUserPool = () => import('@/lib/aws/userPool')
/** The photo code loads only to delete the photos with the account (or with the photo section). */
const loadPhotoService = () => import('@/lib/photo/photoService')

/** A rider created by an administrator signs in with a temporary password and must choose their own. */
export interface NewPasswordStep {
  email: string
  /** Attributes the pool still needs, e.g. `['name']`. */
  requiredAttributes: string[]
}

/** A rider with two-step sign-in gave the right password; the code of their authenticator app finishes the sign-in. */
export interface CodeStep {
  email: string
  /** The name the rider gave their authenticator when they set it up, if any. */
  authenticatorName?: string
}


/** The signed-in rider's session and every step of getting one: sign-up, confirmation, sign-in, password resets. */
export const useSessionStore = defineStore('session', () => {
  const actions = useActions({ onSessionEnded: () => endSession() })

  /** The signed-in rider's ID token claims (email, phone_number, name, picture…); null when signed out. */
  const claims = ref<IdTokenClaims | null>(null)
  /** Whether the stored session was looked at (before the first route resolves). */
  const isRestored = ref(false)
  /** Sign-in answered NEW_PASSWORD_REQUIRED: {@link completeNewPassword} finishes it. */
  const newPasswordStep = ref<NewPasswordStep | null>(null)
  /** Sign-in answered SOFTWARE_TOKEN_MFA: {@link sendSignInCode} finishes it. */
  const codeStep = ref<CodeStep | null>(null)
  /** The email of an account waiting for its sign-up code (after sign-up, or when sign-in met an unconfirmed rider). */
  const emailAwaitingConfirmation = ref<string | null>(null)
  /** Where the last code was sent, to tell the rider where to look. */
  const lastCodeDelivery = ref<CodeDelivery | null>(null)
  /**
   * A call found the rider's session over (revoked elsewhere, expired, refused) and {@link endSession} forgot it: the
   * app sends the rider to sign in again, with a notice. Cleared by the next sign-in.
   */
  const hasSessionEnded = ref(false)
  /** The session ended under a change the rider was saving (a password, a detail, a photo): it was not saved. */
  const hasUnsavedChange = ref(false)

  /** A rider is signed in. */
  const isSignedIn = computed(() => claims.value !== null)
  /**
   * What the header and landing page go by: {@link isSignedIn} once the session is restored; until then, whether this
   * device stores a rider's tokens (public pages show before the restore, which needs the user-pool code).
   */
  const isLikelySignedIn = computed(() => isSignedIn.value || (!isRestored.value && hasStoredSession()))

  function signedIn(signedInClaims: IdTokenClaims): void {
    claims.value = signedInClaims
    hasSessionEnded.value = false
    hasUnsavedChange.value = false
  }

  /**
   * The password the rider typed to sign up (or to sign in before confirming), so that confirming the account in this
   * tab signs them in directly. Held in this closure only: never in state, storage or devtools; dropped when the
   * confirmation flow ends ({@link dropHeldPassword}).
   */
  let heldPassword: { email: string; password: string } | undefined

  const signingUp = actions.defineAction(async (details: SignUpDetails) => {
    const outcome = await (await loadUserPool()).signUp(details)
    lastCodeDelivery.value = outcome.codeDelivery ?? null
    emailAwaitingConfirmation.value = outcome.isConfirmed ? null : details.email
    heldPassword = outcome.isConfirmed ? undefined : { email: details.email, password: details.password }
  })

  const confirmingSignUp = actions.defineAction(async (email: string, code: string) => {
    await (await loadUserPool()).confirmSignUp(email, code.trim())
    emailAwaitingConfirmation.value = null
  })

  const resendingSignUpCode = actions.defineAction(async (email: string) => {
    lastCodeDelivery.value = (await (await loadUserPool()).resendSignUpCode(email)) ?? null
    emailAwaitingConfirmation.value = email
  })

  const signingIn = actions.defineAction(async (email: string, password: string) => {
    newPasswordStep.value = null
    codeStep.value = null
    try {
      const outcome = await (await loadUserPool()).signIn(email, password)
      if (outcome.kind === 'signedIn') signedIn(outcome.claims)
      else if (outcome.kind === 'codeRequired') codeStep.value = { email, ...(outcome.authenticatorName ? { authenticatorName: outcome.authenticatorName } : {}) }
      else newPasswordStep.value = { email, requiredAttributes: outcome.requiredAttributes }
    } catch (caught) {
      if ((caught as { code?: string }).code === 'UserNotConfirmedException') {
        emailAwaitingConfirmation.value = email
        heldPassword = { email, password }
      }
      throw caught
    }
  })

  const completingNewPassword = actions.defineAction(async (newPassword: string, requiredAttributes: Record<string, string>) => {
    signedIn(await (await loadUserPool()).completeNewPassword(newPassword, requiredAttributes))
    newPasswordStep.value = null
  })

  // The step stays until sign-out or the next sign-in: the view it belongs to moves on once signed in (the step must
  // still be there to say so), and a signed-in rider never sees the sign-in page.
  const sendingSignInCode = actions.defineAction(async (code: string) => {
    signedIn(await (await loadUserPool()).sendSignInCode(code.replace(/\s/g, '')))
  })

  const signingOut = actions.defineAction(async () => (await loadUserPool()).signOut())
  const signingOutEverywhere = actions.defineAction(async () => (await loadUserPool()).globalSignOut())

  const requestingPasswordReset = actions.defineAction(async (email: string) => {
    lastCodeDelivery.value = (await (await loadUserPool()).forgotPassword(email)) ?? null
  })

  const resettingPassword = actions.defineAction(async (email: string, code: string, newPassword: string) =>
    (await loadUserPool()).confirmForgotPassword(email, code.trim(), newPassword),
  )

  const changingPassword = actions.defineAction(
    async (currentPassword: string, newPassword: string) => (await loadUserPool()).changePassword(currentPassword, newPassword),
    { messages: { NotAuthorizedException: "Your current password isn't right." }, onSessionEnded: () => endSession({ hasUnsavedChange: true }) },
  )

  /** The photo code once the deletion loaded it: S3's errors are named there. */
  let photoService: Awaited<ReturnType<typeof loadPhotoService>> | undefined
  const deletingAccount = actions.defineAction(
    async () => {
      photoService = await loadPhotoService()
      // The photos go first, while the rider can still get the credentials that may delete them.
      await photoService.deleteRiderPhotos()
      await (await loadUserPool()).deleteUser()
    },
    { describe: (caught) => photoService?.describeDeletionError(caught) },
  )

  const restoring = actions.defineAction(async () => {
    // Valid stored tokens need no library (and no call): what getSession() would return, read directly.
    // docs/aws-behaviour.md#the-stored-session-read-without-the-library
    const restored = await currentClaims()
    if (restored) signedIn(restored)
    else claims.value = null
  })

  const refreshing = actions.defineAction(async () => {
    claims.value = await (await loadUserPool()).refreshSession()
  })

  /** Creates an account; on success a code is on its way to `details.email`. */
  function signUp(details: SignUpDetails): Promise<boolean> {
    return signingUp.run(details)
  }

  /**
   * Confirms the account with its sign-up code. When this tab holds the password the rider signed up (or tried to
   * sign in) with, it then signs them in: {@link isSignedIn} says whether that worked; either way the password is gone.
   */
  async function confirmSignUp(email: string, code: string): Promise<boolean> {
    if (!(await confirmingSignUp.run(email, code))) return false
    const held = heldPassword?.email === email ? heldPassword : undefined
    dropHeldPassword()
    // A failed sign-in here is not the confirmation's failure: the rider signs in on the sign-in page instead.
    if (held) await signingIn.run(held.email, held.password)
    return true
  }

  /** Forgets the password held for the confirmation flow (the rider left it). */
  function dropHeldPassword(): void {
    heldPassword = undefined
  }

  /** Sends a new sign-up code. */
  function resendSignUpCode(email: string): Promise<boolean> {
    return resendingSignUpCode.run(email)
  }

  /**
   * Signs in. Resolves true when signed in, or when a new password is required ({@link newPasswordStep} is then set).
   * An unconfirmed rider gets `error.code === 'UserNotConfirmedException'` and {@link emailAwaitingConfirmation}.
   */
  function signIn(email: string, password: string): Promise<boolean> {
    return signingIn.run(email, password)
  }

  /**
   * Answers the code step ({@link codeStep}) with the code the rider's authenticator app shows; spaces are ignored. A
   * wrong or already used code leaves the step open for another try; after three minutes the step has expired
   * (`error.code === 'ChallengeExpired'`) and only {@link signIn} starts a new one.
   */
  function sendSignInCode(code: string): Promise<boolean> {
    return sendingSignInCode.run(code)
  }

  /** Leaves the code step for the password form. */
  async function cancelCodeStep(): Promise<void> {
    codeStep.value = null
    ;(await loadUserPool()).abandonSignInChallenge()
  }

  /** Answers the new-password step with the rider's own password (and any attributes it asked for). */
  function completeNewPassword(newPassword: string, requiredAttributes: Record<string, string> = {}): Promise<boolean> {
    return completingNewPassword.run(newPassword, requiredAttributes)
  }

  /** Signs out on this device (the refresh token is revoked) and resets every store. */
  async function signOut(): Promise<boolean> {
    const succeeded = await signingOut.run()
    if (succeeded) $reset()
    return succeeded
  }

  /** Signs out on every device (GlobalSignOut), then resets every store. */
  async function signOutEverywhere(): Promise<boolean> {
    const succeeded = await signingOutEverywhere.run()
    if (succeeded) $reset()
    return succeeded
  }

  /** Sends a password-reset code to `email`. */
  function forgotPassword(email: string): Promise<boolean> {
    return requestingPasswordReset.run(email)
  }

  /** Sets a new password with the reset code. */
  function confirmForgotPassword(email: string, code: string, newPassword: string): Promise<boolean> {
    return resettingPassword.run(email, code, newPassword)
  }

  /** Changes the signed-in rider's password. */
  function changePassword(currentPassword: string, newPassword: string): Promise<boolean> {
    return changingPassword.run(currentPassword, newPassword)
  }

  /** Deletes the rider's photos, then their account, then resets every store. */
  async function deleteAccount(): Promise<boolean> {
    const succeeded = await deletingAccount.run()
    if (succeeded) $reset()
    return succeeded
  }

  /** The restore under way, which later callers join rather than reading the stored session twice. */
  let pendingRestore: Promise<boolean> | undefined

  async function restoreStoredSession(): Promise<boolean> {
    if (!hasStoredSession()) {
      isRestored.value = true
      return true
    }
    const succeeded = await restoring.run()
    isRestored.value = true
    return succeeded
  }

  /**
   * Picks up the session stored on this device, refreshing expired tokens. Runs once (concurrent calls share it); the
   * router awaits it before a route whose guard needs it, and runs it after the first paint of a public page. Without
   * stored tokens, or with tokens still valid, it resolves at once, without loading the user-pool code.
   */
  function restore(): Promise<boolean> {
    if (isRestored.value) return Promise.resolve(true)
    pendingRestore ??= restoreStoredSession().finally(() => {
      pendingRestore = undefined
    })
    return pendingRestore
  }

  /** Re-reads the claims after an attribute change (a new `picture`, a verified email). */
  function refresh(): Promise<boolean> {
    return refreshing.run()
  }

  /**
   * The one place an ended session is handled, whichever call found it (every action of every store, the photo's
   * too): forgets the stored tokens and the rider, and raises {@link hasSessionEnded}. The failed action keeps its
   * error, so the form says why. An action that was saving a change says so (`hasUnsavedChange`), so that sign-in
   * tells the rider it was not saved. docs/architecture.md#action-state-and-the-ended-session
   */
  async function endSession({ hasUnsavedChange: isChangeLost = false }: { hasUnsavedChange?: boolean } = {}): Promise<void> {
    if (isChangeLost) hasUnsavedChange.value = true
    if (hasSessionEnded.value) return
    await (await loadUserPool()).signOut()
    forgetRider()
    hasSessionEnded.value = true
  }

  /**
   * Forgets the signed-in rider and every pending step. Stores holding a rider's data watch {@link claims} and reset
   * themselves when it becomes null, so this resets every store.
   */
  function forgetRider(): void {
    dropHeldPassword()
    claims.value = null
    isRestored.value = false
    newPasswordStep.value = null
    codeStep.value = null
    emailAwaitingConfirmation.value = null
    lastCodeDelivery.value = null
    // What the device remembered to show sooner (a signed photo URL, how the phone number is written) serves only the
    // rider it was for, and only while they stay signed in.
    forgetRiders()
  }

  /** Signed out: forgets the rider and every action's state. */
  function $reset(): void {
    forgetRider()
    actions.reset()
    hasSessionEnded.value = false
    hasUnsavedChange.value = false
  }

  return {
    claims,
    isRestored,
    newPasswordStep,
    codeStep,
    emailAwaitingConfirmation,
    lastCodeDelivery,
    hasSessionEnded,
    hasUnsavedChange,
    isPending: actions.isPending,
    error: actions.error,
    /** Each form's own action: its pending flag and error. */
    actionState: {
      signUp: signingUp.state,
      confirmSignUp: confirmingSignUp.state,
      resendSignUpCode: resendingSignUpCode.state,
      signIn: signingIn.state,
      completeNewPassword: completingNewPassword.state,
      sendSignInCode: sendingSignInCode.state,
      signOut: signingOut.state,
      signOutEverywhere: signingOutEverywhere.state,
      forgotPassword: requestingPasswordReset.state,
      confirmForgotPassword: resettingPassword.state,
      changePassword: changingPassword.state,
      deleteAccount: deletingAccount.state,
    },
    isSignedIn,
    isLikelySignedIn,
    signUp,
    confirmSignUp,
    dropHeldPassword,
    resendSignUpCode,
    signIn,
    completeNewPassword,
    sendSignInCode,
    cancelCodeStep,
    signOut,
    signOutEverywhere,
    forgotPassword,
    confirmForgotPassword,
    changePassword,
    deleteAccount,
    restore,
    refresh,
    endSession,
    $reset,
  }
})

if (import.meta.hot) {
  import.meta.hot.accept(acceptHMRUpdate(useSessionStore, import.meta.hot))
}
