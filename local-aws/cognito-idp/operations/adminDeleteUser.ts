// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminDeleteUser.html
import type { AdminDeleteUserCommandInput, AdminDeleteUserCommandOutput } from '@aws-sdk/client-cognito-identity-provider'
import type { JsonOperation } from '../../context.ts'
import { authorizedPool, namedUser, type AdminServices } from '../admin.ts'
import { deleteStoredUser } from '../users.ts'

/** Deletes a user as an administrator, with their codes and sessions: their tokens stop working at once. */
export function createAdminDeleteUser(services: AdminServices): JsonOperation<AdminDeleteUserCommandInput, AdminDeleteUserCommandOutput> {
  return async (input, request) => {
    const store = await authorizedPool(services, input, request, 'AdminDeleteUser')
    const user = namedUser(store, input)
    store.update((draft) => deleteStoredUser(draft, user.username))
    return {}
  }
}
