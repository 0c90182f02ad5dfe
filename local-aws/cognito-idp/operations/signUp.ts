// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SignUp.html
import type { SignUpCommandInput, SignUpCommandOutput } from '@aws-sdk/client-cognito-identity-provider'
import type { Clock } from '../../clock.ts'
import type { JsonOperation } from '../../context.ts'
import type { Outbox } from '../../outbox.ts'
import { checkAttributeWrites } from '../attributes.ts'
import { issueCode, sendCode, signUpDestination } from '../codes.ts'
import { attributeList, requiredString } from '../../protocol/jsonInput.ts'
import { CLIENT_ID, PASSWORD, USERNAME } from '../memberRules.ts'
import { createUser, type UserPoolDirectory } from '../users.ts'

/** Registers an unconfirmed user and sends the sign-up code to its first auto-verified attribute. */
export function createSignUp({ directory, outbox, clock }: { directory: UserPoolDirectory; outbox: Outbox; clock: Clock }): JsonOperation<SignUpCommandInput, SignUpCommandOutput> {
  return async (input) => {
    const clientId = requiredString(input, 'ClientId', CLIENT_ID)
    const signInName = requiredString(input, 'Username', USERNAME)
    const password = requiredString(input, 'Password', PASSWORD)
    const attributes = attributeList(input, 'UserAttributes', false)
    const { client, pool, store } = directory.forClient(clientId)
    checkAttributeWrites(pool, client, attributes, 'sign-up')
    const now = clock.now()
    const { user, delivery } = store.update((draft) => {
      const user = createUser(pool, draft, { signInName, password, attributes, status: 'UNCONFIRMED', now })
      draft.users[user.username] = user
      const destination = signUpDestination(pool, user.attributes)
      return { user, delivery: destination && { destination, code: issueCode(user, 'sign-up', now, destination) } }
    })
    return {
      UserConfirmed: false,
      UserSub: user.sub,
      ...(delivery && { CodeDeliveryDetails: sendCode(outbox, pool, 'sign-up', delivery.destination, delivery.code) }),
    }
  }
}
