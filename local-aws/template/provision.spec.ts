import { describe, expect, it } from 'vitest'
import { DEFAULT_TEMPLATE_PATH } from '../index.ts'
import { parseTemplate, readTemplate } from '../../infra/cfnYaml.ts'
import { provision, type ProvisionOptions } from './provision.ts'
import type { PhysicalIds } from './model.ts'

const options = (overrides: Partial<ProvisionOptions> = {}): ProvisionOptions => ({
  region: 'us-east-1',
  accountId: '000000000000',
  stackName: 'wild-rydes-local',
  ids: {},
  ...overrides,
})

const SMS_ROLE_ARN = 'arn:aws:iam::000000000000:role/sms'

/** A template with one bucket whose properties are the YAML given (indented under `Properties:`). */
function bucketTemplate(properties: string, extra = ''): string {
  return `
Parameters:
  Origin:
    Type: String
    Default: http://localhost:5173
Resources:
  Photos:
    Type: AWS::S3::Bucket
    Properties:
${properties}
${extra}`
}

describe('provision', () => {
  it('keeps every id stable when given the same ids object, and records new ones in it', () => {
    const template = readTemplate(DEFAULT_TEMPLATE_PATH)
    const ids: PhysicalIds = {}
    const first = provision(template, options({ ids }))
    const recorded = { ...ids }
    const second = provision(template, options({ ids: structuredClone(recorded) }))
    const fresh = provision(template, options())

    expect(Object.keys(recorded)).toEqual(expect.arrayContaining(['UserPool', 'UserPoolClient', 'IdentityPool', 'RiderRole', 'RiderRole.RoleId', 'PhotoBucket']))
    expect(second).toEqual(first)
    expect(fresh.userPools[0]?.id).not.toBe(first.userPools[0]?.id)
    expect(fresh.roles[0]?.roleId).not.toBe(first.roles[0]?.roleId)
  })

  it('shapes ids as AWS does, so that clients\' validation accepts them', () => {
    const model = provision(readTemplate(DEFAULT_TEMPLATE_PATH), options({ region: 'eu-west-3' }))
    expect(model.userPools[0]?.id).toMatch(/^eu-west-3_[0-9a-zA-Z]+$/)
    expect(model.userPools[0]?.issuer).toBe(`https://cognito-idp.eu-west-3.amazonaws.com/${model.userPools[0]?.id}`)
    expect(model.userPoolClients[0]?.id).toMatch(/^[a-z0-9]{26}$/)
    expect(model.identityPools[0]?.id).toMatch(/^eu-west-3:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
    expect(model.roles[0]?.roleId).toMatch(/^AROA[A-Z2-7]{17}$/)
    expect(model.roles[0]?.arn).toMatch(/^arn:aws:iam::000000000000:role\/wild-rydes-local-RiderRole-/)
    expect(model.buckets[0]?.name).toMatch(/^[a-z0-9][a-z0-9-]{2,62}$/)
  })

  it('refuses a resource type it cannot provision', () => {
    const template = parseTemplate('Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n')
    expect(() => provision(template, options())).toThrow('Local AWS cannot provision Queue: unsupported type AWS::SQS::Queue')
  })

  it.each([
    ['Fn::ImportValue', '      BucketName: !ImportValue shared-bucket-name', 'Local AWS does not support Fn::ImportValue in the template'],
    ['Fn::If on an unknown condition', '      BucketName: !If [IsProd, a, b]', 'Unknown condition "IsProd"'],
    ['Fn::Base64', '      BucketName: !Base64 abc', 'Local AWS does not support Fn::Base64 in the template'],
    ['an unknown Ref', '      BucketName: !Ref Nowhere', 'Ref to unknown name "Nowhere"'],
    ['an unknown attribute', '      BucketName: !GetAtt Photos.Website', 'Local AWS does not know Fn::GetAtt Photos.Website'],
  ])('refuses %s', (_name, properties, message) => {
    expect(() => provision(parseTemplate(bucketTemplate(properties)), options())).toThrow(message)
  })

  it.each([
    ['an unknown MfaConfiguration', 'MfaConfiguration: SOMETIMES', 'Pool: MfaConfiguration must be OFF, OPTIONAL or ON, not "SOMETIMES"'],
    ['email as a factor', 'MfaConfiguration: OPTIONAL\n      EnabledMfas: [EMAIL_OTP]', 'Pool: local AWS serves SMS_MFA and SOFTWARE_TOKEN_MFA in EnabledMfas, not EMAIL_OTP'],
    ['MFA without a factor', 'MfaConfiguration: ON', 'Pool: MfaConfiguration ON needs at least one factor in EnabledMfas'],
    ['a factor with MFA off', 'MfaConfiguration: "OFF"\n      EnabledMfas: [SOFTWARE_TOKEN_MFA]', "Pool: InvalidParameterException: Invalid MFA configuration given, can't turn off MFA and configure an MFA together."],
    [
      'an SMS configuration without SMS_MFA',
      `MfaConfiguration: OPTIONAL\n      EnabledMfas: [SOFTWARE_TOKEN_MFA]\n      SmsConfiguration:\n        SnsCallerArn: ${SMS_ROLE_ARN}`,
      "Pool: InvalidParameterException: Can't turn off SMS_MFA when SMS configuration is set for the user pool",
    ],
    ['SMS_MFA without an SMS configuration', 'MfaConfiguration: OPTIONAL\n      EnabledMfas: [SMS_MFA]', 'Pool: SMS_MFA in EnabledMfas needs an SmsConfiguration to send the codes'],
  ])('refuses a user pool with %s', (_name, properties, message) => {
    const template = parseTemplate(`Resources:\n  Pool:\n    Type: AWS::Cognito::UserPool\n    Properties:\n      ${properties}\n`)
    expect(() => provision(template, options())).toThrow(message)
  })

  it('accepts SMS_MFA beside software tokens when the pool has an SMS configuration, as Cognito requires', () => {
    const template = parseTemplate(
      `Resources:\n  Pool:\n    Type: AWS::Cognito::UserPool\n    Properties:\n      MfaConfiguration: OPTIONAL\n      EnabledMfas: [SMS_MFA, SOFTWARE_TOKEN_MFA]\n      SmsConfiguration:\n        SnsCallerArn: ${SMS_ROLE_ARN}\n`,
    )
    expect(provision(template, options()).userPools[0]).toMatchObject({ mfaConfiguration: 'OPTIONAL', enabledMfas: ['SMS_MFA', 'SOFTWARE_TOKEN_MFA'] })
  })

  it('reads MFA as off when the template leaves it out, as Cognito does', () => {
    const template = parseTemplate('Resources:\n  Pool:\n    Type: AWS::Cognito::UserPool\n')
    expect(provision(template, options()).userPools[0]).toMatchObject({ mfaConfiguration: 'OFF', enabledMfas: [] })
  })

  it('lets parameters override their defaults, and checks AllowedValues and missing values', () => {
    const template = readTemplate(DEFAULT_TEMPLATE_PATH)
    const model = provision(template, options({ parameters: { PasswordMinimumLength: '12', PasswordRequireSymbols: 'true', AppOrigins: 'https://rides.example, http://127.0.0.1:*' } }))
    expect(model.userPools[0]?.passwordPolicy).toMatchObject({ minimumLength: 12, requireSymbols: true })
    expect(model.buckets[0]?.corsRules[0]?.allowedOrigins).toEqual([`https://${model.distributions[0]?.domainName}`, 'https://rides.example', 'http://127.0.0.1:*'])
    expect(provision(template, options()).userPools[0]?.passwordPolicy).toMatchObject({ minimumLength: 8, requireSymbols: false })

    expect(() => provision(template, options({ parameters: { PasswordRequireSymbols: 'yes' } }))).toThrow(
      'Template parameter PasswordRequireSymbols must be one of true, false',
    )
    const withoutDefault = parseTemplate(bucketTemplate('      BucketName: !Ref Name', 'Outputs: {}').replace('Parameters:', 'Parameters:\n  Name:\n    Type: String'))
    expect(() => provision(withoutDefault, options())).toThrow('Template parameter Name has no default and no value was given')
    expect(provision(withoutDefault, options({ parameters: { Name: 'x' } })).buckets).toHaveLength(1)
  })

  it('evaluates Conditions: a false one leaves its resource out, Fn::If picks a branch, AWS::NoValue drops a property', () => {
    const template = parseTemplate(`
Parameters:
  Stage:
    Type: String
    Default: dev
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
  IsNotProd: !Not [!Condition IsProd]
  Both: !And [!Condition IsNotProd, !Or [!Equals [a, a], !Condition IsProd]]
Resources:
  Photos:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !If [Both, dev-photos, !Ref AWS::NoValue]
  Archive:
    Type: AWS::S3::Bucket
    Condition: IsProd
Outputs:
  Stage:
    Value: !If [IsProd, production, development]
`)
    const dev = provision(template, options())
    expect(dev.buckets.map((bucket) => bucket.name)).toEqual(['dev-photos'])
    expect(dev.outputs).toEqual([{ name: 'Stage', value: 'development' }])
    const prod = provision(template, options({ parameters: { Stage: 'prod' } }))
    expect(prod.buckets.map((bucket) => bucket.logicalId)).toEqual(['Photos', 'Archive'])
    expect(prod.buckets[0]?.name).toMatch(/^wild-rydes-local-photos-/)
    expect(prod.outputs[0]?.value).toBe('production')
  })

  it('resolves !Sub, keeping ${!Literal} as the text ${Literal} (how the template writes IAM policy variables)', () => {
    const template = parseTemplate(`
Resources:
  Photos:
    Type: AWS::S3::Bucket
Outputs:
  Own:
    Value: !Sub arn:\${AWS::Partition}:s3:::\${Photos}/private/\${!cognito-identity.amazonaws.com:sub}/*
  WithVariables:
    Value: !Sub
      - \${Scheme}://\${Photos.RegionalDomainName}/\${!Literal}
      - Scheme: https
  Joined:
    Value: !Join ['/', [!Ref AWS::Region, !Select [1, !Split [',', 'a,b,c']]]]
`)
    const ids: PhysicalIds = { Photos: 'photos-bucket' }
    const outputs = Object.fromEntries(provision(template, options({ ids })).outputs.map((output) => [output.name, output.value]))
    expect(outputs).toEqual({
      Own: 'arn:aws:s3:::photos-bucket/private/${cognito-identity.amazonaws.com:sub}/*',
      WithVariables: 'https://photos-bucket.s3.us-east-1.amazonaws.com/${Literal}',
      Joined: 'us-east-1/b',
    })
  })

  it('provisions the template\'s policies with the IAM variables left for the evaluator', () => {
    const model = provision(readTemplate(DEFAULT_TEMPLATE_PATH), options())
    const resources = model.roles[0]?.policies.flatMap(({ document }) =>
      (Array.isArray(document.Statement) ? document.Statement : [document.Statement]).flatMap((statement) => statement.Resource ?? []),
    )
    expect(resources).toContain(`arn:aws:s3:::${model.buckets[0]?.name}/protected/\${cognito-identity.amazonaws.com:sub}/profile/*`)
  })
})
