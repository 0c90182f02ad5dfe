import { describe, expect, it } from 'vitest'
import { readTemplate, type CfnTemplate } from '../../infra/cfnYaml.ts'
import { parameterCombinations } from '../../infra/parameterCombinations.ts'
import { checkAgainstResourceSpec } from '../../infra/resourceSpec.ts'
import { DEFAULT_TEMPLATE_PATH } from '../index.ts'
import { resolveIntrinsics } from './intrinsics.ts'
import { provision } from './provision.ts'
import { createdResources, stackContext } from './stackContext.ts'

/**
 * infra/template.yaml under every parameter set a deployer can pass (infra/parameterCombinations.ts): each must be a
 * valid template for CloudFormation's resource specification and be accepted by local AWS, which refuses what AWS
 * refuses (cfn-lint checks the same sets: infra/template.slow.spec.ts).
 */
const template = readTemplate(DEFAULT_TEMPLATE_PATH)
const combinations = parameterCombinations(template)
const scope = (stackName: string) => ({
  region: 'eu-west-1',
  accountId: '123456789012',
  stackName,
  stackId: `arn:aws:cloudformation:eu-west-1:123456789012:stack/${stackName}/0f5f3e1a-6d7b-11ef-9c1e-0a1b2c3d4e5f`,
})

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

const NO_VALUE = Symbol('AWS::NoValue')

function chooseBranches(value: unknown, conditions: Record<string, boolean>): unknown {
  if (Array.isArray(value)) return value.map((item) => chooseBranches(item, conditions)).filter((item) => item !== NO_VALUE)
  if (!isRecord(value)) return value
  if (value.Ref === 'AWS::NoValue') return NO_VALUE
  const branches = value['Fn::If']
  if (Array.isArray(branches) && Object.keys(value).length === 1) {
    const [name, whenTrue, whenFalse] = branches as [string, unknown, unknown]
    if (!(name in conditions)) throw new Error(`Unknown condition "${name}"`)
    return chooseBranches(conditions[name] ? whenTrue : whenFalse, conditions)
  }
  return Object.fromEntries(
    Object.entries(value)
      .map(([key, item]) => [key, chooseBranches(item, conditions)] as const)
      .filter(([, item]) => item !== NO_VALUE),
  )
}

/**
 * The template as CloudFormation deploys it under these conditions: only the resources it creates, each `Fn::If`
 * replaced by its chosen branch and `AWS::NoValue` dropped; every other intrinsic left as written.
 */
function withConditionsApplied(template: CfnTemplate, conditions: Record<string, boolean>): CfnTemplate {
  const resources = createdResources(template, conditions)
  return { ...template, Resources: chooseBranches(resources, conditions) as CfnTemplate['Resources'] }
}

describe('infra/template.yaml under every parameter combination', () => {
  it('enumerates every value of the parameters the conditions read', () => {
    expect(combinations.length).toBeGreaterThanOrEqual(32)
    for (const name of ['EnableSms', 'EnableWaf', 'SesIdentityArn', 'SesFromAddress', 'AppOrigins']) {
      expect(new Set(combinations.map((combination) => combination[name])).size, name).toBe(2)
    }
  })

  const label = (parameters: Record<string, string>) =>
    Object.entries(parameters)
      .map(([name, value]) => `${name}=${value.length > 12 ? '…' : value}`)
      .join(' ')
  it.each(combinations.map((parameters) => [label(parameters), parameters] as const))(
    '%s: matches the resource specification and provisions in local AWS',
    (_name, parameters) => {
      const { conditions = {} } = stackContext(template, parameters, scope('wild-rydes'))
      expect(checkAgainstResourceSpec(withConditionsApplied(template, conditions))).toEqual([])
      const model = provision(template, { ...scope('wild-rydes'), ids: {}, parameters })
      const [pool] = model.userPools
      // Cognito refuses a pool with an SMS configuration whose EnabledMfas leaves SMS_MFA out.
      expect(pool?.enabledMfas.includes('SMS_MFA')).toBe(pool?.smsConfiguration !== undefined)
    },
    // The first loads the resource specification.
    30_000,
  )
})

/**
 * Names AWS keeps unique per account (or globally) and their limits. Each must come from the stack's unique id, never
 * its name: the same stack name in two regions would collide, and a long one would not fit.
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cloudfront-limits.html
 */
const NAMES: Record<string, { path: string[]; maxLength: number; pattern: RegExp }> = {
  'AWS::Cognito::UserPool': { path: ['UserPoolName'], maxLength: 128, pattern: /^[\w\s+=,.@-]+$/ },
  'AWS::Cognito::IdentityPool': { path: ['IdentityPoolName'], maxLength: 128, pattern: /^[\w\s+=,.@-]+$/ },
  'AWS::S3::Bucket': { path: ['BucketName'], maxLength: 63, pattern: /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/ },
  'AWS::CloudFront::OriginAccessControl': { path: ['OriginAccessControlConfig', 'Name'], maxLength: 64, pattern: /^[\w-]+$/ },
  'AWS::CloudFront::Function': { path: ['Name'], maxLength: 64, pattern: /^[\w-]+$/ },
  'AWS::CloudFront::ResponseHeadersPolicy': { path: ['ResponseHeadersPolicyConfig', 'Name'], maxLength: 128, pattern: /^[\w-]+$/ },
  'AWS::CloudFront::Distribution': { path: ['DistributionConfig', 'Comment'], maxLength: 128, pattern: /^.*$/ },
  'AWS::WAFv2::WebACL': { path: ['Name'], maxLength: 128, pattern: /^[\w-]+$/ },
}

describe('infra/template.yaml names with the longest stack name CloudFormation allows', () => {
  // Stack names: a letter, then letters, digits and hyphens, 128 characters at most.
  const longest = 'wild-rydes-'.repeat(12).slice(0, 127).padEnd(128, 'x')
  const parameters = Object.fromEntries(Object.keys(template.Parameters ?? {}).map((name) => [name, combinations[0]?.[name] ?? '']))
  const context = stackContext(template, { ...parameters, EnableWaf: 'true' }, scope(longest))

  it.each(Object.entries(template.Resources).filter(([, resource]) => NAMES[resource.Type]))('%s', (logicalId, resource) => {
    expect(longest).toHaveLength(128)
    const { path, maxLength, pattern } = NAMES[resource.Type]!
    const written = path.reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], resource.Properties)
    if (written === undefined) return // CloudFormation generates the name, within the limits.
    const name = String(resolveIntrinsics(written, context))
    expect(name.length, name).toBeLessThanOrEqual(maxLength)
    expect(name).toMatch(pattern)
    expect(name).not.toContain(longest.slice(0, 20))
    expect(name).toContain('0f5f3e1a-6d7b-11ef-9c1e-0a1b2c3d4e5f')
  })
})
