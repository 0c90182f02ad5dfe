import type { SessionCredentials } from '../credentials.ts'
import { requestContext } from './conditionKeys.ts'
import { evaluatePolicies, type CompiledPolicy, type Decision } from './evaluate.ts'
import { principalArn, sessionContext, type CompiledRoles } from './roles.ts'

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

/** Decides one request of a role session against that role's permission policies. */
export type Authorize = (request: AuthorizationRequest) => Decision

/**
 * The authorizer for compiled roles and the local administrator; a session of a role it does not know is implicitly
 * denied.
 */
export function createAuthorizer(roles: CompiledRoles, administrator?: { arn: string; policy: CompiledPolicy }): Authorize {
  return ({ session, action, resource, conditionKeys }) => {
    if (administrator && session.roleArn === administrator.arn) {
      return evaluatePolicies([administrator.policy], { action, resource, context: requestContext(conditionKeys ?? {}) })
    }
    const role = roles.get(session.roleArn)
    if (!role) return 'ImplicitDeny'
    return evaluatePolicies(role.permissions, {
      action,
      resource,
      context: { ...requestContext(conditionKeys ?? {}), ...sessionContext(role.model, session) },
    })
  }
}

/**
 * Why a same-account request was refused, in the words AWS's enhanced access-denied messages use: the principal, the
 * action, the resource and the kind of denial (docs/aws-behaviour.md#s3-accessdenied-names-principal-action-and-resource).
 */
export function describeDenial({ session, action, resource }: AuthorizationRequest, decision: Exclude<Decision, 'Allow'>): string {
  const reason = decision === 'ExplicitDeny' ? 'with an explicit deny in an identity-based policy' : `because no identity-based policy allows the ${action} action`
  return `User: ${principalArn(session.roleArn)} is not authorized to perform: ${action} on resource: "${resource}" ${reason}`
}
