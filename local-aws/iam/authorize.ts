import type { SessionCredentials } from '../credentials.ts'
import type { ProvisionedModel } from '../template/provision.ts'
import { requestContext } from './conditionKeys.ts'
import { evaluatePolicies, type Decision } from './evaluate.ts'
import { compileRoles, sessionContext } from './roles.ts'

export type { Decision } from './evaluate.ts'

export interface AuthorizationRequest {
  session: SessionCredentials
  /** e.g. `s3:PutObject`. */
  action: string
  /** e.g. `arn:aws:s3:::bucket/protected/us-east-1:abc/profile/x.webp`. */
  resource: string
  /** The request's own context keys, e.g. `{ 's3:prefix': 'private/…/', 's3:delimiter': '/' }` for ListObjectsV2. */
  conditionKeys?: Record<string, string | string[]>
}

/**
 * Builds the authorizer for the roles in the model; throws at start-up on an operator, key or variable it does not
 * know. The returned function decides one request of a role session against that role's permission policies.
 */
export function createAuthorizer(model: ProvisionedModel): (request: AuthorizationRequest) => Decision {
  const roles = compileRoles(model)
  return ({ session, action, resource, conditionKeys }) => {
    const role = roles.get(session.roleArn)
    if (!role) return 'ImplicitDeny'
    return evaluatePolicies(role.permissions, {
      action,
      resource,
      context: { ...requestContext(conditionKeys ?? {}), ...sessionContext(role.model, session) },
    })
  }
}
