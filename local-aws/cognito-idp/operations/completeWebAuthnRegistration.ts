// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CompleteWebAuthnRegistration.html
import type { CompleteWebAuthnRegistrationCommandInput, CompleteWebAuthnRegistrationCommandOutput } from '@aws-sdk/client-cognito-identity-provider'
import type { Clock } from '../../clock.ts'
import type { JsonOperation } from '../../context.ts'
import { invalidParameter } from '../../errors.ts'
import { requiredString } from '../../protocol/jsonInput.ts'
import { webAuthnChallengeNotFound, webAuthnClientMismatch, webAuthnCredentialNotSupported } from '../errors.ts'
import { ACCESS_TOKEN } from '../memberRules.ts'
import type { PasskeyRegistrations } from '../passkeyRegistrations.ts'
import { addPasskey, isCredentialRegistered } from '../passkeys.ts'
import type { AccessTokenCheck } from '../tokens.ts'
import { clientDataOf, parseRegistrationResponse, relyingPartyOf, verifyRegistration } from '../webauthn.ts'

interface Services {
  authenticate: AccessTokenCheck
  registrations: PasskeyRegistrations
  clock: Clock
}

/**
 * Stores the passkey the browser made (`Credential`, RegistrationResponseJSON) once it answers the user's open
 * registration through the same app client and passes the relying party's checks (local-aws/cognito-idp/webauthn.ts).
 */
export function createCompleteWebAuthnRegistration({ authenticate, registrations, clock }: Services): JsonOperation<CompleteWebAuthnRegistrationCommandInput, CompleteWebAuthnRegistrationCommandOutput> {
  return async (input) => {
    const { store, pool, client, user } = await authenticate(requiredString(input, 'AccessToken', ACCESS_TOKEN))
    if (input.Credential === undefined || input.Credential === null) {
      throw invalidParameter("1 validation error detected: Value null at 'credential' failed to satisfy constraint: Member must not be null")
    }
    const credential = parseRegistrationResponse(input.Credential)
    relyingPartyOf(pool)
    const { type, challenge } = clientDataOf(credential)
    if (type !== 'webauthn.create') throw invalidParameter(`Credential is for a ${type} ceremony, not webauthn.create`)
    const started = registrations.take(pool.id, user.username, challenge)
    if (!started) throw webAuthnChallengeNotFound()
    if (started.clientId !== client.id) throw webAuthnClientMismatch()
    const passkey = await verifyRegistration(pool, credential, challenge, clock.now())
    store.update((draft) => {
      // The options exclude the user's passkeys; an authenticator that ignores that, or another user's, is refused.
      if (isCredentialRegistered(draft.users, passkey.id)) throw webAuthnCredentialNotSupported('this passkey is registered already')
      addPasskey(draft.users[user.username]!, passkey)
    })
    return {}
  }
}
