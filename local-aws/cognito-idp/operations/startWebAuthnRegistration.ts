// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_StartWebAuthnRegistration.html
import type { StartWebAuthnRegistrationCommandInput, StartWebAuthnRegistrationCommandOutput } from '@aws-sdk/client-cognito-identity-provider'
import type { JsonOperation } from '../../context.ts'
import { requiredString } from '../../protocol/jsonInput.ts'
import { ACCESS_TOKEN } from '../memberRules.ts'
import type { PasskeyRegistrations } from '../passkeyRegistrations.ts'
import { passkeysOf } from '../passkeys.ts'
import type { AccessTokenCheck } from '../tokens.ts'
import type { StoredUser } from '../users.ts'
import { registrationOptions, type PasskeyUser } from '../webauthn.ts'

interface Services {
  authenticate: AccessTokenCheck
  registrations: PasskeyRegistrations
}

type CreationOptionsDocument = NonNullable<StartWebAuthnRegistrationCommandOutput['CredentialCreationOptions']>

/** The user as their passkey names them: the email (or username) they sign in with, and their name. */
function passkeyUserOf(user: StoredUser): PasskeyUser {
  const name = user.attributes.email ?? user.attributes.phone_number ?? user.username
  return { id: user.sub, name, displayName: user.attributes.name ?? name }
}

/**
 * The options for `navigator.credentials.create` (a JSON document, PublicKeyCredentialCreationOptionsJSON) for a new
 * passkey of the signed-in user, excluding the ones they have. Its challenge answers one CompleteWebAuthnRegistration.
 */
export function createStartWebAuthnRegistration({ authenticate, registrations }: Services): JsonOperation<StartWebAuthnRegistrationCommandInput, StartWebAuthnRegistrationCommandOutput> {
  return async (input) => {
    const { pool, client, user } = await authenticate(requiredString(input, 'AccessToken', ACCESS_TOKEN))
    const options = await registrationOptions(pool, passkeyUserOf(user), passkeysOf(user))
    registrations.start(pool.id, user.username, client.id, options.challenge)
    // A JSON document on the wire; the library's interface types lack the index signature the SDK's document type has.
    return { CredentialCreationOptions: options as unknown as CreationOptionsDocument }
  }
}
