// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AssociateSoftwareToken.html
import type { AssociateSoftwareTokenCommandInput, AssociateSoftwareTokenCommandOutput } from '@aws-sdk/client-cognito-identity-provider'
import type { JsonOperation } from '../../context.ts'
import { invalidParameter } from '../../errors.ts'
import { requiredString } from '../../protocol/jsonInput.ts'
import { takeMfaSetupSession, type MfaSetupServices } from '../mfaSetup.ts'
import { ACCESS_TOKEN, SESSION } from '../memberRules.ts'
import { assertPoolAllowsSoftwareTokens, associateSoftwareToken } from '../softwareToken.ts'
import type { AccessTokenCheck } from '../tokens.ts'

interface Services extends MfaSetupServices {
  authenticate: AccessTokenCheck
}

/**
 * A new TOTP secret for the signed-in user (by access token), or for a user setting up MFA during sign-in (by the
 * MFA_SETUP session, answered with a new session). The secret is returned once and kept only in the data folder.
 */
export function createAssociateSoftwareToken(services: Services): JsonOperation<AssociateSoftwareTokenCommandInput, AssociateSoftwareTokenCommandOutput> {
  return async (input) => {
    if (input.AccessToken !== undefined && input.AccessToken !== null) {
      const { store, pool, user } = await services.authenticate(requiredString(input, 'AccessToken', ACCESS_TOKEN))
      assertPoolAllowsSoftwareTokens(pool)
      return { SecretCode: store.update((draft) => associateSoftwareToken(draft.users[user.username]!)) }
    }
    if (input.Session === undefined || input.Session === null) throw invalidParameter('Either AccessToken or Session must be provided')
    const { target, challenge } = takeMfaSetupSession(services, requiredString(input, 'Session', SESSION), 'challenged')
    const SecretCode = target.store.update((draft) => associateSoftwareToken(draft.users[challenge.username]!))
    return { SecretCode, Session: services.challenges.open({ ...challenge, step: 'associated' }) }
  }
}
