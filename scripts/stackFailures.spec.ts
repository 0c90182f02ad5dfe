import type { ResourceStatus, StackEvent } from '@aws-sdk/client-cloudformation'
import { describe, expect, it } from 'vitest'
import { explainStackFailure, isFailedStatus } from './stackFailures.ts'

/** A rolled-back first deploy's events, newest first: the stack's own, the cancelled ones, then the cause. */
function rolledBack(logicalId: string, type: string, reason: string): StackEvent[] {
  const event = (LogicalResourceId: string, ResourceType: string, ResourceStatus: ResourceStatus, ResourceStatusReason?: string): StackEvent => ({
    StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/wild-rydes/0f5f3e1a-6d7b-11ef-9c1e-0a1b2c3d4e5f',
    StackName: 'wild-rydes',
    EventId: `${LogicalResourceId}-${ResourceStatus}`,
    Timestamp: new Date(),
    LogicalResourceId,
    ResourceType,
    ResourceStatus,
    ...(ResourceStatusReason && { ResourceStatusReason }),
  })
  return [
    event('wild-rydes', 'AWS::CloudFormation::Stack', 'ROLLBACK_COMPLETE'),
    event('wild-rydes', 'AWS::CloudFormation::Stack', 'ROLLBACK_IN_PROGRESS', 'The following resource(s) failed to create: [' + logicalId + ']. Rollback requested by user.'),
    event('SiteBucketPolicy', 'AWS::S3::BucketPolicy', 'CREATE_FAILED', 'Resource creation cancelled'),
    event(logicalId, type, 'CREATE_FAILED', reason),
    event(logicalId, type, 'CREATE_IN_PROGRESS'),
  ]
}

describe('explainStackFailure: the fix for a first deploy that rolled back', () => {
  it.each([
    [
      'CloudFront account verification',
      rolledBack(
        'SiteDistribution',
        'AWS::CloudFront::Distribution',
        'Resource handler returned message: "Access denied for operation \'AWS::CloudFront::Distribution: Your account must be verified before you can add new CloudFront resources. To verify your account, please contact AWS Support (https://console.aws.amazon.com/support/home#/) and include this error message.\'" (RequestToken: 5e2b1c7a-0000-4000-8000-000000000000, HandlerErrorCode: AccessDenied)',
      ),
      /^CloudFront needs your account verified first: open a case with AWS Support/,
    ],
    [
      'an SES identity not verified',
      rolledBack(
        'UserPool',
        'AWS::Cognito::UserPool',
        'Cognito received the following error from Amazon SES when attempting to send email: Email address is not verified. The following identities failed the check in region EU-WEST-1: arn:aws:ses:eu-west-1:123456789012:identity/no-reply@example.com (Service: AWSCognitoIdentityProviderService; Status Code: 400; Error Code: InvalidParameterException; Request ID: 8d1c7f3e-0000-4000-8000-000000000000; Proxy: null)',
      ),
      /^SesIdentityArn names an SES identity that is not verified/,
    ],
    [
      'the SNS SMS sandbox',
      rolledBack(
        'UserPool',
        'AWS::Cognito::UserPool',
        'Your account requires additional review prior to being able to send SMS messages. Please create a support ticket with an explanation of your use case. https://console.aws.amazon.com/support/cases#/create?issueType=service-limit-increase&limitType=service-code-sns-text-messaging',
      ),
      /^Your account is in the SNS SMS sandbox/,
    ],
  ])('recognises %s', (_name, events, fix) => {
    expect(explainStackFailure(events)).toMatch(fix)
  })

  it('names the first failure as it is when it is not a known one, not the cancellations after it', () => {
    const events = rolledBack('PhotoBucket', 'AWS::S3::Bucket', 'wild-rydes-photos-0f5f3e1a already exists')
    expect(explainStackFailure(events)).toBe('PhotoBucket: wild-rydes-photos-0f5f3e1a already exists')
  })

  it('tells failed stacks from working ones', () => {
    for (const status of ['CREATE_FAILED', 'ROLLBACK_COMPLETE', 'ROLLBACK_FAILED', 'DELETE_FAILED']) expect(isFailedStatus(status), status).toBe(true)
    for (const status of ['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE']) expect(isFailedStatus(status), status).toBe(false)
  })
})
