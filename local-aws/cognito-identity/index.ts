import type { UserPoolTokenStatus } from '../cognito-idp/tokens.ts'
import type { JsonService, LocalAwsContext } from '../context.ts'
import { compileRoles } from '../iam/roles.ts'
import { createGetCredentialsForIdentity } from './operations/getCredentialsForIdentity.ts'
import { createGetId } from './operations/getId.ts'
import { IdentityStore } from './identities.ts'

/**
 * Identity pools (`X-Amz-Target: AWSCognitoIdentityService.*`): user-pool ID tokens traded for an identity id and the
 * authenticated role's temporary credentials. Compiling the roles here checks every trust and permission policy at
 * start-up, so a policy local AWS cannot evaluate stops `startLocalAws` instead of being served. `userPools` answers
 * ServerSideTokenCheck: whether the user pool still holds an ID token's sign-in.
 */
export function createIdentityPoolService(context: LocalAwsContext, userPools: UserPoolTokenStatus): JsonService {
  const { model, clock, keys, credentials } = context
  const unsupported = model.identityPools.find((pool) => pool.allowUnauthenticatedIdentities)
  if (unsupported) throw new Error(`Local AWS does not support unauthenticated identities (identity pool ${unsupported.logicalId})`)
  const roles = compileRoles(model)
  const identities = new IdentityStore(context.dataDir, clock)
  return {
    targetPrefix: 'AWSCognitoIdentityService',
    operations: {
      GetId: createGetId({ model, identities, keys, clock, userPools }),
      GetCredentialsForIdentity: createGetCredentialsForIdentity({ model, identities, roles, credentials, keys, clock, userPools }),
    },
  }
}
