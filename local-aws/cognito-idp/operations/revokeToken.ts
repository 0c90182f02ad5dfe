// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RevokeToken.html
import type { RevokeTokenCommandInput, RevokeTokenCommandOutput } from '@aws-sdk/client-cognito-identity-provider'
import { AwsError } from '../../errors.ts'
import type { JsonOperation } from '../../context.ts'
import { requiredString } from '../../protocol/jsonInput.ts'
import { CLIENT_ID } from '../memberRules.ts'
import { findSessionByRefreshToken } from '../tokens.ts'
import type { UserPoolDirectory } from '../users.ts'

/**
 * Revokes a refresh token and every access and ID token issued from it (amazon-cognito-identity-js's `signOut(cb)`).
 * A token that is not one of this client's live refresh tokens is answered with success, as OAuth revocation is.
 */
export function createRevokeToken({ directory }: { directory: UserPoolDirectory }): JsonOperation<RevokeTokenCommandInput, RevokeTokenCommandOutput> {
  return async (input) => {
    const token = requiredString(input, 'Token')
    const { client, store } = directory.forClient(requiredString(input, 'ClientId', CLIENT_ID))
    if (!client.enableTokenRevocation) throw new AwsError('UnsupportedOperationException', 'Token revocation is not enabled for this client.')
    // Access and ID tokens are JWTs; only refresh tokens can be revoked.
    if (token.split('.').length === 3) throw new AwsError('UnsupportedTokenTypeException', 'Only refresh tokens can be revoked.')
    const session = findSessionByRefreshToken(store.state, token)
    if (session && session.clientId === client.id && !session.revoked) {
      store.update((draft) => {
        draft.sessions[session.originJti]!.revoked = true
      })
    }
    return {}
  }
}
