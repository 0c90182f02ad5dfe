// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DeleteWebAuthnCredential.html
import type { DeleteWebAuthnCredentialCommandInput, DeleteWebAuthnCredentialCommandOutput } from '@aws-sdk/client-cognito-identity-provider'
import type { JsonOperation } from '../../context.ts'
import { AwsError } from '../../errors.ts'
import { requiredString } from '../../protocol/jsonInput.ts'
import { ACCESS_TOKEN } from '../memberRules.ts'
import { removePasskey } from '../passkeys.ts'
import type { AccessTokenCheck } from '../tokens.ts'

/** Removes one of the signed-in user's passkeys: it signs nobody in from then on. ResourceNotFoundException if not theirs. */
export function createDeleteWebAuthnCredential({ authenticate }: { authenticate: AccessTokenCheck }): JsonOperation<DeleteWebAuthnCredentialCommandInput, DeleteWebAuthnCredentialCommandOutput> {
  return async (input) => {
    const { store, user } = await authenticate(requiredString(input, 'AccessToken', ACCESS_TOKEN))
    const credentialId = requiredString(input, 'CredentialId')
    store.update((draft) => {
      if (!removePasskey(draft.users[user.username]!, credentialId)) throw new AwsError('ResourceNotFoundException', 'Credential not found.')
    })
    return {}
  }
}
