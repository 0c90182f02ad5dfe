// https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_GetId.html
import type { Clock } from '../clock.ts'
import type { JsonOperation } from '../context.ts'
import type { SigningKeys } from '../keys.ts'
import type { ProvisionedModel } from '../template/provision.ts'
import type { IdentityStore } from './identities.ts'
import { loginsOf, notAuthorized, verifyLogins } from './logins.ts'
import { findIdentityPool, requiredString } from './pools.ts'

export interface GetIdServices {
  model: ProvisionedModel
  identities: IdentityStore
  keys: SigningKeys
  clock: Clock
}

/**
 * GetId: the identity id of the rider whose ID token is in `Logins`, the same one every time for the same rider.
 * Without logins it is refused, as the template's pools allow no unauthenticated identities.
 */
export function createGetId({ model, identities, keys, clock }: GetIdServices): JsonOperation {
  return async (input) => {
    const pool = findIdentityPool(model, requiredString(input, 'IdentityPoolId'))
    const logins = loginsOf(input)
    if (Object.keys(logins).length === 0) throw notAuthorized('Unauthenticated access is not supported for this identity pool.')
    const [login] = await verifyLogins(pool, logins, keys, clock)
    const identity = identities.findOrCreate(pool.id, login!.providerName, login!.sub)
    return { IdentityId: identity.identityId }
  }
}
