// https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_GetCredentialsForIdentity.html
import type { GetCredentialsForIdentityCommandInput, GetCredentialsForIdentityCommandOutput } from '@aws-sdk/client-cognito-identity'
import { requiredString } from '../../protocol/jsonInput.ts'
import type { JsonOperation } from '../../context.ts'
import type { CredentialRegistry } from '../../credentials.ts'
import { AwsError, notAuthorized } from '../../errors.ts'
import { evaluateWebIdentityTrust, type CompiledRoles } from '../../iam/roles.ts'
import type { ProvisionedModel } from '../../template/model.ts'
import type { IdentityStore } from '../identities.ts'
import { loginsOf, verifyLogins, type LoginCheckServices } from '../logins.ts'
import { findIdentityPool } from '../pools.ts'

export interface GetCredentialsForIdentityServices extends LoginCheckServices {
  model: ProvisionedModel
  identities: IdentityStore
  roles: CompiledRoles
  credentials: CredentialRegistry
}

/** Identity-pool credentials always last one hour (the enhanced flow's fixed session length). */
const SESSION_SECONDS = 3600

// AWS's answer when the pool's role is missing or its trust policy refuses the identity pool's token.
const INVALID_CONFIGURATION = 'Invalid identity pool configuration. Check assigned IAM roles for this pool.'

/**
 * GetCredentialsForIdentity: temporary credentials of the pool's authenticated role for an identity, only with an ID
 * token of that identity's own rider, and only if the role's trust policy lets this identity pool assume it.
 */
export function createGetCredentialsForIdentity(services: GetCredentialsForIdentityServices): JsonOperation<GetCredentialsForIdentityCommandInput, GetCredentialsForIdentityCommandOutput> {
  const { model, identities, roles, credentials } = services
  return async (input) => {
    // Both members are deserialized before anything is looked up, as on AWS.
    const identityId = requiredString(input, 'IdentityId')
    const logins = loginsOf(input)
    const identity = identities.find(identityId)
    if (!identity) throw new AwsError('ResourceNotFoundException', `Identity '${identityId}' not found.`)
    const pool = findIdentityPool(model, identity.identityPoolId)
    const verified = await verifyLogins(pool, logins, services)
    const login = verified.find(({ providerName, sub }) => identity.logins[providerName] === sub)
    if (!login) throw notAuthorized("Logins don't match. Please include at least one valid login for this identity or identity pool.")

    const role = pool.roles.authenticated ? roles.get(pool.roles.authenticated) : undefined
    if (!role) throw new AwsError('InvalidIdentityPoolConfigurationException', INVALID_CONFIGURATION)
    // The amr claim of the token the identity pool hands STS for an authenticated user-pool sign-in.
    // https://docs.aws.amazon.com/cognito/latest/developerguide/role-trust-and-permissions.html
    const amr = ['authenticated', login.providerName, `${login.providerName}:CognitoSignIn:${login.sub}`]
    if (evaluateWebIdentityTrust(role, { identityId, identityPoolId: pool.id, amr }) !== 'Allow') {
      throw new AwsError('InvalidIdentityPoolConfigurationException', INVALID_CONFIGURATION)
    }
    const session = credentials.issue({
      roleArn: role.model.arn,
      roleId: role.model.roleId,
      identityId,
      identityPoolId: pool.id,
      amr,
      durationSeconds: Math.min(SESSION_SECONDS, role.model.maxSessionDurationSeconds),
    })
    return {
      IdentityId: identityId,
      Credentials: {
        AccessKeyId: session.accessKeyId,
        SecretKey: session.secretAccessKey,
        SessionToken: session.sessionToken,
        // The JSON protocol's timestamps are epoch seconds.
        Expiration: session.expiration / 1000,
      },
    }
  }
}
