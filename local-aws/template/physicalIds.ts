/** Physical ids for the template's resources, shaped as AWS shapes them. */
import { randomBytes, randomUUID } from 'node:crypto'
import type { PhysicalIds } from './model.ts'

/** What a physical id may be derived from. */
export interface IdContext {
  region: string
  stackName: string
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

function randomFrom(alphabet: string, length: number): string {
  const bytes = randomBytes(length)
  return Array.from(bytes, (byte) => alphabet[byte % alphabet.length]).join('')
}

/** Ids shaped as AWS shapes them, so that clients' validation patterns accept them. */
export const idFactories: Record<string, (context: IdContext, logicalId: string) => string> = {
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
  'AWS::WAFv2::WebACL': () => randomUUID(),
  'AWS::WAFv2::WebACLAssociation': () => randomUUID(),
}

/**
 * Resources whose name the template may set: the physical id is then that name (`BucketName` makes the bucket's name,
 * as on AWS), resolved from parameters and pseudo parameters only.
 */
export const NAME_PROPERTIES: Record<string, string> = {
  'AWS::S3::Bucket': 'BucketName',
  'AWS::CloudFront::Function': 'Name',
}

/** The unique id (`AROA…`) of a role, kept with the physical ids so that `aws:userid` is stable across restarts. */
export function roleId(ids: PhysicalIds, logicalId: string): string {
  const key = `${logicalId}.RoleId`
  ids[key] ??= `AROA${randomFrom('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 17)}`
  return ids[key]
}
