// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListWebAuthnCredentials.html
import type { ListWebAuthnCredentialsCommandInput, ListWebAuthnCredentialsCommandOutput } from '@aws-sdk/client-cognito-identity-provider'
import type { JsonOperation } from '../../context.ts'
import { AwsError, invalidParameter } from '../../errors.ts'
import { requiredString, type UncheckedInput } from '../../protocol/jsonInput.ts'
import { ACCESS_TOKEN } from '../memberRules.ts'
import { passkeysOf } from '../passkeys.ts'
import type { AccessTokenCheck } from '../tokens.ts'

const MAX_RESULTS = 20

/** `MaxResults`: an integer from 1 to 20, 20 when absent. */
function maxResultsOf(input: UncheckedInput<ListWebAuthnCredentialsCommandInput>): number {
  const value = input.MaxResults
  if (value === undefined || value === null) return MAX_RESULTS
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new AwsError('SerializationException', 'MaxResults must be an integer')
  if (value < 1 || value > MAX_RESULTS) {
    const bound = value < 1 ? 'greater than or equal to 1' : `less than or equal to ${MAX_RESULTS}`
    throw invalidParameter(`1 validation error detected: Value '${value}' at 'maxResults' failed to satisfy constraint: Member must have value ${bound}`)
  }
  return value
}

/**
 * The signed-in user's passkeys in the order they were added, a page at a time: `NextToken` names the first passkey of
 * the next page, so a passkey deleted meanwhile shifts nothing.
 */
export function createListWebAuthnCredentials({ authenticate }: { authenticate: AccessTokenCheck }): JsonOperation<ListWebAuthnCredentialsCommandInput, ListWebAuthnCredentialsCommandOutput> {
  return async (input) => {
    const { user } = await authenticate(requiredString(input, 'AccessToken', ACCESS_TOKEN))
    const maxResults = maxResultsOf(input)
    const passkeys = passkeysOf(user)
    let start = 0
    if (input.NextToken !== undefined && input.NextToken !== null) {
      const after = Buffer.from(requiredString(input, 'NextToken'), 'base64url').toString('utf8')
      start = passkeys.findIndex((passkey) => passkey.id === after)
      if (start < 0) throw invalidParameter('Invalid NextToken')
    }
    const page = passkeys.slice(start, start + maxResults)
    const next = passkeys[start + maxResults]
    return {
      Credentials: page.map((passkey) => ({
        CredentialId: passkey.id,
        FriendlyCredentialName: passkey.friendlyName,
        RelyingPartyId: passkey.relyingPartyId,
        ...(passkey.attachment !== undefined && { AuthenticatorAttachment: passkey.attachment }),
        AuthenticatorTransports: passkey.transports,
        CreatedAt: passkey.createdAt / 1000,
      })),
      ...(next && { NextToken: Buffer.from(next.id, 'utf8').toString('base64url') }),
    }
  }
}
