/** Builders for Cognito identity pools, their role attachments and the IAM roles they hand out. */
import type { IdentityPoolModel, PolicyDocument, RoleModel } from './model.ts'
import { toBoolean, type Properties } from './properties.ts'

/** An identity pool (`AWS::Cognito::IdentityPool`); its roles come from the role attachment. */
export function identityPoolModel(logicalId: string, id: string, properties: Properties): IdentityPoolModel {
  return {
    logicalId,
    id,
    name: String(properties.IdentityPoolName ?? logicalId),
    allowUnauthenticatedIdentities: toBoolean(properties.AllowUnauthenticatedIdentities, false),
    allowClassicFlow: toBoolean(properties.AllowClassicFlow, false),
    providers: ((properties.CognitoIdentityProviders ?? []) as Properties[]).map((provider) => ({
      providerName: String(provider.ProviderName),
      clientId: String(provider.ClientId),
      serverSideTokenCheck: toBoolean(provider.ServerSideTokenCheck, false),
    })),
    roles: {},
  }
}

/** An IAM role (`AWS::IAM::Role`) with its trust policy and inline policies. */
export function roleModel(logicalId: string, name: string, arn: string, roleId: string, properties: Properties): RoleModel {
  return {
    logicalId,
    name,
    arn,
    roleId,
    maxSessionDurationSeconds: Number(properties.MaxSessionDuration ?? 3600),
    trustPolicy: properties.AssumeRolePolicyDocument as unknown as PolicyDocument,
    policies: ((properties.Policies ?? []) as Properties[]).map((policy) => ({
      name: String(policy.PolicyName),
      document: policy.PolicyDocument as unknown as PolicyDocument,
    })),
  }
}

/** Gives an identity pool the roles of its `AWS::Cognito::IdentityPoolRoleAttachment`. */
export function attachRoles(identityPools: IdentityPoolModel[], attachment: Properties): void {
  const pool = identityPools.find((candidate) => candidate.id === attachment.IdentityPoolId)
  if (!pool) throw new Error(`Role attachment names unknown identity pool ${String(attachment.IdentityPoolId)}`)
  const roles = (attachment.Roles ?? {}) as Record<string, string>
  pool.roles = { authenticated: roles.authenticated, unauthenticated: roles.unauthenticated }
}
