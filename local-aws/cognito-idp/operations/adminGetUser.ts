// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminGetUser.html
import type { AdminGetUserCommandInput, AdminGetUserCommandOutput } from '@aws-sdk/client-cognito-identity-provider'
import type { JsonOperation } from '../../context.ts'
import { adminUserView, authorizedPool, namedUser, type AdminServices } from '../admin.ts'

/** A user's status and every attribute, whatever the app client may read. */
export function createAdminGetUser(services: AdminServices): JsonOperation<AdminGetUserCommandInput, AdminGetUserCommandOutput> {
  return async (input, request) => {
    const store = await authorizedPool(services, input, request, 'AdminGetUser')
    const { Attributes, ...user } = adminUserView(namedUser(store, input))
    return { ...user, UserAttributes: Attributes }
  }
}
