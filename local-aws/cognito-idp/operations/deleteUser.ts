// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DeleteUser.html
import type { DeleteUserCommandInput, DeleteUserCommandOutput } from '@aws-sdk/client-cognito-identity-provider'
import type { JsonOperation } from '../../context.ts'
import { requiredString } from '../../protocol/jsonInput.ts'
import { ACCESS_TOKEN } from '../memberRules.ts'
import type { AccessTokenCheck } from '../tokens.ts'
import { deleteStoredUser } from '../users.ts'

/** Deletes the signed-in user with their codes and sessions; their tokens stop working at once. */
export function createDeleteUser({ authenticate }: { authenticate: AccessTokenCheck }): JsonOperation<DeleteUserCommandInput, DeleteUserCommandOutput> {
  return async (input) => {
    const { store, user } = await authenticate(requiredString(input, 'AccessToken', ACCESS_TOKEN))
    store.update((draft) => deleteStoredUser(draft, user.username))
    return {}
  }
}
