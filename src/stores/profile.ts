import { computed, ref, watch } from 'vue'
import { acceptHMRUpdate, defineStore } from 'pinia'
import { attributesOf, type UserAttributes } from '@/lib/aws/claims'
import type { CodeDelivery, VerifiableAttributeName, WritableAttributeName } from '@/lib/aws/userPool'
import type { TwoStepSignIn } from '@/lib/aws/getUser'
import type { IdentityProof } from '@/lib/identityCheck'
import { loadUserPool } from '@/lib/aws/userPoolLoader'
import { useActions } from '@/composables/useAction'
import { AUTHENTICATOR_CODE_MESSAGES } from '@/lib/authenticatorCode'
import { forget, recall, remember } from '@/lib/riderMemory'
import { useSessionStore } from './session'

/** GetUser alone (~2 KiB): a visit of the profile needs nothing else of the user pool. */
const loadGetUser = () => import('@/lib/aws/getUser')
const loadIdentityCheck = () => import('@/lib/identityCheck')

/**
 * A changed email or phone number waiting for its code; until then the pool keeps the old value.
 * docs/aws-behaviour.md#email-changes-wait-for-verification
 */
export interface PendingVerification {
  attributeName: VerifiableAttributeName
  /** Where the code went, masked by Cognito (e.g. `r***@e***`). */
  destination: string
  /** The value that replaces the current one once verified, when this rider just asked for the change. */
  newValue?: string
  /** When the code was sent (epoch ms). */
  sentAt: number
}

function isVerifiable(attributeName: string): attributeName is VerifiableAttributeName {
  return attributeName === 'email' || attributeName === 'phone_number'
}

// Attribute verification codes expire after 24 hours; a pending step older than that has no code left to enter.
// https://docs.aws.amazon.com/cognito/latest/developerguide/signing-up-users-in-your-app.html
const CODE_LIFETIME_MS = 24 * 60 * 60 * 1000

function isPendingVerification(value: unknown): value is PendingVerification {
  const candidate = value as Partial<PendingVerification> | null
  return (
    typeof candidate?.attributeName === 'string' &&
    isVerifiable(candidate.attributeName) &&
    typeof candidate.destination === 'string' &&
    (candidate.newValue === undefined || typeof candidate.newValue === 'string') &&
    typeof candidate.sentAt === 'number'
  )
}

/**
 * The rider's pending steps saved by {@link savePendingVerifications}, without those whose code has expired. GetUser
 * does not return a pending value, so only this device remembers it, for every tab, until sign-out (riderMemory).
 * docs/aws-behaviour.md#email-changes-wait-for-verification
 */
function readPendingVerifications(sub: string, now: number): PendingVerification[] {
  const saved = recall('pending-verifications', sub)
  return Array.isArray(saved)
    ? saved.filter(isPendingVerification).filter((pending) => now - pending.sentAt < CODE_LIFETIME_MS)
    : []
}

function savePendingVerifications(sub: string, pendingVerifications: readonly PendingVerification[]): void {
  if (pendingVerifications.length === 0) forget('pending-verifications', sub)
  else remember('pending-verifications', sub, pendingVerifications)
}

/** Two-step sign-in as the profile shows it: on or off, and the authenticator's name when this visit set it up. */
interface TwoStepSignInState extends TwoStepSignIn {
  /**
   * Cognito keeps the name but no self-service call returns it: known from setting up, or from the sign-in challenge
   * (FRIENDLY_DEVICE_NAME), and remembered per rider on this device (riderMemory) so sign-in and profile say the same.
   */
  authenticatorName?: string
}

/** An authenticator app being set up: the secret it must be given, until a code from it turns two-step sign-in on. */
export interface AuthenticatorSetup {
  /** Base32. Held in memory only for the setup, never stored by the app. */
  secret: string
  /** What the QR code carries: `otpauth://totp/Wild%20Rydes:{email}?secret=…&issuer=Wild%20Rydes`. */
  uri: string
}

const ISSUER = 'Wild Rydes'

/**
 * The key URI authenticator apps scan: issuer and account in the label, the issuer again as a parameter, SHA-1, six
 * digits and 30 seconds being the defaults Cognito's codes use.
 * https://github.com/google/google-authenticator/wiki/Key-Uri-Format
 */
function otpauthUri(email: string, secret: string): string {
  return `otpauth://totp/${encodeURIComponent(ISSUER)}:${encodeURIComponent(email)}?secret=${secret}&issuer=${encodeURIComponent(ISSUER)}`
}


/** The signed-in rider's attributes and their changes, with the verification step for email and phone. */
export const useProfileStore = defineStore('profile', () => {
  const session = useSessionStore()

  /** What GetUser said, until the claims change again (they are then at least as new). */
  const fetchedAttributes = ref<UserAttributes | null>(null)
  /**
   * The signed URL of the photo the photo section last showed loaded, for the header's avatar; null when there is none (the
   * header then shows the initials: it never signs a URL itself, so other pages load no photo code).
   */
  const photoUrl = ref<string | null>(null)
  /** Changes waiting for a verification code; every tab of this device sees them until sign-out (riderMemory). */
  const pendingVerifications = ref<PendingVerification[]>([])
  /** The `sub` of the rider whose pending steps {@link pendingVerifications} holds and saves. */
  let pendingOwner: string | null = null
  /** Whether sign-in asks this rider for an authenticator code; null until {@link loadTwoStepSignIn} says. */
  const twoStepSignIn = ref<TwoStepSignInState | null>(null)
  /** The authenticator being set up, between {@link startAuthenticatorSetup} and {@link turnOnTwoStepSignIn}. */
  const authenticatorSetup = ref<AuthenticatorSetup | null>(null)

  function setPendingVerifications(pending: PendingVerification[]): void {
    pendingVerifications.value = pending
    if (pendingOwner !== null) savePendingVerifications(pendingOwner, pending)
  }

  /** The rider's attributes: from the ID token's claims at once (no request for the first paint), then from GetUser. */
  const attributes = computed<UserAttributes | null>(
    () => fetchedAttributes.value ?? (session.claims ? attributesOf(session.claims) : null),
  )

  function rememberPending(delivery: CodeDelivery, newValue?: string): void {
    if (!isVerifiable(delivery.attributeName)) return
    const attributeName = delivery.attributeName
    const previous = pendingVerifications.value.find((pending) => pending.attributeName === attributeName)
    const value = newValue ?? previous?.newValue
    setPendingVerifications([
      ...pendingVerifications.value.filter((pending) => pending.attributeName !== attributeName),
      { attributeName, destination: delivery.destination, ...(value === undefined ? {} : { newValue: value }), sentAt: Date.now() },
    ])
  }

  function forgetPending(attributeName: VerifiableAttributeName): void {
    setPendingVerifications(pendingVerifications.value.filter((pending) => pending.attributeName !== attributeName))
  }

  /** A change in flight when the session ends is lost: sign-in says so. */
  const unsavedOnSessionEnd = { onSessionEnded: () => session.endSession({ hasUnsavedChange: true }) }
  /** The identity check's words, loaded with the first change it may guard (an attribute change, turning two-step off). */
  let identityCheck: Awaited<ReturnType<typeof loadIdentityCheck>> | undefined

  const actions = useActions(
    {
      /**
       * Reads the attributes from the user pool (GetUser, one request with `loadTwoStepSignIn` when both ask at once);
       * until it answers, {@link attributes} come from the claims. When the `picture` or `name` differs from the claims
       * (changed on another device), the session is refreshed too, so the claims (the header's avatar and name, the
       * photo's key, the next first paint) catch up; new claims replace what GetUser said, being as recent.
       */
      load: async () => {
        const current = (await (await loadGetUser()).getUser()).attributes
        fetchedAttributes.value = current
        const claims = session.claims
        if (claims && (claims.picture !== current.picture || claims.name !== current.name)) await session.refresh()
      },
      /**
       * Saves attribute changes, e.g. `{ name: 'Ada' }` or `{ picture: key }`. A new email first needs the rider's proof
       * (their password, and the authenticator code when two-step sign-in is on): without it nothing is sent. The new
       * email is verified before it replaces the old one: it then appears in {@link pendingVerifications}. The session
       * is refreshed so the claims stay current.
       * @throws Error when `changes` has an email and no `proof` comes with it
       */
      updateAttributes: {
        run: async (changes: Partial<Record<WritableAttributeName, string>>, proof?: IdentityProof) => {
          if (changes.email !== undefined && !proof) throw new Error('Changing the email needs the identity check')
          const [userPool, check] = await Promise.all([loadUserPool(), loadIdentityCheck()])
          identityCheck = check
          if (proof) await userPool.confirmIdentity(proof)
          const deliveries = await userPool.updateUserAttributes(changes)
          for (const delivery of deliveries) {
            rememberPending(delivery, isVerifiable(delivery.attributeName) ? changes[delivery.attributeName] : undefined)
          }
          await session.refresh()
        },
        describe: (caught) => identityCheck?.describeCheckedChangeError(caught),
        ...unsavedOnSessionEnd,
      },
      /** Confirms a pending email or phone number with its code; the new value then replaces the old one. */
      verifyAttribute: {
        run: async (attributeName: VerifiableAttributeName, code: string) => {
          await (await loadUserPool()).verifyAttribute(attributeName, code.trim())
          forgetPending(attributeName)
          await session.refresh()
        },
        ...unsavedOnSessionEnd,
      },
      /** Sends a (new) verification code for an email or phone number. */
      resendAttributeCode: async (attributeName: VerifiableAttributeName) => {
        const delivery = await (await loadUserPool()).getAttributeVerificationCode(attributeName)
        rememberPending(delivery ?? { attributeName, medium: '', destination: '' })
      },
      /** Reads whether two-step sign-in is on (GetUser's MFA settings; one request with `load` when both ask at once). */
      loadTwoStepSignIn: async () => {
        const { isOn } = (await (await loadGetUser()).getUser()).twoStepSignIn
        const sub = session.claims?.sub
        const name = isOn && sub ? recall('authenticator-name', sub) : undefined
        twoStepSignIn.value = { isOn, ...(typeof name === 'string' ? { authenticatorName: name } : {}) }
      },
      /**
       * Starts setting up an authenticator app: {@link authenticatorSetup} then holds the secret and its `otpauth://`
       * URI. Two-step sign-in stays as it was until `turnOnTwoStepSignIn`.
       */
      startAuthenticatorSetup: async () => {
        const secret = await (await loadUserPool()).startAuthenticatorSetup()
        authenticatorSetup.value = { secret, uri: otpauthUri(attributes.value?.email ?? '', secret) }
      },
      /** Checks a code from the new authenticator and turns two-step sign-in on with it, under the name the rider gave it. */
      turnOnTwoStepSignIn: {
        run: async (code: string, authenticatorName: string) => {
          await (await loadUserPool()).turnOnTwoStepSignIn(code.replace(/\s/g, ''), authenticatorName)
          await (await import('@/lib/aws/passkeys')).keepPasskeysForSignIn()
          authenticatorSetup.value = null
          twoStepSignIn.value = { isOn: true, authenticatorName }
          if (session.claims) remember('authenticator-name', session.claims.sub, authenticatorName)
        },
        messages: AUTHENTICATOR_CODE_MESSAGES,
      },
      /**
       * Checks it is the rider (their password and an authenticator code), then turns two-step sign-in off: the
       * password alone signs the rider in again.
       */
      turnOffTwoStepSignIn: {
        run: async (proof: IdentityProof) => {
          const [userPool, check] = await Promise.all([loadUserPool(), loadIdentityCheck()])
          identityCheck = check
          await userPool.confirmIdentity(proof)
          await userPool.turnOffTwoStepSignIn()
          twoStepSignIn.value = { isOn: false }
          if (session.claims) forget('authenticator-name', session.claims.sub)
        },
        describe: (caught) => identityCheck?.describeCheckedChangeError(caught),
      },
    },
    { onSessionEnded: () => session.endSession() },
  )

  // Signed out: nothing of the rider stays. New claims: they are at least as recent as the last GetUser, and a newly
  // signed-in (or reloaded) rider gets back the steps this tab saved for them.
  watch(
    () => session.claims,
    (claims) => {
      if (claims === null) return $reset()
      fetchedAttributes.value = null
      if (claims.sub === pendingOwner) return
      pendingOwner = claims.sub
      pendingVerifications.value = readPendingVerifications(claims.sub, Date.now())
    },
    { flush: 'sync', immediate: true },
  )

  /**
   * Closes a verification step the rider gave up on. The pool still holds the unverified value and its code
   * (docs/aws-behaviour.md#email-changes-wait-for-verification); the current value stays in use.
   */
  function cancelVerification(attributeName: VerifiableAttributeName): void {
    forgetPending(attributeName)
  }

  /** Drops a setup the rider gave up on; nothing changed for sign-in. */
  function cancelAuthenticatorSetup(): void {
    authenticatorSetup.value = null
    actions.reset('turnOnTwoStepSignIn')
  }

  /** Forgets the rider's attributes and pending steps (sign-out resets every store). */
  function $reset(): void {
    fetchedAttributes.value = null
    twoStepSignIn.value = null
    authenticatorSetup.value = null
    photoUrl.value = null
    setPendingVerifications([])
    pendingOwner = null
    actions.reset()
  }

  return {
    photoUrl,
    pendingVerifications,
    twoStepSignIn,
    authenticatorSetup,
    /** Each form's own action: its pending flag and error. */
    actionState: actions.state,
    attributes,
    ...actions.run,
    cancelVerification,
    cancelAuthenticatorSetup,
    $reset,
  }
})

if (import.meta.hot) {
  import.meta.hot.accept(acceptHMRUpdate(useProfileStore, import.meta.hot))
}
