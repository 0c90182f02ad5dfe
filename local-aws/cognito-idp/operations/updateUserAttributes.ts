// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UpdateUserAttributes.html
import type { UpdateUserAttributesCommandInput, UpdateUserAttributesCommandOutput } from '@aws-sdk/client-cognito-identity-provider'
import type { Clock } from '../../clock.ts'
import type { JsonOperation } from '../../context.ts'
import type { Outbox } from '../../outbox.ts'
import { checkAttributeWrites, verifiedFlagOf } from '../attributes.ts'
import { issueCode, sendCode, type CodeDestination } from '../codes.ts'
import { aliasExists } from '../errors.ts'
import { attributeList, requiredString } from '../../protocol/jsonInput.ts'
import { ACCESS_TOKEN } from '../memberRules.ts'
import type { AccessTokenCheck } from '../tokens.ts'

/**
 * Updates the signed-in user's attributes. A changed email or phone number is unverified until its code comes back;
 * if the pool keeps the old value until then (AttributesRequireVerificationBeforeUpdate), the new one waits aside and
 * the old one, still verified, stays what the user signs in with.
 * https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-email-phone-verification.html#user-pool-settings-verifications-verify-attribute-updates
 */
export function createUpdateUserAttributes({ authenticate, outbox, clock }: { authenticate: AccessTokenCheck; outbox: Outbox; clock: Clock }): JsonOperation<UpdateUserAttributesCommandInput, UpdateUserAttributesCommandOutput> {
  return async (input) => {
    const accessToken = requiredString(input, 'AccessToken', ACCESS_TOKEN)
    const attributes = attributeList(input, 'UserAttributes', true)
    const { store, pool, client, user } = await authenticate(accessToken)
    checkAttributeWrites(pool, client, attributes, 'update')
    const now = clock.now()
    const deliveries = store.update((draft) => {
      const updating = draft.users[user.username]!
      const codes: { destination: CodeDestination; code: string }[] = []
      for (const [name, value] of Object.entries(attributes)) {
        const flag = verifiedFlagOf(name)
        if (!flag || updating.attributes[name] === undefined) {
          updating.attributes[name] = value
          if (flag) updating.attributes[flag] = 'false'
        } else if (updating.attributes[name] === value) {
          // Back to the current value: nothing waits for a code any more.
          delete updating.pendingAttributes[name]
          delete updating.codes[`verify:${name}`]
          continue
        } else if (pool.attributesRequireVerificationBeforeUpdate.includes(name)) {
          updating.pendingAttributes[name] = value
        } else {
          updating.attributes[name] = value
          updating.attributes[flag] = 'false'
        }
        if (pool.usernameAttributes.includes(name) && draft.isAliasTaken(name, value, updating.username)) throw aliasExists(name)
        if (flag && pool.autoVerifiedAttributes.includes(name)) {
          const destination = { attribute: name, value }
          codes.push({ destination, code: issueCode(updating, `verify:${name}`, now, destination) })
        }
      }
      updating.updatedAt = now
      return codes
    })
    const sent = deliveries.map(({ destination, code }) => sendCode(outbox, pool, `verify:${destination.attribute}`, destination, code))
    return sent.length > 0 ? { CodeDeliveryDetailsList: sent } : {}
  }
}
