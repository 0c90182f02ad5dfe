// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetUserAttributeVerificationCode.html
import type { GetUserAttributeVerificationCodeCommandInput, GetUserAttributeVerificationCodeCommandOutput } from '@aws-sdk/client-cognito-identity-provider'
import type { Clock } from '../../clock.ts'
import type { JsonOperation } from '../../context.ts'
import { invalidParameter } from '../../errors.ts'
import type { Outbox } from '../../outbox.ts'
import { verifiedFlagOf } from '../attributes.ts'
import { assertCanDeliver, issueCode, sendCode } from '../codes.ts'
import { requiredString } from '../../protocol/jsonInput.ts'
import { ACCESS_TOKEN, ATTRIBUTE_NAME } from '../memberRules.ts'
import type { AccessTokenCheck } from '../tokens.ts'

/** Sends a (new) code for an email or phone number: to the value waiting for verification if there is one. */
export function createGetUserAttributeVerificationCode({ authenticate, outbox, clock }: { authenticate: AccessTokenCheck; outbox: Outbox; clock: Clock }): JsonOperation<GetUserAttributeVerificationCodeCommandInput, GetUserAttributeVerificationCodeCommandOutput> {
  return async (input) => {
    const accessToken = requiredString(input, 'AccessToken', ACCESS_TOKEN)
    const attribute = requiredString(input, 'AttributeName', ATTRIBUTE_NAME)
    const { store, pool, user } = await authenticate(accessToken)
    if (!verifiedFlagOf(attribute)) throw invalidParameter(`Attribute ${attribute} cannot be verified`)
    const value = user.pendingAttributes[attribute] ?? user.attributes[attribute]
    if (value === undefined) throw invalidParameter(`User has no ${attribute} to verify`)
    const destination = { attribute, value }
    assertCanDeliver(pool, destination)
    const now = clock.now()
    const code = store.update((draft) => issueCode(draft.users[user.username]!, `verify:${attribute}`, now, destination))
    return { CodeDeliveryDetails: sendCode(outbox, pool, `verify:${attribute}`, destination, code) }
  }
}
