// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DeleteUserAttributes.html
import type { DeleteUserAttributesCommandInput, DeleteUserAttributesCommandOutput } from '@aws-sdk/client-cognito-identity-provider'
import type { Clock } from '../../clock.ts'
import type { JsonOperation } from '../../context.ts'
import { checkAttributeDeletes, verifiedFlagOf } from '../attributes.ts'
import { requiredString, requiredStringList } from '../../protocol/jsonInput.ts'
import { ACCESS_TOKEN } from '../memberRules.ts'
import type { AccessTokenCheck } from '../tokens.ts'

/** Deletes optional attributes of the signed-in user, with any verification waiting for them. */
export function createDeleteUserAttributes({ authenticate, clock }: { authenticate: AccessTokenCheck; clock: Clock }): JsonOperation<DeleteUserAttributesCommandInput, DeleteUserAttributesCommandOutput> {
  return async (input) => {
    const accessToken = requiredString(input, 'AccessToken', ACCESS_TOKEN)
    const names = requiredStringList(input, 'UserAttributeNames')
    const { store, pool, client, user } = await authenticate(accessToken)
    checkAttributeDeletes(pool, client, names)
    const now = clock.now()
    store.update((draft) => {
      const updating = draft.users[user.username]!
      for (const name of names) {
        const flag = verifiedFlagOf(name)
        delete updating.attributes[name]
        delete updating.pendingAttributes[name]
        if (flag) delete updating.attributes[flag]
        delete updating.codes[`verify:${name}`]
      }
      updating.updatedAt = now
    })
    return {}
  }
}
