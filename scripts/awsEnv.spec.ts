import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  CloudFormationClient,
  CloudFormationServiceException,
  DescribeStacksCommand,
  type Output,
} from '@aws-sdk/client-cloudformation'
import { mockClient } from 'aws-sdk-client-mock'
import { loadEnv } from 'vite'
import { afterEach, describe, expect, it } from 'vitest'
import { AwsEnvError, stackViteEnv, updateEnvFile } from './awsEnv.ts'

const cloudFormation = mockClient(CloudFormationClient)
const client = new CloudFormationClient({ region: 'eu-west-1' })

const passwordPolicy = '{"minimumLength":10,"requireLowercase":true,"requireUppercase":true,"requireNumbers":true,"requireSymbols":true}'
const outputs: Output[] = [
  { OutputKey: 'Region', Description: 'VITE_AWS_REGION', OutputValue: 'eu-west-1' },
  { OutputKey: 'UserPoolId', Description: 'VITE_USER_POOL_ID', OutputValue: 'eu-west-1_AbC123xyz' },
  { OutputKey: 'UserPoolClientId', Description: 'VITE_USER_POOL_CLIENT_ID', OutputValue: '5q8l1ef0b2v3example' },
  { OutputKey: 'IdentityPoolId', Description: 'VITE_IDENTITY_POOL_ID', OutputValue: 'eu-west-1:2f1b6c43-9a1e-4a8e-8d2c-0d3b6c1e7f00' },
  { OutputKey: 'PhotoBucket', Description: 'VITE_PHOTO_BUCKET', OutputValue: 'wild-rydes-photobucket-1x2y3z' },
  { OutputKey: 'SmsVerification', Description: "VITE_SMS_VERIFICATION ('true' when the pool can send SMS)", OutputValue: 'false' },
  { OutputKey: 'PasswordPolicy', Description: 'VITE_PASSWORD_POLICY', OutputValue: passwordPolicy },
  { OutputKey: 'Passkeys', Description: "VITE_PASSKEYS ('true' when riders may add passkeys)", OutputValue: 'true' },
  { OutputKey: 'RoleArn', Description: 'The riders role', OutputValue: 'arn:aws:iam::123456789012:role/riders' },
]

function stackWith(stackOutputs: Output[]) {
  return {
    Stacks: [{ StackName: 'wild-rydes', StackStatus: 'CREATE_COMPLETE' as const, CreationTime: new Date(), Outputs: stackOutputs }],
  }
}

afterEach(() => {
  cloudFormation.reset()
})

describe('stackViteEnv', () => {
  it("maps the stack's outputs to the VITE_* variables their descriptions name", async () => {
    cloudFormation.on(DescribeStacksCommand, { StackName: 'wild-rydes' }).resolves(stackWith(outputs))

    expect(await stackViteEnv(client, 'wild-rydes')).toEqual({
      VITE_AWS_REGION: 'eu-west-1',
      VITE_USER_POOL_ID: 'eu-west-1_AbC123xyz',
      VITE_USER_POOL_CLIENT_ID: '5q8l1ef0b2v3example',
      VITE_IDENTITY_POOL_ID: 'eu-west-1:2f1b6c43-9a1e-4a8e-8d2c-0d3b6c1e7f00',
      VITE_PHOTO_BUCKET: 'wild-rydes-photobucket-1x2y3z',
      VITE_SMS_VERIFICATION: 'false',
      VITE_PASSWORD_POLICY: passwordPolicy,
      VITE_PASSKEYS: 'true',
    })
  })

  it('names the stack and the region when the stack does not exist', async () => {
    cloudFormation.on(DescribeStacksCommand).rejects(
      new CloudFormationServiceException({
        name: 'ValidationError',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        message: 'Stack with id wild-rydes does not exist',
      }),
    )

    await expect(stackViteEnv(client, 'wild-rydes')).rejects.toThrow(
      new AwsEnvError('Stack "wild-rydes" does not exist in eu-west-1: check the name and --region.'),
    )
  })

  it('lists the outputs the template defines that the stack lacks', async () => {
    cloudFormation.on(DescribeStacksCommand).resolves(stackWith(outputs.slice(0, 3)))

    await expect(stackViteEnv(client, 'wild-rydes')).rejects.toThrow(
      new AwsEnvError(
        'Stack "wild-rydes" (CREATE_COMPLETE) has no output for VITE_IDENTITY_POOL_ID, VITE_PHOTO_BUCKET, ' +
          'VITE_SMS_VERIFICATION, VITE_PASSKEYS, VITE_PASSWORD_POLICY: deploy infra/template.yaml to it and wait for the deployment to finish.',
      ),
    )
  })

  it('says how to configure credentials when there are none', async () => {
    // What the SDK's default credential chain throws when every provider came up empty.
    const noCredentials = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' })
    cloudFormation.on(DescribeStacksCommand).rejects(noCredentials)

    await expect(stackViteEnv(client, 'wild-rydes')).rejects.toThrow(/^No AWS credentials found: run `aws configure`/)
  })

  it('passes an unexpected failure through unchanged', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'Throttling' })
    cloudFormation.on(DescribeStacksCommand).rejects(throttled)

    await expect(stackViteEnv(client, 'wild-rydes')).rejects.toBe(throttled)
  })
})

describe('updateEnvFile', () => {
  const env = { VITE_USER_POOL_ID: 'eu-west-1_AbC123xyz', VITE_PASSWORD_POLICY: passwordPolicy }

  it('writes values Vite reads back exactly, JSON included', async () => {
    const envDir = await mkdtemp(join(tmpdir(), 'aws-env-'))
    await writeFile(join(envDir, '.env.local'), updateEnvFile('', env, 'stack "wild-rydes"'))

    expect(loadEnv('development', envDir, 'VITE_')).toEqual(env)
  })

  it("keeps the developer's own lines and replaces the previous block and a local AWS endpoint", () => {
    const before = [
      '# my settings',
      'VITE_FEATURE_FLAG=on',
      'VITE_AWS_ENDPOINT=http://127.0.0.1:4566',
      '# Written by `npm run aws:env` from stack "old"',
      'VITE_USER_POOL_ID=us-east-1_Old',
      '',
    ].join('\n')

    const after = updateEnvFile(before, env, 'stack "wild-rydes"')

    expect(after).toBe(
      [
        '# my settings',
        'VITE_FEATURE_FLAG=on',
        '',
        '# Written by `npm run aws:env` from stack "wild-rydes"',
        'VITE_USER_POOL_ID=eu-west-1_AbC123xyz',
        `VITE_PASSWORD_POLICY='${passwordPolicy}'`,
        '',
      ].join('\n'),
    )
    expect(updateEnvFile(after, env, 'stack "wild-rydes"')).toBe(after)
  })
})
