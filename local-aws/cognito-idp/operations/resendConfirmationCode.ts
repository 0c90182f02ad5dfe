// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ResendConfirmationCode.html
import type { ResendConfirmationCodeCommandInput, ResendConfirmationCodeCommandOutput } from '@aws-sdk/client-cognito-identity-provider'
import type { Clock } from '../../clock.ts'
import type { JsonOperation } from '../../context.ts'
import { invalidParameter } from '../../errors.ts'
import type { Outbox } from '../../outbox.ts'
import { issueCode, pretendedDelivery, sendCode, signUpDestination } from '../codes.ts'
import { requiredString } from '../../protocol/jsonInput.ts'
import { CLIENT_ID, USERNAME } from '../memberRules.ts'
import type { UserPoolDirectory } from '../users.ts'

/** Sends a new sign-up code to an unconfirmed user, a few times an hour at most. */
export function createResendConfirmationCode({ directory, outbox, clock }: { directory: UserPoolDirectory; outbox: Outbox; clock: Clock }): JsonOperation<ResendConfirmationCodeCommandInput, ResendConfirmationCodeCommandOutput> {
  return async (input) => {
    const clientId = requiredString(input, 'ClientId', CLIENT_ID)
    const signInName = requiredString(input, 'Username', USERNAME)
    const { pool, store, user } = directory.forClientAndUser(clientId, signInName)
    // PreventUserExistenceErrors: an unknown user is told a code is on its way.
    if (!user) return { CodeDeliveryDetails: pretendedDelivery(pool, signInName) }
    if (user.status !== 'UNCONFIRMED') throw invalidParameter('User is already confirmed.')
    const destination = signUpDestination(pool, user.attributes)
    if (!destination) throw invalidParameter('Auto verification not turned on.')
    const now = clock.now()
    const code = store.update((draft) => issueCode(draft.users[user.username]!, 'sign-up', now, destination))
    return { CodeDeliveryDetails: sendCode(outbox, pool, 'sign-up', destination, code) }
  }
}
