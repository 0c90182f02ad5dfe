// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ConfirmSignUp.html
import type { ConfirmSignUpCommandInput, ConfirmSignUpCommandOutput } from '@aws-sdk/client-cognito-identity-provider'
import type { Clock } from '../../clock.ts'
import type { JsonOperation } from '../../context.ts'
import { notAuthorized } from '../../errors.ts'
import { verifiedFlagOf } from '../attributes.ts'
import { checkCode, codeCheckError } from '../codes.ts'
import { codeMismatch } from '../errors.ts'
import { requiredString } from '../../protocol/jsonInput.ts'
import { CLIENT_ID, CONFIRMATION_CODE, USERNAME } from '../memberRules.ts'
import type { UserPoolDirectory } from '../users.ts'

/** Confirms a user with the sign-up code, which also verifies the attribute the code went to. */
export function createConfirmSignUp({ directory, clock }: { directory: UserPoolDirectory; clock: Clock }): JsonOperation<ConfirmSignUpCommandInput, ConfirmSignUpCommandOutput> {
  return async (input) => {
    const clientId = requiredString(input, 'ClientId', CLIENT_ID)
    const signInName = requiredString(input, 'Username', USERNAME)
    const code = requiredString(input, 'ConfirmationCode', CONFIRMATION_CODE)
    const { store, user } = directory.forClientAndUser(clientId, signInName)
    // PreventUserExistenceErrors: an unknown user is told what a wrong code is told.
    if (!user) throw codeMismatch()
    if (user.status !== 'UNCONFIRMED') throw notAuthorized(`User cannot be confirmed. Current status is ${user.status}`)
    const now = clock.now()
    const check = store.update((draft) => {
      const confirming = draft.users[user.username]!
      const result = checkCode(confirming, 'sign-up', code, now)
      if (result.ok) {
        confirming.status = 'CONFIRMED'
        confirming.updatedAt = now
        const { attribute, value } = result.verifies
        const flag = verifiedFlagOf(attribute)
        if (flag && confirming.attributes[attribute] === value) confirming.attributes[flag] = 'true'
      }
      return result
    })
    if (!check.ok) throw codeCheckError(check.error)
    return {}
  }
}
