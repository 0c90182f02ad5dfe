// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetUser.html
import type { GetUserCommandInput, GetUserCommandOutput } from '@aws-sdk/client-cognito-identity-provider'
import type { JsonOperation } from '../../context.ts'
import { readableAttributes, toAttributeList } from '../attributes.ts'
import { requiredString } from '../../protocol/jsonInput.ts'
import { ACCESS_TOKEN } from '../memberRules.ts'
import { mfaSettingsOf } from '../softwareToken.ts'
import type { AccessTokenCheck } from '../tokens.ts'

/** The signed-in user's username, the attributes the app client may read, and their second factor if one is on. */
export function createGetUser({ authenticate }: { authenticate: AccessTokenCheck }): JsonOperation<GetUserCommandInput, GetUserCommandOutput> {
  return async (input) => {
    const { client, user } = await authenticate(requiredString(input, 'AccessToken', ACCESS_TOKEN))
    return { Username: user.username, UserAttributes: toAttributeList(readableAttributes(client, user.sub, user.attributes)), ...mfaSettingsOf(user) }
  }
}
