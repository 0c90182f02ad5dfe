// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ForgotPassword.html
import type { ForgotPasswordCommandInput, ForgotPasswordCommandOutput } from '@aws-sdk/client-cognito-identity-provider'
import type { Clock } from '../../clock.ts'
import type { JsonOperation } from '../../context.ts'
import { invalidParameter, notAuthorized } from '../../errors.ts'
import type { Outbox } from '../../outbox.ts'
import { verifiedFlagOf } from '../attributes.ts'
import { issueCode, pretendedDelivery, sendCode } from '../codes.ts'
import { requiredString } from '../../protocol/jsonInput.ts'
import { CLIENT_ID, USERNAME } from '../memberRules.ts'
import type { UserPoolDirectory } from '../users.ts'

/** Sends a password-reset code to the user's verified email (or phone number). */
export function createForgotPassword({ directory, outbox, clock }: { directory: UserPoolDirectory; outbox: Outbox; clock: Clock }): JsonOperation<ForgotPasswordCommandInput, ForgotPasswordCommandOutput> {
  return async (input) => {
    const clientId = requiredString(input, 'ClientId', CLIENT_ID)
    const signInName = requiredString(input, 'Username', USERNAME)
    const { pool, store, user } = directory.forClientAndUser(clientId, signInName)
    // PreventUserExistenceErrors: an unknown user is told a code is on its way.
    if (!user) return { CodeDeliveryDetails: pretendedDelivery(pool, signInName) }
    if (user.status === 'FORCE_CHANGE_PASSWORD') throw notAuthorized('User password cannot be reset in the current state.')
    const attribute = ['email', 'phone_number'].find((name) => user.attributes[name] && user.attributes[verifiedFlagOf(name)!] === 'true')
    if (!attribute) throw invalidParameter('Cannot reset password for the user as there is no registered/verified email or phone_number')
    const destination = { attribute, value: user.attributes[attribute]! }
    const now = clock.now()
    const code = store.update((draft) => issueCode(draft.users[user.username]!, 'forgot-password', now, destination))
    return { CodeDeliveryDetails: sendCode(outbox, pool, 'forgot-password', destination, code) }
  }
}
