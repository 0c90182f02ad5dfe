// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GlobalSignOut.html
import type { GlobalSignOutCommandInput, GlobalSignOutCommandOutput } from '@aws-sdk/client-cognito-identity-provider'
import type { JsonOperation } from '../../context.ts'
import { requiredString } from '../../protocol/jsonInput.ts'
import { ACCESS_TOKEN } from '../memberRules.ts'
import { revokeSessionsOf, type AccessTokenCheck } from '../tokens.ts'

/** Ends every session of the signed-in user, on every device: their refresh and access tokens stop working. */
export function createGlobalSignOut({ authenticate }: { authenticate: AccessTokenCheck }): JsonOperation<GlobalSignOutCommandInput, GlobalSignOutCommandOutput> {
  return async (input) => {
    const { store, user } = await authenticate(requiredString(input, 'AccessToken', ACCESS_TOKEN))
    store.update((draft) => revokeSessionsOf(draft, user.username))
    return {}
  }
}
