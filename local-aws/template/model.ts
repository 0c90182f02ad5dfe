import type { UserPoolSignInSettings } from './userPoolSignIn.ts'

/** The model local AWS serves, built from the template: one type per resource it reproduces. */

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
  /**
   * `EnabledMfas`: the second factors riders may use. Local AWS serves software tokens (TOTP); SMS_MFA is accepted
   * with an SMS configuration, as Cognito requires, but no rider can turn it on locally.
   */
  enabledMfas: MfaFactor[]
}

export type MfaConfiguration = 'OFF' | 'OPTIONAL' | 'ON'

export type MfaFactor = 'SMS_MFA' | 'SOFTWARE_TOKEN_MFA'

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
