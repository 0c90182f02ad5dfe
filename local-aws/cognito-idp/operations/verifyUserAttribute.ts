// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_VerifyUserAttribute.html
import type { VerifyUserAttributeCommandInput, VerifyUserAttributeCommandOutput } from '@aws-sdk/client-cognito-identity-provider'
import type { Clock } from '../../clock.ts'
import type { JsonOperation } from '../../context.ts'
import { invalidParameter } from '../../errors.ts'
import { verifiedFlagOf } from '../attributes.ts'
import { checkCode, codeCheckError } from '../codes.ts'
import { aliasExists } from '../errors.ts'
import { requiredString } from '../../protocol/jsonInput.ts'
import { ACCESS_TOKEN, ATTRIBUTE_NAME, CONFIRMATION_CODE } from '../memberRules.ts'
import type { AccessTokenCheck } from '../tokens.ts'

/**
 * Verifies an email or phone number with its code. A value waiting for verification replaces the old one now; the
 * code verifies the value it was sent to, not whatever the attribute holds by then.
 */
export function createVerifyUserAttribute({ authenticate, clock }: { authenticate: AccessTokenCheck; clock: Clock }): JsonOperation<VerifyUserAttributeCommandInput, VerifyUserAttributeCommandOutput> {
  return async (input) => {
    const accessToken = requiredString(input, 'AccessToken', ACCESS_TOKEN)
    const attribute = requiredString(input, 'AttributeName', ATTRIBUTE_NAME)
    const code = requiredString(input, 'Code', CONFIRMATION_CODE)
    const { store, pool, user } = await authenticate(accessToken)
    const flag = verifiedFlagOf(attribute)
    if (!flag) throw invalidParameter(`Attribute ${attribute} cannot be verified`)
    const now = clock.now()
    const check = store.update((draft) => {
      const verifying = draft.users[user.username]!
      const result = checkCode(verifying, `verify:${attribute}`, code, now)
      if (!result.ok) return result
      const { value } = result.verifies
      if (verifying.pendingAttributes[attribute] === value) {
        if (pool.usernameAttributes.includes(attribute) && draft.isAliasTaken(attribute, value, verifying.username)) throw aliasExists(attribute)
        verifying.attributes[attribute] = value
        delete verifying.pendingAttributes[attribute]
      }
      if (verifying.attributes[attribute] === value) verifying.attributes[flag] = 'true'
      verifying.updatedAt = now
      return result
    })
    if (!check.ok) throw codeCheckError(check.error)
    return {}
  }
}
