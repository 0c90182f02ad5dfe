import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { compileBucketPolicies, createAuthorizer } from '../iam/authorize.ts'
import { compileRoles, evaluateWebIdentityTrust } from '../iam/roles.ts'
import type { SessionCredentials } from '../credentials.ts'
import { parseTemplate } from '../../infra/cfnYaml.ts'
import { provision } from './provision.ts'
import type { PolicyStatement } from './model.ts'
import { viteEnvFromOutputs } from '../../infra/viteVariables.ts'

/**
 * The security and product properties infra/template.yaml must keep (docs/architecture.md#infrastructure), checked on
 * the template as written and, for the policies, by evaluating them as AWS would with local AWS's provisioner and IAM
 * evaluator: that is why this test lives in local-aws/ (infra/ never imports local-aws/).
 */

const templateText = readFileSync(fileURLToPath(new URL('../../infra/template.yaml', import.meta.url)), 'utf8')
const template = parseTemplate(templateText)
const model = provision(template, { region: 'eu-west-1', accountId: '123456789012', stackName: 'wild-rydes', ids: {} })
const roles = compileRoles(model)

type Properties = Record<string, unknown>

function onlyResource(type: string): { logicalId: string; properties: Properties } {
  const found = Object.entries(template.Resources).filter(([, resource]) => resource.Type === type)
  const [first] = found
  if (!first || found.length > 1) throw new Error(`the template must define exactly one ${type}, found ${found.length}`)
  const [logicalId, resource] = first
  return { logicalId, properties: resource.Properties ?? {} }
}

const list = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value])

const userPool = onlyResource('AWS::Cognito::UserPool')
const client = onlyResource('AWS::Cognito::UserPoolClient')
const identityPool = onlyResource('AWS::Cognito::IdentityPool')
const attachment = onlyResource('AWS::Cognito::IdentityPoolRoleAttachment')
function resource(logicalId: string): { logicalId: string; properties: Properties } {
  const found = template.Resources[logicalId]
  if (!found) throw new Error(`the template must define ${logicalId}`)
  return { logicalId, properties: found.Properties ?? {} }
}

const role = resource('RiderRole')
const bucket = resource('PhotoBucket')

const roleModel = model.roles.find((candidate) => candidate.logicalId === role.logicalId)
const bucketModel = model.buckets.find((candidate) => candidate.logicalId === bucket.logicalId)
const [identityPoolModel] = model.identityPools
const [distributionModel] = model.distributions
if (!roleModel || !bucketModel || !identityPoolModel || !distributionModel) {
  throw new Error('the template must provision a rider role, a photo bucket, an identity pool and a distribution')
}

/** Every statement of the role's permission policies, intrinsics resolved. */
const statements: PolicyStatement[] = roleModel.policies.flatMap(({ document }) => list(document.Statement))
const WRITE_ACTIONS = ['s3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:DeleteObjectVersion']

describe('infra/template.yaml: user pool', () => {
  const schema = list(userPool.properties.Schema as Properties[])
  const attribute = (name: string) => schema.find((entry) => entry.Name === name)

  it('signs riders in with their email as username', () => {
    expect(userPool.properties.UsernameAttributes).toEqual(['email'])
  })

  it('has the phone_number and name attributes, and a mutable picture', () => {
    expect(attribute('phone_number')).toMatchObject({ AttributeDataType: 'String' })
    expect(attribute('name')).toMatchObject({ AttributeDataType: 'String' })
    expect(attribute('picture')).toMatchObject({ Mutable: true })
  })

  it('has a password policy of at least 8 characters', () => {
    expect((userPool.properties.Policies as Properties).PasswordPolicy).toBeDefined()
    expect(model.userPools[0]?.passwordPolicy.minimumLength).toBeGreaterThanOrEqual(8)
  })

  it('verifies email automatically and keeps the old email until a new one is verified', () => {
    expect(userPool.properties.AutoVerifiedAttributes).toContain('email')
    expect((userPool.properties.UserAttributeUpdateSettings as Properties).AttributesRequireVerificationBeforeUpdate).toContain('email')
  })

  it('lets riders turn on two-step sign-in with an authenticator app, and with nothing that sends SMS', () => {
    expect(userPool.properties.MfaConfiguration).toBe('OPTIONAL')
    // SMS stays off by default (EnableSms): the authenticator app needs no SMS configuration.
    expect(model.userPools[0]).toMatchObject({ mfaConfiguration: 'OPTIONAL', enabledMfas: ['SOFTWARE_TOKEN_MFA'] })
    expect(model.userPools[0]?.smsConfiguration).toBeUndefined()
  })

  it('keeps SMS_MFA enabled when SMS is on, as Cognito requires of a pool with an SMS configuration', () => {
    const withSms = provision(template, { region: 'eu-west-1', accountId: '123456789012', stackName: 'wild-rydes', ids: {}, parameters: { EnableSms: 'true' } })
    expect(withSms.userPools[0]).toMatchObject({ mfaConfiguration: 'OPTIONAL', enabledMfas: ['SMS_MFA', 'SOFTWARE_TOKEN_MFA'] })
    expect(withSms.userPools[0]?.smsConfiguration).toBeDefined()
  })
})

describe('infra/template.yaml: riders and photos outlive the stack', () => {
  it.each(['UserPool', 'PhotoBucket'])('retains %s when the stack is deleted or the resource replaced', (logicalId) => {
    expect(template.Resources[logicalId]).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' })
  })

  it('turns on the user pool\'s deletion protection', () => {
    expect(userPool.properties.DeletionProtection).toBe('ACTIVE')
  })
})

const withoutPasskeys = provision(template, { region: 'eu-west-1', accountId: '123456789012', stackName: 'wild-rydes', ids: {}, parameters: { EnablePasskeys: 'false' } })

describe('infra/template.yaml: passkeys (EnablePasskeys)', () => {
  const siteHeader = (provisioned: typeof model, name: string) => provisioned.distributions[0]?.responseHeaders.find((header) => header.name === name)?.value

  it('by default, lets riders sign in with a password or a passkey bound to the site, verified and counting as a second factor', () => {
    expect(userPool.properties.UserPoolTier).toEqual({ 'Fn::If': ['HasPasskeys', 'ESSENTIALS', 'LITE'] })
    expect(model.userPools[0]).toMatchObject({
      allowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'],
      webAuthn: { relyingPartyId: model.distributions[0]?.domainName, userVerification: 'required', factorConfiguration: 'MULTI_FACTOR_WITH_USER_VERIFICATION' },
    })
    expect(siteHeader(model, 'Permissions-Policy')).toContain('publickey-credentials-create=(self), publickey-credentials-get=(self)')
    expect(viteEnvFromOutputs(model.outputs).VITE_PASSKEYS).toBe('true')
  })

  it("with EnablePasskeys=false, keeps passwords alone and forbids the site's pages any passkey", () => {
    expect(withoutPasskeys.userPools[0]).toMatchObject({ allowedFirstAuthFactors: ['PASSWORD'], webAuthn: { factorConfiguration: 'SINGLE_FACTOR' } })
    expect(withoutPasskeys.userPools[0]?.webAuthn.relyingPartyId).toBeUndefined()
    expect(siteHeader(withoutPasskeys, 'Permissions-Policy')).toContain('publickey-credentials-create=(), publickey-credentials-get=()')
    expect(viteEnvFromOutputs(withoutPasskeys.outputs).VITE_PASSKEYS).toBe('false')
  })
})

describe('infra/template.yaml: app client', () => {
  it('has no secret (a browser cannot keep one)', () => {
    expect(client.properties.GenerateSecret).toBe(false)
  })

  it('allows exactly SRP sign-in and refresh, and choice-based sign-in (USER_AUTH) when passkeys are on', () => {
    expect([...(model.userPoolClients[0]?.explicitAuthFlows ?? [])].sort()).toEqual(['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_AUTH', 'ALLOW_USER_SRP_AUTH'])
    expect([...(withoutPasskeys.userPoolClients[0]?.explicitAuthFlows ?? [])].sort()).toEqual(['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH'])
  })

  it('prevents user-existence errors', () => {
    expect(client.properties.PreventUserExistenceErrors).toBe('ENABLED')
  })
})

describe('infra/template.yaml: identity pool and role', () => {
  it('allows no unauthenticated identities and trusts only our user pool and app client', () => {
    expect(identityPool.properties.AllowUnauthenticatedIdentities).toBe(false)
    expect(identityPoolModel.providers).toEqual([
      { providerName: model.userPools[0]?.providerName, clientId: model.userPoolClients[0]?.id, serverSideTokenCheck: true },
    ])
  })

  it('attaches the rider role as the authenticated role only', () => {
    expect(attachment.properties.Roles).toEqual({ authenticated: { 'Fn::GetAtt': [role.logicalId, 'Arn'] } })
    expect(identityPoolModel.roles).toEqual({ authenticated: roleModel.arn, unauthenticated: undefined })
  })

  it('trusts only this identity pool, for authenticated identities', () => {
    const compiled = roles.get(roleModel.arn)
    if (!compiled) throw new Error('role not compiled')
    const provider = model.userPools[0]?.providerName ?? ''
    const authenticated = ['authenticated', provider, `${provider}:CognitoSignIn:rider-sub`]
    const claims = { identityId: 'eu-west-1:aaaaaaaa-0000-4000-8000-000000000000', identityPoolId: identityPoolModel.id, amr: authenticated }
    expect(evaluateWebIdentityTrust(compiled, claims)).toBe('Allow')
    expect(evaluateWebIdentityTrust(compiled, { ...claims, identityPoolId: 'eu-west-1:00000000-0000-0000-0000-000000000000' })).toBe('ImplicitDeny')
    expect(evaluateWebIdentityTrust(compiled, { ...claims, amr: ['unauthenticated'] })).toBe('ImplicitDeny')
  })
})

describe('infra/template.yaml: the rider role policy', () => {
  const authorize = createAuthorizer(roles)
  const rider = (identityId: string): SessionCredentials => ({
    accessKeyId: 'ASIAEXAMPLE0000000000',
    secretAccessKey: 'secret',
    sessionToken: 'token',
    expiration: 0,
    roleArn: roleModel.arn,
    roleId: roleModel.roleId,
    identityId,
    identityPoolId: identityPoolModel.id,
    amr: ['authenticated'],
  })
  const me = rider('eu-west-1:aaaaaaaa-0000-4000-8000-00000000000a')
  const other = 'eu-west-1:bbbbbbbb-0000-4000-8000-00000000000b'
  const objectArn = (key: string) => `${bucketModel.arn}/${key}`

  it('never uses aws:userid: it is the same for every rider of an identity pool', () => {
    // Anywhere in the template's data (comments may explain the trap, so they are not searched).
    expect(JSON.stringify(template).toLowerCase()).not.toContain('aws:userid')
  })

  it('writes only where the app writes: protected/${cognito-identity.amazonaws.com:sub}/profile/', () => {
    const writes = statements.filter((statement) => list(statement.Action).some((action) => WRITE_ACTIONS.includes(action)))
    expect(writes.length).toBeGreaterThan(0)
    for (const resource of writes.flatMap((statement) => list(statement.Resource))) {
      expect(resource).toBe(`${bucketModel.arn}/protected/\${cognito-identity.amazonaws.com:sub}/profile/*`)
    }
  })

  it('has no s3:* (nor any wildcard action), no Resource "*", and no NotAction/NotResource', () => {
    for (const statement of statements) {
      for (const action of list(statement.Action)) expect(action).not.toContain('*')
      for (const resource of list(statement.Resource)) expect(resource).not.toMatch(/^(\*|arn:aws:s3:::\*)$/)
      expect(statement.NotAction).toBeUndefined()
      expect(statement.NotResource).toBeUndefined()
    }
  })

  it('makes no part of public/ writable', () => {
    for (const action of WRITE_ACTIONS) {
      expect(authorize({ session: me, action, resource: objectArn('public/photo.jpg') })).not.toBe('Allow')
    }
    expect(authorize({ session: me, action: 's3:GetObject', resource: objectArn('public/photo.jpg') })).toBe('Allow')
  })

  it('lets a rider write only their own profile folder, and read protected/ of anyone', () => {
    expect(authorize({ session: me, action: 's3:PutObject', resource: objectArn(`protected/${me.identityId}/profile/a.webp`) })).toBe('Allow')
    expect(authorize({ session: me, action: 's3:DeleteObject', resource: objectArn(`protected/${me.identityId}/profile/a.webp`) })).toBe('Allow')
    for (const key of [`protected/${me.identityId}/a.webp`, `private/${me.identityId}/a.webp`, `protected/${other}/profile/a.webp`]) {
      expect(authorize({ session: me, action: 's3:PutObject', resource: objectArn(key) }), key).toBe('ImplicitDeny')
      expect(authorize({ session: me, action: 's3:DeleteObject', resource: objectArn(key) }), key).toBe('ImplicitDeny')
    }
    expect(authorize({ session: me, action: 's3:GetObject', resource: objectArn(`protected/${other}/a.webp`) })).toBe('Allow')
    expect(authorize({ session: me, action: 's3:GetObject', resource: objectArn(`private/${other}/a.webp`) })).toBe('ImplicitDeny')
  })

  it('allows s3:ListBucket only with an s3:prefix condition on the rider\'s own prefixes', () => {
    const listings = statements.filter((statement) => list(statement.Action).includes('s3:ListBucket'))
    expect(listings.length).toBeGreaterThan(0)
    for (const statement of listings) {
      const prefixes = Object.values(statement.Condition ?? {}).flatMap((keys) => list(keys['s3:prefix'] as string | string[] | undefined))
      expect(prefixes.length).toBeGreaterThan(0)
      for (const prefix of prefixes) expect(prefix).toMatch(new RegExp(`^protected/\\$\\{cognito-identity\\.amazonaws\\.com:sub\\}/`))
    }
    const listBucket = (prefix?: string) =>
      authorize({ session: me, action: 's3:ListBucket', resource: bucketModel.arn, conditionKeys: prefix === undefined ? {} : { 's3:prefix': prefix } })
    expect(listBucket(`protected/${me.identityId}/`)).toBe('Allow')
    expect(listBucket(`private/${me.identityId}/`)).toBe('ImplicitDeny')
    expect(listBucket(`protected/${other}/`)).toBe('ImplicitDeny')
    expect(listBucket('')).toBe('ImplicitDeny')
    expect(listBucket()).toBe('ImplicitDeny')
    expect(listBucket('public/')).toBe('ImplicitDeny')
  })
})

describe('infra/template.yaml: photo bucket', () => {
  it('blocks all public access', () => {
    expect(bucket.properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    })
  })

  it('encrypts objects at rest', () => {
    const encryption = bucket.properties.BucketEncryption as { ServerSideEncryptionConfiguration: Properties[] }
    const algorithms = encryption.ServerSideEncryptionConfiguration.map(
      (rule) => (rule.ServerSideEncryptionByDefault as Properties).SSEAlgorithm,
    )
    expect(algorithms.length).toBeGreaterThan(0)
    for (const algorithm of algorithms) expect(['AES256', 'aws:kms', 'aws:kms:dsse']).toContain(algorithm)
  })

  it('allows only the site\'s origin in CORS unless the deployer passes AppOrigins, and exposes the headers the SDK needs', () => {
    const [rule] = bucketModel.corsRules
    expect(rule?.allowedOrigins).toEqual([`https://${distributionModel.domainName}`])
    const withDevelopment = provision(template, { region: 'eu-west-1', accountId: '123456789012', stackName: 'wild-rydes', ids: {}, parameters: { AppOrigins: 'http://localhost:5173,http://localhost:4173' } })
    expect(withDevelopment.buckets.find((candidate) => candidate.logicalId === bucket.logicalId)?.corsRules[0]?.allowedOrigins).toEqual([
      `https://${withDevelopment.distributions[0]?.domainName}`,
      'http://localhost:5173',
      'http://localhost:4173',
    ])
    expect(rule?.exposedHeaders).toEqual(expect.arrayContaining(['ETag', 'x-amz-version-id', 'x-amz-request-id', 'Date']))
    expect(rule?.allowedMethods).toEqual(expect.arrayContaining(['GET', 'PUT', 'DELETE', 'HEAD']))
    const headerPatterns = (rule?.allowedHeaders ?? []).map((header) => new RegExp(`^${header.replace(/\*/g, '.*')}$`, 'i'))
    for (const header of ['amz-sdk-invocation-id', 'amz-sdk-request', 'x-amz-date', 'x-amz-security-token', 'content-type']) {
      expect(headerPatterns.some((pattern) => pattern.test(header)), header).toBe(true)
    }
  })
})

describe('infra/template.yaml: the photo bucket refuses plain HTTP', () => {
  const authorize = createAuthorizer(roles, undefined, compileBucketPolicies(model))
  const session: SessionCredentials = {
    accessKeyId: 'ASIAEXAMPLE0000000000',
    secretAccessKey: 'secret',
    sessionToken: 'token',
    expiration: 0,
    roleArn: roleModel.arn,
    roleId: roleModel.roleId,
    identityId: 'eu-west-1:aaaaaaaa-0000-4000-8000-00000000000a',
    identityPoolId: identityPoolModel.id,
    amr: ['authenticated'],
  }
  const own = `${bucketModel.arn}/protected/${session.identityId}/profile/a.webp`

  it('denies every request without TLS, even one the rider policy allows, and leaves TLS requests to it', () => {
    for (const [action, resource] of [['s3:PutObject', own], ['s3:GetObject', own], ['s3:ListBucket', bucketModel.arn]] as const) {
      expect(authorize({ session, action, resource, secureTransport: false }), action).toBe('ExplicitDenyInResourcePolicy')
    }
    expect(authorize({ session, action: 's3:PutObject', resource: own, secureTransport: true })).toBe('Allow')
    expect(authorize({ session, action: 's3:PutObject', resource: `${bucketModel.arn}/public/a.webp`, secureTransport: true })).toBe('ImplicitDeny')
  })
})

describe('infra/template.yaml: outputs', () => {
  it('names every VITE_* variable the app reads in an output, with the right value', () => {
    const env = viteEnvFromOutputs(model.outputs)
    expect(env).toMatchObject({
      VITE_AWS_REGION: 'eu-west-1',
      VITE_USER_POOL_ID: model.userPools[0]?.id,
      VITE_USER_POOL_CLIENT_ID: model.userPoolClients[0]?.id,
      VITE_IDENTITY_POOL_ID: identityPoolModel.id,
      VITE_PHOTO_BUCKET: bucketModel.name,
    })
    // VITE_AWS_ENDPOINT is for local AWS only: a deployed stack must not set it.
    expect(env).not.toHaveProperty('VITE_AWS_ENDPOINT')
  })
})
