// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ChangePassword.html
import type { ChangePasswordCommandInput, ChangePasswordCommandOutput } from '@aws-sdk/client-cognito-identity-provider'
import type { Clock } from '../../clock.ts'
import type { JsonOperation } from '../../context.ts'
import { checkPasswordProof } from '../authentication.ts'
import { requiredString } from '../../protocol/jsonInput.ts'
import { ACCESS_TOKEN, PASSWORD } from '../memberRules.ts'
import { assertPasswordConforms } from '../passwordPolicy.ts'
import { createVerifier, passwordMatchesVerifier } from '../srp.ts'
import type { AccessTokenCheck } from '../tokens.ts'
import { srpPoolName } from '../users.ts'

/** Changes the signed-in user's password; a wrong current password counts towards the lockout like a failed sign-in. */
export function createChangePassword({ authenticate, clock }: { authenticate: AccessTokenCheck; clock: Clock }): JsonOperation<ChangePasswordCommandInput, ChangePasswordCommandOutput> {
  return async (input) => {
    const accessToken = requiredString(input, 'AccessToken', ACCESS_TOKEN)
    const previousPassword = requiredString(input, 'PreviousPassword', PASSWORD)
    const proposedPassword = requiredString(input, 'ProposedPassword', PASSWORD)
    const { store, pool, user } = await authenticate(accessToken)
    assertPasswordConforms(proposedPassword, pool.passwordPolicy)
    const poolName = srpPoolName(pool)
    const now = clock.now()
    checkPasswordProof(store, user.username, now, (current) => passwordMatchesVerifier(poolName, current.username, previousPassword, current.verifier))
    store.update((draft) => {
      const changing = draft.users[user.username]!
      changing.verifier = createVerifier(poolName, changing.username, proposedPassword)
      changing.updatedAt = now
      delete changing.lockout
    })
    return {}
  }
}
