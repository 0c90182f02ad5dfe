import type { SessionCredentials } from '../credentials.ts'
import type { ProvisionedModel, RoleModel } from '../template/model.ts'
import { requestContext, type RequestContext } from './conditionKeys.ts'
import { compilePolicy, evaluatePolicies, type CompiledPolicy, type Decision } from './evaluate.ts'

/** A role of the template with its trust policy and permission policies checked and parsed. */
export interface CompiledRole {
  model: RoleModel
  trust: CompiledPolicy
  permissions: CompiledPolicy[]
}

/** The template's roles, compiled, by ARN. */
export type CompiledRoles = ReadonlyMap<string, CompiledRole>

/**
 * Compiles every role of the model, by ARN. Throws a `PolicyError` on the first policy (trust or permissions) that
 * uses an operator, key or variable the evaluator does not know.
 */
export function compileRoles(model: ProvisionedModel): CompiledRoles {
  return new Map(
    model.roles.map((role) => [
      role.arn,
      {
        model: role,
        trust: compilePolicy(role.trustPolicy, 'trust', `${role.logicalId} (AssumeRolePolicyDocument)`),
        permissions: role.policies.map((policy) => compilePolicy(policy.document, 'identity', `${role.logicalId}/${policy.name}`)),
      },
    ]),
  )
}

/** What an identity pool presents to STS for `AssumeRoleWithWebIdentity`. */
export interface WebIdentityClaims {
  identityId: string
  identityPoolId: string
  amr: string[]
}

/** The context keys of a web identity token issued by an identity pool (its `sub`, `aud` and `amr` claims). */
function webIdentityContext(claims: WebIdentityClaims): Record<string, string | string[]> {
  return {
    'cognito-identity.amazonaws.com:sub': claims.identityId,
    'cognito-identity.amazonaws.com:aud': claims.identityPoolId,
    'cognito-identity.amazonaws.com:amr': claims.amr,
  }
}

/**
 * Evaluates the role's trust policy for an identity pool's `AssumeRoleWithWebIdentity`.
 * https://docs.aws.amazon.com/cognito/latest/developerguide/role-trust-and-permissions.html
 */
export function evaluateWebIdentityTrust(role: CompiledRole, claims: WebIdentityClaims): Decision {
  return evaluatePolicies([role.trust], {
    action: 'sts:AssumeRoleWithWebIdentity',
    principal: { type: 'Federated', id: 'cognito-identity.amazonaws.com' },
    context: requestContext(webIdentityContext(claims)),
  })
}

/** The session name the identity pool gives every role session it opens. */
const ROLE_SESSION_NAME = 'CognitoIdentityCredentials'

/**
 * The principal a request of these credentials comes from: `arn:aws:sts::{account}:assumed-role/{role name}/CognitoIdentityCredentials`
 * for a role session, the ARN itself for anything else (the local administrator).
 */
export function principalArn(roleArn: string): string {
  const match = /^arn:[^:]*:iam::(\d*):role\/(.*)$/.exec(roleArn)
  if (!match) return roleArn
  const [, account, path = ''] = match
  return `arn:aws:sts::${account}:assumed-role/${path.split('/').pop() ?? ''}/${ROLE_SESSION_NAME}`
}

/** What a service presents when it assumes a role for a resource of this account, e.g. a user pool sending SMS. */
export interface ServiceClaims {
  /** e.g. `cognito-idp.amazonaws.com`. */
  service: string
  externalId?: string
  sourceAccount: string
  sourceArn: string
}

/**
 * Evaluates the role's trust policy for a service's `AssumeRole` on behalf of one of this account's resources.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
 */
export function evaluateServiceTrust(role: CompiledRole, claims: ServiceClaims): Decision {
  return evaluatePolicies([role.trust], {
    action: 'sts:AssumeRole',
    principal: { type: 'Service', id: claims.service },
    context: requestContext({ 'sts:ExternalId': claims.externalId, 'aws:SourceAccount': claims.sourceAccount, 'aws:SourceArn': claims.sourceArn }),
  })
}

/**
 * The request context of a role session created by an identity pool. AWS names these sessions
 * `CognitoIdentityCredentials`, so `aws:userid` is the same for every rider (docs/aws-behaviour.md#per-rider-keys-use-the-identity-id);
 * roles have no `aws:username`.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#principaltable
 */
export function sessionContext(role: RoleModel, session: SessionCredentials): RequestContext {
  return requestContext({
    ...webIdentityContext(session),
    'aws:userid': `${session.roleId}:${ROLE_SESSION_NAME}`,
    'aws:principaltype': 'AssumedRole',
    'aws:principalarn': role.arn,
    'aws:principalaccount': /^arn:[^:]*:iam::(\d+):/.exec(role.arn)?.[1],
  })
}
