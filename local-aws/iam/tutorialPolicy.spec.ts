import { describe, expect, it } from 'vitest'
import { DEFAULT_TEMPLATE_PATH } from '../index.ts'
import type { SessionCredentials } from '../credentials.ts'
import { readTemplate } from '../../infra/cfnYaml.ts'
import { provision } from '../template/provision.ts'
import type { PolicyDocument, ProvisionedModel } from '../template/model.ts'
import { createAuthorizer, type Decision } from './authorize.ts'
import { compileRoles, sessionContext } from './roles.ts'

/**
 * The tutorial we replace keys "private" objects by `${aws:userid}` and lets every rider write `public/`. For
 * identity-pool sessions `aws:userid` is `{roleId}:CognitoIdentityCredentials`, the same for every rider, and a
 * writable `public/` lets anyone overwrite anyone's photo (docs/aws-behaviour.md#per-rider-keys-use-the-identity-id).
 * These tests run the tutorial's policy and ours through the same evaluator, for the same requests.
 */

const model = provision(readTemplate(DEFAULT_TEMPLATE_PATH), {
  region: 'us-east-1',
  accountId: '000000000000',
  stackName: 'wild-rydes-test',
  ids: {},
})
function only<T>(items: T[], what: string): T {
  const [item] = items
  if (!item || items.length > 1) throw new Error(`the template must define exactly one ${what}`)
  return item
}
const role = only(model.roles, 'role')
// The photo bucket: the one the app is told about.
const bucket = only(model.buckets.filter(({ name }) => model.outputs.some((output) => output.value === name && output.description === 'VITE_PHOTO_BUCKET')), 'photo bucket')
const identityPool = only(model.identityPools, 'identity pool')

/** The tutorial's inline policy, exactly as the tutorial wrote it: four Allow statements. */
function tutorialPolicy(bucketName: string): PolicyDocument {
  const readWrite = ['s3:PutObject', 's3:GetObject', 's3:GetObjectVersion', 's3:DeleteObject', 's3:DeleteObjectVersion']
  return {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: readWrite, Resource: [`arn:aws:s3:::${bucketName}/private/\${aws:userid}/*`] },
      { Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: [`arn:aws:s3:::${bucketName}/protected/*`] },
      {
        Effect: 'Allow',
        Action: ['s3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion'],
        Resource: [`arn:aws:s3:::${bucketName}/protected/\${aws:userid}/*`],
      },
      { Effect: 'Allow', Action: readWrite, Resource: [`arn:aws:s3:::${bucketName}/public/*`] },
    ],
  }
}

const tutorialModel: ProvisionedModel = {
  ...model,
  roles: [{ ...role, policies: [{ name: 'tutorial', document: tutorialPolicy(bucket.name) }] }],
}

function riderSession(identityId: string): SessionCredentials {
  const provider = 'cognito-idp.us-east-1.amazonaws.com/us-east-1_Tutorial1'
  return {
    accessKeyId: `ASIA${identityId.slice(10, 18).toUpperCase()}EXAMPLE0`,
    secretAccessKey: 'secret',
    sessionToken: 'token',
    expiration: Date.now() + 3600_000,
    roleArn: role.arn,
    roleId: role.roleId,
    identityId,
    identityPoolId: identityPool.id,
    amr: ['authenticated', provider, `${provider}:CognitoSignIn:${identityId}`],
  }
}

const riderA = riderSession('us-east-1:aaaaaaaa-0000-4000-8000-00000000000a')
const riderB = riderSession('us-east-1:bbbbbbbb-0000-4000-8000-00000000000b')
const sharedUserId = `${role.roleId}:CognitoIdentityCredentials`

const underTutorial = createAuthorizer(compileRoles(tutorialModel))
const underTemplate = createAuthorizer(compileRoles(model))

function decide(authorize: typeof underTemplate, session: SessionCredentials, action: string, key: string): Decision {
  return authorize({ session, action, resource: `arn:aws:s3:::${bucket.name}/${key}` })
}

describe("the tutorial's mistake, proven", () => {
  it('gives every rider the same aws:userid', () => {
    expect(sessionContext(role, riderA)['aws:userid']).toEqual([sharedUserId])
    expect(sessionContext(role, riderB)['aws:userid']).toEqual([sharedUserId])
  })

  // Rider A's objects as the tutorial's app names them: "private" and "protected" under aws:userid, photos in public/.
  const attacks = [
    { attack: "B reads A's \"private\" object", action: 's3:GetObject', key: `private/${sharedUserId}/passport.jpg` },
    { attack: "B overwrites A's \"private\" object", action: 's3:PutObject', key: `private/${sharedUserId}/passport.jpg` },
    { attack: "B overwrites A's public photo", action: 's3:PutObject', key: 'public/rider-a.jpg' },
    { attack: "B deletes A's public photo", action: 's3:DeleteObject', key: 'public/rider-a.jpg' },
    { attack: "B deletes a version of A's public photo", action: 's3:DeleteObjectVersion', key: 'public/rider-a.jpg' },
    { attack: "B overwrites A's protected photo", action: 's3:PutObject', key: `protected/${sharedUserId}/profile.jpg` },
  ]

  it.each(attacks)('tutorial policy: $attack → allowed', ({ action, key }) => {
    expect(decide(underTutorial, riderB, action, key)).toBe('Allow')
  })

  // The same attacks on A's objects where our app puts them (keyed by the identity id), and at the tutorial's keys.
  const ourKeysOfA = [
    { attack: "B reads A's private object", action: 's3:GetObject', key: `private/${riderA.identityId}/passport.jpg` },
    { attack: "B overwrites A's private object", action: 's3:PutObject', key: `private/${riderA.identityId}/passport.jpg` },
    { attack: "B overwrites A's profile photo", action: 's3:PutObject', key: `protected/${riderA.identityId}/profile/p.webp` },
    { attack: "B deletes A's profile photo", action: 's3:DeleteObject', key: `protected/${riderA.identityId}/profile/p.webp` },
  ]

  it.each([...attacks, ...ourKeysOfA])('our template: $attack → denied', ({ action, key }) => {
    expect(decide(underTemplate, riderB, action, key)).toBe('ImplicitDeny')
  })

  it('still lets each rider do what the product needs under our template', () => {
    expect(decide(underTemplate, riderA, 's3:PutObject', `protected/${riderA.identityId}/profile/p.webp`)).toBe('Allow')
    expect(decide(underTemplate, riderA, 's3:DeleteObject', `protected/${riderA.identityId}/profile/p.webp`)).toBe('Allow')
    expect(decide(underTemplate, riderB, 's3:GetObject', `protected/${riderA.identityId}/profile/p.webp`)).toBe('Allow')
    expect(decide(underTemplate, riderA, 's3:GetObject', `protected/${riderA.identityId}/profile/p.webp`)).toBe('Allow')
    expect(decide(underTemplate, riderB, 's3:GetObject', 'public/rider-a.jpg')).toBe('Allow')
  })
})
