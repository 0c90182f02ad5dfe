// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ConfirmForgotPassword.html
import type { ConfirmForgotPasswordCommandInput, ConfirmForgotPasswordCommandOutput } from '@aws-sdk/client-cognito-identity-provider'
import type { Clock } from '../../clock.ts'
import type { JsonOperation } from '../../context.ts'
import { checkCode, codeCheckError } from '../codes.ts'
import { codeMismatch } from '../errors.ts'
import { requiredString } from '../../protocol/jsonInput.ts'
import { CLIENT_ID, CONFIRMATION_CODE, PASSWORD, USERNAME } from '../memberRules.ts'
import { assertPasswordConforms } from '../passwordPolicy.ts'
import { createVerifier } from '../srp.ts'
import { srpPoolName, type UserPoolDirectory } from '../users.ts'

/** Sets a new password with the reset code; a successful reset also lifts a lockout. */
export function createConfirmForgotPassword({ directory, clock }: { directory: UserPoolDirectory; clock: Clock }): JsonOperation<ConfirmForgotPasswordCommandInput, ConfirmForgotPasswordCommandOutput> {
  return async (input) => {
    const clientId = requiredString(input, 'ClientId', CLIENT_ID)
    const signInName = requiredString(input, 'Username', USERNAME)
    const code = requiredString(input, 'ConfirmationCode', CONFIRMATION_CODE)
    const password = requiredString(input, 'Password', PASSWORD)
    const { pool, store, user } = directory.forClientAndUser(clientId, signInName)
    // PreventUserExistenceErrors: an unknown user is told what a wrong code is told.
    if (!user) throw codeMismatch()
    assertPasswordConforms(password, pool.passwordPolicy)
    const now = clock.now()
    const check = store.update((draft) => {
      const resetting = draft.users[user.username]!
      const result = checkCode(resetting, 'forgot-password', code, now)
      if (result.ok) {
        resetting.verifier = createVerifier(srpPoolName(pool), resetting.username, password)
        resetting.updatedAt = now
        delete resetting.lockout
      }
      return result
    })
    if (!check.ok) throw codeCheckError(check.error)
    return {}
  }
}
