import { randomBytes, randomUUID } from 'node:crypto'
import type { CfnTemplate } from '../../infra/cfnYaml.ts'
import { resolveIntrinsics, type ResolveContext } from './intrinsics.ts'

export interface PasswordPolicy {
  minimumLength: number
  requireLowercase: boolean
  requireUppercase: boolean
  requireNumbers: boolean
  requireSymbols: boolean
  temporaryPasswordValidityDays: number
}

export interface SchemaAttribute {
  name: string
  dataType: string
  required: boolean
  mutable: boolean
}

export interface UserPoolModel {
  logicalId: string
  id: string
  name: string
  arn: string
  /** `cognito-idp.{region}.amazonaws.com/{id}`: the `Logins` key and the issuer without its scheme. */
  providerName: string
  /** The `iss` claim of this pool's tokens. */
  issuer: string
  usernameAttributes: string[]
  caseSensitiveUsernames: boolean
  autoVerifiedAttributes: string[]
  attributesRequireVerificationBeforeUpdate: string[]
  passwordPolicy: PasswordPolicy
  schema: SchemaAttribute[]
  verificationEmail: { subject: string; message: string }
  /** `EmailConfiguration.EmailSendingAccount`: `COGNITO_DEFAULT` (Cognito's own sender, with its daily quota) or `DEVELOPER` (SES). */
  emailSendingAccount: string
}

export interface UserPoolClientModel {
  logicalId: string
  id: string
  userPoolId: string
  name: string
  hasSecret: boolean
  explicitAuthFlows: string[]
  preventUserExistenceErrors: boolean
  enableTokenRevocation: boolean
  accessTokenValiditySeconds: number
  idTokenValiditySeconds: number
  refreshTokenValiditySeconds: number
  /** Attributes the client may read and write; undefined means all. */
  readAttributes?: string[]
  writeAttributes?: string[]
}

export interface IdentityProviderLink {
  providerName: string
  clientId: string
  serverSideTokenCheck: boolean
}

export interface IdentityPoolModel {
  logicalId: string
  id: string
  name: string
  allowUnauthenticatedIdentities: boolean
  allowClassicFlow: boolean
  providers: IdentityProviderLink[]
  /** Role ARNs from the pool's role attachment. */
  roles: { authenticated?: string; unauthenticated?: string }
}

/** An IAM policy document as written in the template, intrinsics resolved. */
export interface PolicyDocument {
  Version?: string
  Statement: PolicyStatement | PolicyStatement[]
}

export interface PolicyStatement {
  Sid?: string
  Effect: 'Allow' | 'Deny'
  Principal?: unknown
  NotPrincipal?: unknown
  Action?: string | string[]
  NotAction?: string | string[]
  Resource?: string | string[]
  NotResource?: string | string[]
  Condition?: Record<string, Record<string, string | string[] | boolean | number>>
}

export interface RoleModel {
  logicalId: string
  name: string
  arn: string
  /** The unique id (`AROA…`) AWS gives a role: the first part of `aws:userid` in its sessions. */
  roleId: string
  maxSessionDurationSeconds: number
  trustPolicy: PolicyDocument
  policies: { name: string; document: PolicyDocument }[]
}

export interface CorsRule {
  allowedOrigins: string[]
  allowedMethods: string[]
  allowedHeaders: string[]
  exposedHeaders: string[]
  maxAgeSeconds?: number
}

export interface BucketModel {
  logicalId: string
  name: string
  arn: string
  corsRules: CorsRule[]
  /** `SSEAlgorithm` of the bucket's default encryption: what S3 reports in `x-amz-server-side-encryption`. */
  defaultEncryption: string
}

/** Everything local AWS serves, as the template describes it. */
export interface ProvisionedModel {
  region: string
  accountId: string
  userPools: UserPoolModel[]
  userPoolClients: UserPoolClientModel[]
  identityPools: IdentityPoolModel[]
  roles: RoleModel[]
  buckets: BucketModel[]
  /** The stack's outputs, resolved. */
  outputs: { name: string; description?: string; value: string }[]
}

/** Physical ids by logical id, kept in the data folder so that ids are stable across restarts. */
export type PhysicalIds = Record<string, string>

export interface ProvisionOptions {
  region: string
  accountId: string
  stackName: string
  /** Parameter values that override the template's defaults. */
  parameters?: Record<string, string>
  /** Ids from an earlier start; new ones are added to this object. */
  ids: PhysicalIds
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

function randomFrom(alphabet: string, length: number): string {
  const bytes = randomBytes(length)
  return Array.from(bytes, (byte) => alphabet[byte % alphabet.length]).join('')
}

/** Ids shaped as AWS shapes them, so that clients' validation patterns accept them. */
const idFactories: Record<string, (options: ProvisionOptions, logicalId: string) => string> = {
  'AWS::Cognito::UserPool': ({ region }) => `${region}_${randomFrom(ALPHANUMERIC, 9)}`,
  'AWS::Cognito::UserPoolClient': () => randomFrom('abcdefghijklmnopqrstuvwxyz0123456789', 26),
  'AWS::Cognito::IdentityPool': ({ region }) => `${region}:${randomUUID()}`,
  'AWS::Cognito::IdentityPoolRoleAttachment': () => randomUUID(),
  'AWS::IAM::Role': ({ stackName }, logicalId) => `${stackName}-${logicalId}-${randomFrom(ALPHANUMERIC, 12)}`,
  'AWS::S3::Bucket': ({ stackName }, logicalId) =>
    `${stackName}-${logicalId}-${randomFrom('abcdefghijklmnopqrstuvwxyz0123456789', 12)}`.toLowerCase(),
}

function toBoolean(value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback
  return value === true || value === 'true'
}

function toList(value: unknown): string[] {
  if (value === undefined) return []
  return (Array.isArray(value) ? value : [value]).map(String)
}

const SECONDS_PER_UNIT: Record<string, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86400 }

function validitySeconds(value: unknown, unit: unknown, defaultUnit: string, fallbackSeconds: number): number {
  if (value === undefined) return fallbackSeconds
  const seconds = SECONDS_PER_UNIT[String(unit ?? defaultUnit)]
  if (!seconds) throw new Error(`Unknown token validity unit "${String(unit)}"`)
  return Number(value) * seconds
}

type Properties = Record<string, unknown>

function parameterValues(template: CfnTemplate, overrides: Record<string, string>): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {}
  for (const [name, parameter] of Object.entries(template.Parameters ?? {})) {
    const raw = overrides[name] ?? parameter.Default
    if (raw === undefined) throw new Error(`Template parameter ${name} has no default and no value was given`)
    const text = String(raw)
    if (parameter.AllowedValues && !parameter.AllowedValues.map(String).includes(text)) {
      throw new Error(`Template parameter ${name} must be one of ${parameter.AllowedValues.join(', ')}`)
    }
    values[name] = parameter.Type === 'CommaDelimitedList' ? text.split(',').map((item) => item.trim()) : text
  }
  return values
}

/**
 * Turns the template into the model local AWS serves. Every resource type must be known: a resource local AWS would
 * silently skip could be the very one that makes real AWS behave differently.
 */
export function provision(template: CfnTemplate, options: ProvisionOptions): ProvisionedModel {
  const { region, accountId, stackName, ids } = options
  const resources = template.Resources
  for (const [logicalId, resource] of Object.entries(resources)) {
    const makeId = idFactories[resource.Type]
    if (!makeId) throw new Error(`Local AWS cannot provision ${logicalId}: unsupported type ${resource.Type}`)
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
  }
  const context: ResolveContext = {
    refs: {
      ...parameterValues(template, options.parameters ?? {}),
      'AWS::Region': region,
      'AWS::AccountId': accountId,
      'AWS::StackName': stackName,
      'AWS::Partition': 'aws',
      'AWS::URLSuffix': 'amazonaws.com',
      ...Object.fromEntries(Object.keys(resources).map((logicalId) => [logicalId, physicalId(logicalId)])),
    },
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
    outputs: [],
  }
  const attachments: Properties[] = []
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
        model.roles.push({
          logicalId,
          name: id,
          arn: context.getAtt(logicalId, 'Arn'),
          roleId: context.getAtt(logicalId, 'RoleId'),
          maxSessionDurationSeconds: Number(properties.MaxSessionDuration ?? 3600),
          trustPolicy: properties.AssumeRolePolicyDocument as unknown as PolicyDocument,
          policies: ((properties.Policies ?? []) as Properties[]).map((policy) => ({
            name: String(policy.PolicyName),
            document: policy.PolicyDocument as unknown as PolicyDocument,
          })),
        })
        break
      case 'AWS::S3::Bucket':
        model.buckets.push(bucketModel(logicalId, id, properties))
        break
    }
  }
  for (const attachment of attachments) {
    const pool = model.identityPools.find((candidate) => candidate.id === attachment.IdentityPoolId)
    if (!pool) throw new Error(`Role attachment names unknown identity pool ${String(attachment.IdentityPoolId)}`)
    const roles = (attachment.Roles ?? {}) as Record<string, string>
    pool.roles = { authenticated: roles.authenticated, unauthenticated: roles.unauthenticated }
  }
  for (const [name, output] of Object.entries(template.Outputs ?? {})) {
    const value = resolveIntrinsics(output.Value, context)
    model.outputs.push({ name, description: output.Description, value: String(value) })
  }
  return model
}

function roleId(ids: PhysicalIds, logicalId: string): string {
  const key = `${logicalId}.RoleId`
  ids[key] ??= `AROA${randomFrom('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 17)}`
  return ids[key]
}

function userPoolModel(logicalId: string, id: string, arn: string, region: string, properties: Properties): UserPoolModel {
  const policy = ((properties.Policies as Properties | undefined)?.PasswordPolicy ?? {}) as Properties
  const updateSettings = (properties.UserAttributeUpdateSettings ?? {}) as Properties
  const template = (properties.VerificationMessageTemplate ?? {}) as Properties
  const emailConfiguration = (properties.EmailConfiguration ?? {}) as Properties
  const providerName = `cognito-idp.${region}.amazonaws.com/${id}`
  return {
    logicalId,
    id,
    name: String(properties.UserPoolName ?? logicalId),
    arn,
    providerName,
    issuer: `https://${providerName}`,
    usernameAttributes: toList(properties.UsernameAttributes),
    emailSendingAccount: String(emailConfiguration.EmailSendingAccount ?? 'COGNITO_DEFAULT'),
    caseSensitiveUsernames: toBoolean((properties.UsernameConfiguration as Properties | undefined)?.CaseSensitive, true),
    autoVerifiedAttributes: toList(properties.AutoVerifiedAttributes),
    attributesRequireVerificationBeforeUpdate: toList(updateSettings.AttributesRequireVerificationBeforeUpdate),
    // Defaults are Cognito's own when the template leaves a rule out.
    passwordPolicy: {
      minimumLength: Number(policy.MinimumLength ?? 8),
      requireLowercase: toBoolean(policy.RequireLowercase, true),
      requireUppercase: toBoolean(policy.RequireUppercase, true),
      requireNumbers: toBoolean(policy.RequireNumbers, true),
      requireSymbols: toBoolean(policy.RequireSymbols, true),
      temporaryPasswordValidityDays: Number(policy.TemporaryPasswordValidityDays ?? 7),
    },
    schema: ((properties.Schema ?? []) as Properties[]).map((attribute) => ({
      name: String(attribute.Name),
      dataType: String(attribute.AttributeDataType ?? 'String'),
      required: toBoolean(attribute.Required, false),
      mutable: toBoolean(attribute.Mutable, true),
    })),
    verificationEmail: {
      subject: String(template.EmailSubject ?? properties.EmailVerificationSubject ?? 'Your verification code'),
      message: String(template.EmailMessage ?? properties.EmailVerificationMessage ?? 'Your verification code is {####}. '),
    },
  }
}

function userPoolClientModel(logicalId: string, id: string, properties: Properties): UserPoolClientModel {
  const units = (properties.TokenValidityUnits ?? {}) as Properties
  return {
    logicalId,
    id,
    userPoolId: String(properties.UserPoolId),
    name: String(properties.ClientName ?? logicalId),
    hasSecret: toBoolean(properties.GenerateSecret, false),
    explicitAuthFlows: toList(properties.ExplicitAuthFlows),
    preventUserExistenceErrors: properties.PreventUserExistenceErrors === 'ENABLED',
    enableTokenRevocation: toBoolean(properties.EnableTokenRevocation, true),
    accessTokenValiditySeconds: validitySeconds(properties.AccessTokenValidity, units.AccessToken, 'hours', 3600),
    idTokenValiditySeconds: validitySeconds(properties.IdTokenValidity, units.IdToken, 'hours', 3600),
    refreshTokenValiditySeconds: validitySeconds(properties.RefreshTokenValidity, units.RefreshToken, 'days', 30 * 86400),
    readAttributes: properties.ReadAttributes === undefined ? undefined : toList(properties.ReadAttributes),
    writeAttributes: properties.WriteAttributes === undefined ? undefined : toList(properties.WriteAttributes),
  }
}

function identityPoolModel(logicalId: string, id: string, properties: Properties): IdentityPoolModel {
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

function bucketModel(logicalId: string, name: string, properties: Properties): BucketModel {
  const cors = ((properties.CorsConfiguration as Properties | undefined)?.CorsRules ?? []) as Properties[]
  const encryption = ((properties.BucketEncryption as Properties | undefined)?.ServerSideEncryptionConfiguration ?? []) as Properties[]
  const encryptionByDefault = encryption[0]?.ServerSideEncryptionByDefault as Properties | undefined
  return {
    logicalId,
    name,
    arn: `arn:aws:s3:::${name}`,
    // Since January 2023 every bucket encrypts new objects with SSE-S3 (AES256) unless told otherwise.
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-encryption-faq.html
    defaultEncryption: String(encryptionByDefault?.SSEAlgorithm ?? 'AES256'),
    corsRules: cors.map((rule) => ({
      allowedOrigins: toList(rule.AllowedOrigins),
      allowedMethods: toList(rule.AllowedMethods),
      allowedHeaders: toList(rule.AllowedHeaders),
      exposedHeaders: toList(rule.ExposedHeaders),
      maxAgeSeconds: rule.MaxAge === undefined ? undefined : Number(rule.MaxAge),
    })),
  }
}
