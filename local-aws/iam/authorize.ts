import type { SessionCredentials } from '../credentials.ts'
import type { ProvisionedModel } from '../template/model.ts'
import { requestContext, type RequestContext } from './conditionKeys.ts'
import { compilePolicy, evaluatePolicies, type CompiledPolicy, type Decision as PolicyDecision } from './evaluate.ts'
import { principalArn, sessionContext, type CompiledRoles } from './roles.ts'

/** The outcome for one request; an explicit deny is told apart by the kind of policy it came from, as AWS's messages do. */
export type Decision = PolicyDecision | 'ExplicitDenyInResourcePolicy'

/** The template's bucket policies, compiled, by bucket name. */
export type CompiledBucketPolicies = ReadonlyMap<string, CompiledPolicy>

/** Compiles every bucket policy of the model. Throws a `PolicyError` on anything the evaluator does not know. */
export function compileBucketPolicies(model: ProvisionedModel): CompiledBucketPolicies {
  return new Map(model.bucketPolicies.map(({ bucket, document }) => [bucket, compilePolicy(document, 'resource', `bucket policy of ${bucket}`)]))
}

export interface AuthorizationRequest {
  session: SessionCredentials
  /** e.g. `s3:PutObject`. */
  action: string
  /** e.g. `arn:aws:s3:::bucket/protected/us-east-1:abc/profile/x.webp`. */
  resource: string
  /** The request's own context keys, e.g. `{ 's3:prefix': 'private/…/', 's3:delimiter': '/' }` for ListObjectsV2. */
  conditionKeys?: Record<string, string | string[]>
  /** `aws:SecureTransport`: whether the request came over TLS (or loopback, locally); absent when no request is behind it. */
  secureTransport?: boolean
}

/** Decides one request of a role session against that role's permission policies. */
export type Authorize = (request: AuthorizationRequest) => Decision

/** The bucket an S3 ARN (`arn:aws:s3:::bucket` or `arn:aws:s3:::bucket/key`) names. */
function bucketOf(resource: string): string | undefined {
  return /^arn:[^:]+:s3:::([^/]+)/.exec(resource)?.[1]
}

/**
 * The authorizer for compiled roles, the local administrator and the buckets' policies. Within one account an explicit
 * deny in either the caller's policies or the bucket policy wins, else an allow in either allows; a session of a role
 * it does not know is implicitly denied.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-basics.html
 */
export function createAuthorizer(
  roles: CompiledRoles,
  administrator?: { arn: string; policy: CompiledPolicy },
  bucketPolicies: CompiledBucketPolicies = new Map(),
): Authorize {
  return ({ session, action, resource, conditionKeys, secureTransport }) => {
    const requestKeys = requestContext({ ...conditionKeys, 'aws:SecureTransport': secureTransport === undefined ? undefined : String(secureTransport) })
    let identity: PolicyDecision
    let context: RequestContext
    if (administrator && session.roleArn === administrator.arn) {
      context = requestKeys
      identity = evaluatePolicies([administrator.policy], { action, resource, context })
    } else {
      const role = roles.get(session.roleArn)
      if (!role) return 'ImplicitDeny'
      context = { ...requestKeys, ...sessionContext(role.model, session) }
      identity = evaluatePolicies(role.permissions, { action, resource, context })
    }
    const bucket = bucketOf(resource)
    const bucketPolicy = bucket === undefined ? undefined : bucketPolicies.get(bucket)
    const principal = { type: 'AWS', id: principalArn(session.roleArn) }
    const resourceBased = bucketPolicy ? evaluatePolicies([bucketPolicy], { action, resource, principal, context }) : 'ImplicitDeny'
    if (identity === 'ExplicitDeny') return 'ExplicitDeny'
    if (resourceBased === 'ExplicitDeny') return 'ExplicitDenyInResourcePolicy'
    return identity === 'Allow' || resourceBased === 'Allow' ? 'Allow' : 'ImplicitDeny'
  }
}

/**
 * Why a same-account request was refused, in the words AWS's enhanced access-denied messages use: the principal, the
 * action, the resource and the kind of denial (docs/aws-behaviour.md#s3-accessdenied-names-principal-action-and-resource).
 */
export function describeDenial({ session, action, resource }: AuthorizationRequest, decision: Exclude<Decision, 'Allow'>): string {
  const reason = {
    ExplicitDeny: 'with an explicit deny in an identity-based policy',
    ExplicitDenyInResourcePolicy: 'with an explicit deny in a resource-based policy',
    ImplicitDeny: `because no identity-based policy allows the ${action} action`,
  }[decision]
  return `User: ${principalArn(session.roleArn)} is not authorized to perform: ${action} on resource: "${resource}" ${reason}`
}
