import { randomUUID } from 'node:crypto'
import type { CfnTemplate } from '../../infra/cfnYaml.ts'
import { distributionModel, cloudFrontFunctionCode, responseHeaders } from './cloudfront.ts'
import { attachRoles, identityPoolModel, roleModel } from './cognitoIdentity.ts'
import { userPoolClientModel, userPoolModel } from './cognitoIdp.ts'
import { resolveIntrinsics, type ResolveContext } from './intrinsics.ts'
import type { PhysicalIds, ProvisionedModel, ResponseHeader } from './model.ts'
import { idFactories, NAME_PROPERTIES, roleId } from './physicalIds.ts'
import type { Properties } from './properties.ts'
import { bucketModel, bucketPolicyModel } from './s3.ts'
import { createdResources, stackContext } from './stackContext.ts'

export interface ProvisionOptions {
  region: string
  accountId: string
  stackName: string
  /** Parameter values that override the template's defaults. */
  parameters?: Record<string, string>
  /** Ids from an earlier start; new ones are added to this object. */
  ids: PhysicalIds
}

/**
 * Turns the template into the model local AWS serves. Every resource type must be known: a resource local AWS would
 * silently skip could be the very one that makes real AWS behave differently.
 */
export function provision(template: CfnTemplate, options: ProvisionOptions): ProvisionedModel {
  const { region, accountId, stackName, ids } = options
  ids['AWS::StackId'] ??= `arn:aws:cloudformation:${region}:${accountId}:stack/${stackName}/${randomUUID()}`
  const conditionContext = stackContext(template, options.parameters ?? {}, { region, accountId, stackName, stackId: ids['AWS::StackId'] })
  const { refs: pseudoParameters, conditions = {} } = conditionContext
  const resources = createdResources(template, conditions)
  for (const [logicalId, resource] of Object.entries(resources)) {
    const makeId = idFactories[resource.Type]
    if (!makeId) throw new Error(`Local AWS cannot provision ${logicalId}: unsupported type ${resource.Type}`)
    const nameProperty = NAME_PROPERTIES[resource.Type]
    const written = nameProperty && resource.Properties?.[nameProperty]
    // Resolved as a property, so that `!If [Cond, name, !Ref AWS::NoValue]` can leave the name to AWS.
    const name = written ? (resolveIntrinsics({ name: written }, conditionContext) as { name?: unknown }).name : undefined
    if (name !== undefined && name !== '') ids[logicalId] = String(name)
    ids[logicalId] ??= makeId(options, logicalId)
  }

  const physicalId = (logicalId: string): string => {
    const id = ids[logicalId]
    if (!id) throw new Error(`Unknown resource ${logicalId}`)
    return id
  }
  const roleIds: Record<string, string> = {}
  const attributes: Record<string, (logicalId: string) => string> = {
    'AWS::Cognito::UserPool.Arn': (id) => `arn:aws:cognito-idp:${region}:${accountId}:userpool/${physicalId(id)}`,
    'AWS::Cognito::UserPool.ProviderName': (id) => `cognito-idp.${region}.amazonaws.com/${physicalId(id)}`,
    'AWS::Cognito::UserPool.ProviderURL': (id) => `https://cognito-idp.${region}.amazonaws.com/${physicalId(id)}`,
    'AWS::Cognito::UserPool.UserPoolId': physicalId,
    'AWS::Cognito::UserPoolClient.ClientId': physicalId,
    'AWS::Cognito::IdentityPool.Id': physicalId,
    'AWS::IAM::Role.Arn': (id) => `arn:aws:iam::${accountId}:role/${physicalId(id)}`,
    'AWS::IAM::Role.RoleId': (id) => (roleIds[id] ??= roleId(ids, id)),
    'AWS::S3::Bucket.Arn': (id) => `arn:aws:s3:::${physicalId(id)}`,
    'AWS::S3::Bucket.DomainName': (id) => `${physicalId(id)}.s3.amazonaws.com`,
    'AWS::S3::Bucket.RegionalDomainName': (id) => `${physicalId(id)}.s3.${region}.amazonaws.com`,
    'AWS::CloudFront::Distribution.Id': physicalId,
    // Distributions are named d…​.cloudfront.net on AWS; locally the name only has to be unique and stable.
    'AWS::CloudFront::Distribution.DomainName': (id) => `d${physicalId(id).slice(1).toLowerCase()}.cloudfront.net`,
    'AWS::CloudFront::OriginAccessControl.Id': physicalId,
    'AWS::CloudFront::Function.FunctionARN': (id) => `arn:aws:cloudfront::${accountId}:function/${physicalId(id)}`,
    'AWS::CloudFront::ResponseHeadersPolicy.Id': physicalId,
    'AWS::WAFv2::WebACL.Arn': (id) => `arn:aws:wafv2:${region}:${accountId}:regional/webacl/${id}/${physicalId(id)}`,
  }
  const context: ResolveContext = {
    refs: {
      ...pseudoParameters,
      ...Object.fromEntries(Object.keys(resources).map((logicalId) => [logicalId, physicalId(logicalId)])),
    },
    conditions,
    getAtt(logicalId, attribute) {
      const resource = resources[logicalId]
      const get = resource && attributes[`${resource.Type}.${attribute}`]
      if (!get) throw new Error(`Local AWS does not know Fn::GetAtt ${logicalId}.${attribute}`)
      return get(logicalId)
    },
  }

  const model: ProvisionedModel = {
    region,
    accountId,
    userPools: [],
    userPoolClients: [],
    identityPools: [],
    roles: [],
    buckets: [],
    bucketPolicies: [],
    distributions: [],
    outputs: [],
  }
  const attachments: Properties[] = []
  const distributions: [string, Properties][] = []
  const functions: Record<string, string> = {}
  const headersPolicies: Record<string, ResponseHeader[]> = {}
  for (const [logicalId, resource] of Object.entries(resources)) {
    const properties = resolveIntrinsics(resource.Properties ?? {}, context) as Properties
    const id = physicalId(logicalId)
    switch (resource.Type) {
      case 'AWS::Cognito::UserPool':
        model.userPools.push(userPoolModel(logicalId, id, context.getAtt(logicalId, 'Arn'), region, properties))
        break
      case 'AWS::Cognito::UserPoolClient':
        model.userPoolClients.push(userPoolClientModel(logicalId, id, properties))
        break
      case 'AWS::Cognito::IdentityPool':
        model.identityPools.push(identityPoolModel(logicalId, id, properties))
        break
      case 'AWS::Cognito::IdentityPoolRoleAttachment':
        attachments.push(properties)
        break
      case 'AWS::IAM::Role':
        model.roles.push(roleModel(logicalId, id, context.getAtt(logicalId, 'Arn'), context.getAtt(logicalId, 'RoleId'), properties))
        break
      case 'AWS::S3::Bucket':
        model.buckets.push(bucketModel(logicalId, id, properties))
        break
      case 'AWS::S3::BucketPolicy':
        model.bucketPolicies.push(bucketPolicyModel(properties))
        break
      case 'AWS::CloudFront::Distribution':
        distributions.push([logicalId, properties])
        break
      case 'AWS::CloudFront::Function':
        functions[context.getAtt(logicalId, 'FunctionARN')] = cloudFrontFunctionCode(logicalId, properties)
        break
      case 'AWS::CloudFront::ResponseHeadersPolicy':
        headersPolicies[id] = responseHeaders(logicalId, properties)
        break
      // Signing requests to the bucket has no local meaning: the site server reads the bucket directly, as an OAC
      // that the bucket policy allows would.
      case 'AWS::CloudFront::OriginAccessControl':
        break
      // Accepted and not enforced: local AWS has no rate limits per IP (README, "Where local AWS differs").
      case 'AWS::WAFv2::WebACL':
      case 'AWS::WAFv2::WebACLAssociation':
        break
    }
  }
  for (const [logicalId, properties] of distributions) {
    model.distributions.push(
      distributionModel(logicalId, properties, {
        id: physicalId(logicalId),
        arn: `arn:aws:cloudfront::${accountId}:distribution/${physicalId(logicalId)}`,
        domainName: context.getAtt(logicalId, 'DomainName'),
        buckets: model.buckets,
        functions,
        headersPolicies,
      }),
    )
  }
  for (const attachment of attachments) attachRoles(model.identityPools, attachment)
  for (const [name, output] of Object.entries(template.Outputs ?? {})) {
    const value = resolveIntrinsics(output.Value, context)
    model.outputs.push({ name, description: output.Description, value: String(value) })
  }
  return model
}
