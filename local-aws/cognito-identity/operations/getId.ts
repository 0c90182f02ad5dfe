// https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_GetId.html
import type { GetIdCommandInput, GetIdCommandOutput } from '@aws-sdk/client-cognito-identity'
import { requiredString } from '../../protocol/jsonInput.ts'
import type { JsonOperation } from '../../context.ts'
import type { ProvisionedModel } from '../../template/model.ts'
import type { IdentityStore } from '../identities.ts'
import { notAuthorized } from '../../errors.ts'
import { loginsOf, verifyLogins, type LoginCheckServices } from '../logins.ts'
import { findIdentityPool } from '../pools.ts'

export interface GetIdServices extends LoginCheckServices {
  model: ProvisionedModel
  identities: IdentityStore
}

/**
 * GetId: the identity id of the rider whose ID token is in `Logins`, the same one every time for the same rider.
 * Without logins it is refused, as the template's pools allow no unauthenticated identities.
 */
export function createGetId(services: GetIdServices): JsonOperation<GetIdCommandInput, GetIdCommandOutput> {
  const { model, identities } = services
  return async (input) => {
    const identityPoolId = requiredString(input, 'IdentityPoolId')
    const logins = loginsOf(input)
    const pool = findIdentityPool(model, identityPoolId)
    if (Object.keys(logins).length === 0) throw notAuthorized('Unauthenticated access is not supported for this identity pool.')
    const [login] = await verifyLogins(pool, logins, services)
    const identity = identities.findOrCreate(pool.id, login!.providerName, login!.sub)
    return { IdentityId: identity.identityId }
  }
}
