import type { Clock } from '../clock.ts'
import type { UserPoolTokenStatus } from '../cognito-idp/tokens.ts'
import type { JsonService } from '../context.ts'
import type { CredentialRegistry } from '../credentials.ts'
import type { CompiledRoles } from '../iam/roles.ts'
import type { SigningKeys } from '../keys.ts'
import type { ProvisionedModel } from '../template/model.ts'
import { IdentityStore } from './identities.ts'
import { createGetCredentialsForIdentity } from './operations/getCredentialsForIdentity.ts'
import { createGetId } from './operations/getId.ts'

export interface IdentityPoolServices {
  model: ProvisionedModel
  /** Where the identities handed out are kept. */
  dataDir: string
  roles: CompiledRoles
  credentials: CredentialRegistry
  keys: SigningKeys
  clock: Clock
  /** The user pools' answer to ServerSideTokenCheck: whether they still hold an ID token's sign-in. */
  userPools: UserPoolTokenStatus
}

/**
 * Identity pools (`X-Amz-Target: AWSCognitoIdentityService.*`): user-pool ID tokens traded for an identity id and the
 * authenticated role's temporary credentials.
 */
export function createIdentityPoolService({ model, dataDir, roles, credentials, keys, clock, userPools }: IdentityPoolServices): JsonService {
  const unsupported = model.identityPools.find((pool) => pool.allowUnauthenticatedIdentities)
  if (unsupported) throw new Error(`Local AWS does not support unauthenticated identities (identity pool ${unsupported.logicalId})`)
  const identities = new IdentityStore(dataDir, clock)
  return {
    targetPrefix: 'AWSCognitoIdentityService',
    operations: {
      GetId: createGetId({ model, identities, keys, clock, userPools }),
      GetCredentialsForIdentity: createGetCredentialsForIdentity({ model, identities, roles, credentials, keys, clock, userPools }),
    },
  }
}
