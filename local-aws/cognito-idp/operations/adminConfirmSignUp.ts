// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminConfirmSignUp.html
import type { AdminConfirmSignUpCommandInput, AdminConfirmSignUpCommandOutput } from '@aws-sdk/client-cognito-identity-provider'
import type { Clock } from '../../clock.ts'
import type { JsonOperation } from '../../context.ts'
import { notAuthorized } from '../../errors.ts'
import { authorizedPool, namedUser, type AdminServices } from '../admin.ts'

/**
 * Confirms a signed-up user without their code, as an administrator. Unlike ConfirmSignUp it verifies no attribute:
 * the email stays unverified until a code says otherwise.
 */
export function createAdminConfirmSignUp(services: AdminServices & { clock: Clock }): JsonOperation<AdminConfirmSignUpCommandInput, AdminConfirmSignUpCommandOutput> {
  return async (input, request) => {
    const store = await authorizedPool(services, input, request, 'AdminConfirmSignUp')
    const user = namedUser(store, input)
    if (user.status !== 'UNCONFIRMED') throw notAuthorized(`User cannot be confirmed. Current status is ${user.status}`)
    const now = services.clock.now()
    store.update((draft) => {
      const confirming = draft.users[user.username]!
      confirming.status = 'CONFIRMED'
      confirming.updatedAt = now
      delete confirming.codes['sign-up']
    })
    return {}
  }
}
