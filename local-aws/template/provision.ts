import { randomBytes, randomUUID } from 'node:crypto'
import type { CfnTemplate } from '../../infra/cfnYaml.ts'
import { evaluateCondition, resolveIntrinsics, type ResolveContext } from './intrinsics.ts'
import { userPoolSignInSettings, type UserPoolSignInSettings } from './userPoolSignIn.ts'

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

export interface UserPoolModel extends UserPoolSignInSettings {
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
  /** The message a code goes out in by SMS (`{####}` replaced). */
  verificationSms: string
  /** The role Cognito assumes to publish SMS through SNS; without it the pool sends no SMS at all. */
  smsConfiguration?: { snsCallerArn: string; externalId?: string }
  /** `MfaConfiguration`: whether riders need (ON), may turn on (OPTIONAL) or never get (OFF) a second factor. */
  mfaConfiguration: MfaConfiguration
  /** `EnabledMfas`: the second factors riders may use; local AWS serves software tokens (TOTP) only. */
  enabledMfas: 'SOFTWARE_TOKEN_MFA'[]
}

export type MfaConfiguration = 'OFF' | 'OPTIONAL' | 'ON'

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

/** A bucket policy (`AWS::S3::BucketPolicy`), intrinsics resolved. */
export interface BucketPolicyModel {
  bucket: string
  document: PolicyDocument
}

/** One HTTP response header a response headers policy sets. */
export interface ResponseHeader {
  name: string
  value: string
}

/**
 * A CloudFront distribution serving one S3 bucket through Origin Access Control: what local AWS's site server
 * reproduces (the root object, the viewer-request function that maps routes, the headers policy).
 */
export interface DistributionModel {
  logicalId: string
  id: string
  arn: string
  domainName: string
  /** The bucket of the default cache behaviour's origin. */
  originBucket: string
  defaultRootObject?: string
  /** The source of the viewer-request CloudFront Function, if any. */
  viewerRequestFunction?: string
  /** The headers the response headers policy adds, with their values as CloudFront sends them. */
  responseHeaders: ResponseHeader[]
  /** The default cache behaviour's `Compress`: text files go out gzipped to viewers that accept it. */
  compress: boolean
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
  bucketPolicies: BucketPolicyModel[]
  distributions: DistributionModel[]
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
  'AWS::S3::BucketPolicy': () => randomUUID(),
  'AWS::CloudFront::Distribution': () => `E${randomFrom('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 13)}`,
  'AWS::CloudFront::OriginAccessControl': () => `E${randomFrom('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 13)}`,
  'AWS::CloudFront::Function': ({ stackName }, logicalId) => `${stackName}-${logicalId}`,
  'AWS::CloudFront::ResponseHeadersPolicy': () => randomUUID(),
}

/**
 * Resources whose name the template may set: the physical id is then that name (`BucketName` makes the bucket's name,
 * as on AWS), resolved from parameters and pseudo parameters only.
 */
const NAME_PROPERTIES: Record<string, string> = {
  'AWS::S3::Bucket': 'BucketName',
  'AWS::CloudFront::Function': 'Name',
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
  ids['AWS::StackId'] ??= `arn:aws:cloudformation:${region}:${accountId}:stack/${stackName}/${randomUUID()}`
  const pseudoParameters = {
    ...parameterValues(template, options.parameters ?? {}),
    'AWS::Region': region,
    'AWS::AccountId': accountId,
    'AWS::StackName': stackName,
    'AWS::StackId': ids['AWS::StackId'],
    'AWS::Partition': 'aws',
    'AWS::URLSuffix': 'amazonaws.com',
  }
  const noResources = (logicalId: string, attribute: string): string => {
    throw new Error(`Local AWS does not know Fn::GetAtt ${logicalId}.${attribute} in a condition or a resource name: those use parameters only`)
  }
  const conditions: Record<string, boolean> = {}
  const conditionContext: ResolveContext = { refs: pseudoParameters, getAtt: noResources, conditions }
  for (const [name, condition] of Object.entries(template.Conditions ?? {})) {
    conditions[name] = evaluateCondition(condition, conditionContext)
  }
  // A resource whose condition is false is not created, as on AWS.
  const resources = Object.fromEntries(
    Object.entries(template.Resources).filter(([logicalId, resource]) => {
      if (resource.Condition === undefined) return true
      if (!(resource.Condition in conditions)) throw new Error(`${logicalId} names unknown condition ${resource.Condition}`)
      return conditions[resource.Condition]
    }),
  )
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
      case 'AWS::S3::BucketPolicy':
        model.bucketPolicies.push({ bucket: String(properties.Bucket), document: properties.PolicyDocument as unknown as PolicyDocument })
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
  const sms = properties.SmsConfiguration as Properties | undefined
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
    verificationSms: String(template.SmsMessage ?? properties.SmsVerificationMessage ?? 'Your verification code is {####}. '),
    ...(sms && {
      smsConfiguration: { snsCallerArn: String(sms.SnsCallerArn), ...(sms.ExternalId !== undefined && { externalId: String(sms.ExternalId) }) },
    }),
    ...mfaSettings(logicalId, properties),
    ...userPoolSignInSettings(logicalId, properties),
  }
}

/**
 * MfaConfiguration and EnabledMfas. A factor local AWS cannot serve (SMS, email) is a start-up error rather than a
 * pool that silently signs riders in with one factor fewer than AWS would ask for.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cognito-userpool.html#cfn-cognito-userpool-enabledmfas
 */
function mfaSettings(logicalId: string, properties: Properties): Pick<UserPoolModel, 'mfaConfiguration' | 'enabledMfas'> {
  const mfaConfiguration = String(properties.MfaConfiguration ?? 'OFF')
  if (mfaConfiguration !== 'OFF' && mfaConfiguration !== 'OPTIONAL' && mfaConfiguration !== 'ON') {
    throw new Error(`${logicalId}: MfaConfiguration must be OFF, OPTIONAL or ON, not "${mfaConfiguration}"`)
  }
  const enabledMfas = toList(properties.EnabledMfas)
  const unsupported = enabledMfas.filter((factor) => factor !== 'SOFTWARE_TOKEN_MFA')
  if (unsupported.length > 0) throw new Error(`${logicalId}: local AWS serves only SOFTWARE_TOKEN_MFA in EnabledMfas, not ${unsupported.join(', ')}`)
  if (mfaConfiguration !== 'OFF' && enabledMfas.length === 0) {
    throw new Error(`${logicalId}: MfaConfiguration ${mfaConfiguration} needs EnabledMfas: [SOFTWARE_TOKEN_MFA] (local AWS serves no SMS factor)`)
  }
  return { mfaConfiguration, enabledMfas: mfaConfiguration === 'OFF' ? [] : ['SOFTWARE_TOKEN_MFA'] }
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

/** A CloudFront Function's source. Only JavaScript functions exist; the runtime is checked so a new one is noticed. */
function cloudFrontFunctionCode(logicalId: string, properties: Properties): string {
  const runtime = String((properties.FunctionConfig as Properties | undefined)?.Runtime ?? '')
  if (!['cloudfront-js-1.0', 'cloudfront-js-2.0'].includes(runtime)) {
    throw new Error(`Local AWS cannot run ${logicalId}: unknown CloudFront Functions runtime "${runtime}"`)
  }
  return String(properties.FunctionCode ?? '')
}

/**
 * The headers a response headers policy adds, named and formatted as CloudFront sends them. Parts local AWS does not
 * reproduce (CORS, removed headers, Server-Timing) are a start-up error rather than silently missing locally.
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/understanding-response-headers-policies.html
 */
function responseHeaders(logicalId: string, properties: Properties): ResponseHeader[] {
  const config = (properties.ResponseHeadersPolicyConfig ?? {}) as Properties
  for (const unsupported of ['CorsConfig', 'RemoveHeadersConfig', 'ServerTimingHeadersConfig']) {
    if (config[unsupported] !== undefined) throw new Error(`Local AWS does not reproduce ${logicalId}.${unsupported}`)
  }
  const security = (config.SecurityHeadersConfig ?? {}) as Record<string, Properties | undefined>
  const headers: ResponseHeader[] = []
  const add = (name: string, value: string | undefined) => value !== undefined && headers.push({ name, value })
  add('Content-Security-Policy', security.ContentSecurityPolicy && String(security.ContentSecurityPolicy.ContentSecurityPolicy))
  const hsts = security.StrictTransportSecurity
  add(
    'Strict-Transport-Security',
    hsts &&
      [`max-age=${Number(hsts.AccessControlMaxAgeSec)}`, toBoolean(hsts.IncludeSubdomains, false) && 'includeSubDomains', toBoolean(hsts.Preload, false) && 'preload']
        .filter(Boolean)
        .join('; '),
  )
  add('X-Content-Type-Options', security.ContentTypeOptions && 'nosniff')
  add('Referrer-Policy', security.ReferrerPolicy && String(security.ReferrerPolicy.ReferrerPolicy))
  add('X-Frame-Options', security.FrameOptions && String(security.FrameOptions.FrameOption))
  const xss = security.XSSProtection
  add(
    'X-XSS-Protection',
    xss &&
      (toBoolean(xss.Protection, false)
        ? ['1', toBoolean(xss.ModeBlock, false) && 'mode=block', xss.ReportUri !== undefined && `report=${String(xss.ReportUri)}`].filter(Boolean).join('; ')
        : '0'),
  )
  const custom = ((config.CustomHeadersConfig as Properties | undefined)?.Items ?? []) as Properties[]
  for (const item of custom) add(String(item.Header), String(item.Value))
  return headers
}

interface DistributionParts {
  id: string
  arn: string
  domainName: string
  buckets: BucketModel[]
  /** Function source by FunctionARN. */
  functions: Record<string, string>
  /** Headers by response headers policy id. */
  headersPolicies: Record<string, ResponseHeader[]>
}

/**
 * The distribution as local AWS serves it: its default cache behaviour only, whose origin must be one of the
 * template's buckets behind Origin Access Control. Anything local AWS would serve differently is a start-up error.
 */
function distributionModel(logicalId: string, properties: Properties, parts: DistributionParts): DistributionModel {
  const config = (properties.DistributionConfig ?? {}) as Properties
  for (const unsupported of ['CacheBehaviors', 'CustomErrorResponses', 'OriginGroups', 'DefaultCacheBehavior.LambdaFunctionAssociations']) {
    const [first, second] = unsupported.split('.') as [string, string | undefined]
    const value = second ? (config[first] as Properties | undefined)?.[second] : config[first]
    if (value !== undefined && !(Array.isArray(value) && value.length === 0)) {
      throw new Error(`Local AWS does not reproduce ${logicalId}.${unsupported}`)
    }
  }
  const behaviour = (config.DefaultCacheBehavior ?? {}) as Properties
  const origin = ((config.Origins ?? []) as Properties[]).find((candidate) => candidate.Id === behaviour.TargetOriginId)
  const bucket = parts.buckets.find((candidate) => String(origin?.DomainName ?? '').startsWith(`${candidate.name}.s3.`))
  if (!origin || !bucket || origin.OriginAccessControlId === undefined) {
    throw new Error(`Local AWS serves ${logicalId} only from a bucket of the template through Origin Access Control`)
  }
  const associations = (behaviour.FunctionAssociations ?? []) as Properties[]
  const viewerRequest = associations.find((association) => association.EventType === 'viewer-request')
  if (associations.some((association) => association.EventType !== 'viewer-request')) {
    throw new Error(`Local AWS runs only viewer-request functions (${logicalId})`)
  }
  const functionArn = viewerRequest && String(viewerRequest.FunctionARN)
  if (functionArn !== undefined && parts.functions[functionArn] === undefined) {
    throw new Error(`${logicalId} names a CloudFront Function the template does not define: ${functionArn}`)
  }
  const headersPolicyId = behaviour.ResponseHeadersPolicyId === undefined ? undefined : String(behaviour.ResponseHeadersPolicyId)
  const headers = headersPolicyId === undefined ? [] : parts.headersPolicies[headersPolicyId]
  if (!headers) throw new Error(`${logicalId} names a response headers policy the template does not define: ${headersPolicyId}`)
  return {
    logicalId,
    id: parts.id,
    arn: parts.arn,
    domainName: parts.domainName,
    originBucket: bucket.name,
    ...(config.DefaultRootObject !== undefined && { defaultRootObject: String(config.DefaultRootObject) }),
    ...(functionArn !== undefined && { viewerRequestFunction: parts.functions[functionArn] }),
    responseHeaders: headers,
    compress: behaviour.Compress === true || behaviour.Compress === 'true',
  }
}
