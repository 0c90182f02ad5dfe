import { computed, ref } from 'vue'
import { acceptHMRUpdate, defineStore } from 'pinia'
import { currentClaims, hasStoredTokens, refreshSession } from '@/lib/aws/tokens'
import { loadUserPool } from '@/lib/aws/userPoolLoader'
import { useActions } from '@/composables/useAction'
import { forgetRiders, remember } from '@/lib/riderMemory'
import { forgetIdentityId } from '@/lib/aws/identityIdCache'
import type { IdTokenClaims } from '@/lib/aws/claims'
import type { CodeDelivery, SignUpDetails } from '@/lib/aws/userPool'
import type { IdentityProof } from '@/lib/identityCheck'

/** The photo's write side loads only to delete the photos with the account (or with the photo section). */
const loadPhotoWrites = () => import('@/lib/photo/photoWrites')
const loadPhotoErrors = () => import('@/lib/photo/photoErrors')
const loadIdentityCheck = () => import('@/lib/identityCheck')

/** A rider created by an administrator signs in with a temporary password and must choose their own. */
export interface NewPasswordStep {
  email: string
  /** Attributes the pool still needs, e.g. `['name']`. */
  requiredAttributes: string[]
}

/**
 * A rider with two-step sign-in gave the right password; a code finishes the sign-in: the one their authenticator app
 * shows, or, when `textedTo` is set, the one Cognito texted them.
 */
export interface CodeStep {
  email: string
  /** The name the rider gave their authenticator when they set it up, if any. */
  authenticatorName?: string
  /** The masked phone number the code was texted to (SMS_MFA), e.g. `+*******1234`. */
  textedTo?: string
}


/** The signed-in rider's session and every step of getting one: sign-up, confirmation, sign-in, password resets. */
export const useSessionStore = defineStore('session', () => {
  /** The signed-in rider's ID token claims (email, phone_number, name, picture…); null when signed out. */
  const claims = ref<IdTokenClaims | null>(null)
  /** Whether the stored session was looked at (before the first route resolves). */
  const isRestored = ref(false)
  /** Sign-in answered NEW_PASSWORD_REQUIRED: {@link completeNewPassword} finishes it. */
  const newPasswordStep = ref<NewPasswordStep | null>(null)
  /** Sign-in answered SOFTWARE_TOKEN_MFA or SMS_MFA: {@link sendSignInCode} finishes it. */
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

  /** The photo's error words, loaded with the account's deletion. */
  let photoErrors: Awaited<ReturnType<typeof loadPhotoErrors>> | undefined
  let identityCheck: Awaited<ReturnType<typeof loadIdentityCheck>> | undefined
  const actions = useActions(
    {
      /** Creates an account; on success a code is on its way to `details.email`. */
      signUp: async (details: SignUpDetails) => {
        const outcome = await (await loadUserPool()).signUp(details)
        lastCodeDelivery.value = outcome.codeDelivery ?? null
        emailAwaitingConfirmation.value = outcome.isConfirmed ? null : details.email
        heldPassword = outcome.isConfirmed ? undefined : { email: details.email, password: details.password }
      },
      /** Confirms the account with its sign-up code (see {@link confirmSignUp}). */
      confirmSignUp: async (email: string, code: string) => {
        await (await loadUserPool()).confirmSignUp(email, code.trim())
        emailAwaitingConfirmation.value = null
      },
      /** Sends a new sign-up code. */
      resendSignUpCode: async (email: string) => {
        lastCodeDelivery.value = (await (await loadUserPool()).resendSignUpCode(email)) ?? null
        emailAwaitingConfirmation.value = email
      },
      /**
       * Signs in. Resolves true when signed in, or when a further step is needed ({@link newPasswordStep} or
       * {@link codeStep} is then set). An unconfirmed rider gets `error.code === 'UserNotConfirmedException'` and
       * {@link emailAwaitingConfirmation}.
       */
      signIn: async (email: string, password: string) => {
        newPasswordStep.value = null
        codeStep.value = null
        try {
          const outcome = await (await loadUserPool()).signIn(email, password)
          if (outcome.kind === 'signedIn') signedIn(outcome.claims)
          else if (outcome.kind === 'codeRequired') {
            const { kind: _kind, ...factor } = outcome
            codeStep.value = { email, ...factor }
          }
          else newPasswordStep.value = { email, requiredAttributes: outcome.requiredAttributes }
        } catch (caught) {
          if ((caught as { code?: string }).code === 'UserNotConfirmedException') {
            emailAwaitingConfirmation.value = email
            heldPassword = { email, password }
          }
          throw caught
        }
      },
      /**
       * Signs in with a passkey (lib/aws/passkeys.ts, loaded only now): the tokens become the rider's session like a
       * password's. A passkey Cognito refuses was most likely removed from the account.
       */
      signInWithPasskey: {
        run: async (email: string) => {
          newPasswordStep.value = null
          codeStep.value = null
          signedIn(await (await import('@/lib/aws/passkeys')).signInWithPasskey(email))
        },
        messages: { NotAuthorizedException: "That passkey isn't on your account any more. Sign in with your password, or use another passkey." },
      },
      /** Answers the new-password step with the rider's own password (and any attributes it asked for). */
      completeNewPassword: async (newPassword: string, requiredAttributes: Record<string, string> = {}) => {
        signedIn(await (await loadUserPool()).completeNewPassword(newPassword, requiredAttributes))
        newPasswordStep.value = null
      },
      /**
       * Answers the code step ({@link codeStep}) with the code the rider's authenticator app shows or the texted code;
       * spaces are ignored.
       * A wrong or already used code leaves the step open for another try; after three minutes the step has expired
       * (`error.code === 'ChallengeExpired'`) and only `signIn` starts a new one. The step stays until sign-out or the
       * next sign-in: the view it belongs to moves on once signed in (the step must still be there to say so).
       */
      sendSignInCode: async (code: string) => {
        const codeClaims = await (await loadUserPool()).sendSignInCode(code.replace(/\s/g, ''))
        // Sign-in names the authenticator (the challenge's FRIENDLY_DEVICE_NAME); the profile then calls it the same.
        if (codeStep.value?.authenticatorName) remember('authenticator-name', codeClaims.sub, codeStep.value.authenticatorName)
        signedIn(codeClaims)
      },
      /** Signs out on this device (the refresh token is revoked) and resets every store. */
      signOut: { run: async () => (await loadUserPool()).signOut(), onSuccess: () => $reset() },
      /** Signs out on every device (GlobalSignOut), then resets every store. */
      signOutEverywhere: { run: async () => (await loadUserPool()).globalSignOut(), onSuccess: () => $reset() },
      /** Sends a password-reset code to `email`. */
      forgotPassword: async (email: string) => {
        lastCodeDelivery.value = (await (await loadUserPool()).forgotPassword(email)) ?? null
      },
      /** Sets a new password with the reset code. */
      confirmForgotPassword: async (email: string, code: string, newPassword: string) =>
        (await loadUserPool()).confirmForgotPassword(email, code.trim(), newPassword),
      /** Changes the signed-in rider's password. */
      changePassword: {
        run: async (currentPassword: string, newPassword: string) => (await loadUserPool()).changePassword(currentPassword, newPassword),
        messages: { NotAuthorizedException: "Your current password isn't right." },
        onSessionEnded: () => endSession({ hasUnsavedChange: true }),
      },
      /**
       * Checks it is the rider (their password, and the authenticator code when two-step sign-in is on), then deletes
       * their photos, then their account, then resets every store.
       */
      deleteAccount: {
        run: async (proof: IdentityProof) => {
          const [photoWrites, errors, check, userPool] = await Promise.all([loadPhotoWrites(), loadPhotoErrors(), loadIdentityCheck(), loadUserPool()])
          photoErrors = errors
          identityCheck = check
          await userPool.confirmIdentity(proof)
          // The photos go first, while the rider can still get the credentials that may delete them.
          await photoWrites.deleteRiderPhotos()
          await userPool.deleteUser()
        },
        // A refused identity check in its own words; S3's errors, which the photos' deletion can meet, named with the photo's.
        describe: (caught) => identityCheck?.describeCheckedChangeError(caught, photoErrors?.describeDeletionError),
        onSuccess: () => $reset(),
      },
      /**
       * Picks up the session stored on this device (tokens.ts: valid stored tokens need no call, expired ones are
       * refreshed; neither loads the user-pool library). Without stored tokens it resolves at once.
       */
      restore: async () => {
        const restored = hasStoredTokens() ? await currentClaims() : null
        if (restored) signedIn(restored)
        else claims.value = null
      },
      /** Re-reads the claims after an attribute change (a new `picture`, a verified email). */
      refresh: async () => {
        claims.value = await refreshSession()
      },
    },
    { onSessionEnded: () => endSession() },
  )

  /**
   * Confirms the account with its sign-up code. When this tab holds the password the rider signed up (or tried to sign
   * in) with, it then signs them in: {@link isSignedIn} says whether that worked; either way the password is gone.
   */
  async function confirmSignUp(email: string, code: string): Promise<boolean> {
    if (!(await actions.run.confirmSignUp(email, code))) return false
    const held = heldPassword?.email === email ? heldPassword : undefined
    dropHeldPassword()
    // A failed sign-in here is not the confirmation's failure: the rider signs in on the sign-in page instead.
    if (held) await actions.run.signIn(held.email, held.password)
    return true
  }

  /** Forgets the password held for the confirmation flow (the rider left it). */
  function dropHeldPassword(): void {
    heldPassword = undefined
  }

  /** Leaves the code step for the password form. */
  async function cancelCodeStep(): Promise<void> {
    codeStep.value = null
    ;(await loadUserPool()).abandonSignInChallenge()
  }

  /** The restore under way, which later callers join rather than reading the stored session twice. */
  let pendingRestore: Promise<boolean> | undefined

  /**
   * Picks up the session stored on this device, once (concurrent calls share it); the router awaits it before a route
   * whose guard needs it, and runs it after the first paint of a public page.
   */
  function restore(): Promise<boolean> {
    if (isRestored.value) return Promise.resolve(true)
    pendingRestore ??= actions.run
      .restore()
      .then((succeeded) => {
        isRestored.value = true
        return succeeded
      })
      .finally(() => {
        pendingRestore = undefined
      })
    return pendingRestore
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
    // The identity id the credential provider cached for this rider (IndexedDB): a signed-out device keeps nothing.
    if (claims.value) void forgetIdentityId(claims.value.sub)
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
    /** Each form's own action: its pending flag and error. */
    actionState: actions.state,
    isSignedIn,
    ...actions.run,
    confirmSignUp,
    dropHeldPassword,
    cancelCodeStep,
    restore,
    endSession,
    $reset,
  }
})

if (import.meta.hot) {
  import.meta.hot.accept(acceptHMRUpdate(useSessionStore, import.meta.hot))
}
