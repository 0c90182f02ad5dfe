// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_VerifySoftwareToken.html
import type { VerifySoftwareTokenCommandInput, VerifySoftwareTokenCommandOutput } from '@aws-sdk/client-cognito-identity-provider'
import type { JsonOperation } from '../../context.ts'
import { invalidParameter } from '../../errors.ts'
import { optionalString, requiredString } from '../../protocol/jsonInput.ts'
import { peekMfaSetupSession, type MfaSetupServices } from '../mfaSetup.ts'
import { ACCESS_TOKEN, SESSION, USER_CODE } from '../memberRules.ts'
import { verifySoftwareToken } from '../softwareToken.ts'
import type { AccessTokenCheck } from '../tokens.ts'

interface Services extends MfaSetupServices {
  authenticate: AccessTokenCheck
}

/**
 * Proves the authenticator app has the secret AssociateSoftwareToken gave: a right code makes it the user's token (and
 * uses that code up). A wrong one is EnableSoftwareTokenMFAException and may be tried again.
 */
export function createVerifySoftwareToken(services: Services): JsonOperation<VerifySoftwareTokenCommandInput, VerifySoftwareTokenCommandOutput> {
  return async (input) => {
    const code = requiredString(input, 'UserCode', USER_CODE)
    // The name a user gives the authenticator: at most 131 characters per the API reference.
    const name = optionalString(input, 'FriendlyDeviceName', { maxLength: 131 })
    const now = services.clock.now()
    if (input.AccessToken !== undefined && input.AccessToken !== null) {
      const { store, user } = await services.authenticate(requiredString(input, 'AccessToken', ACCESS_TOKEN))
      store.update((draft) => verifySoftwareToken(draft.users[user.username]!, code, name, now))
      return { Status: 'SUCCESS' }
    }
    if (input.Session === undefined || input.Session === null) throw invalidParameter('Either AccessToken or Session must be provided')
    const session = requiredString(input, 'Session', SESSION)
    const { target, challenge } = peekMfaSetupSession(services, session, 'associated')
    target.store.update((draft) => verifySoftwareToken(draft.users[challenge.username]!, code, name, now))
    services.challenges.take(session)
    return { Status: 'SUCCESS', Session: services.challenges.open({ ...challenge, step: 'verified' }) }
  }
}
