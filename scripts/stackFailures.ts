import { CloudFormationClient, DescribeStackEventsCommand, type StackEvent } from '@aws-sdk/client-cloudformation'

/**
 * Failures a first deploy meets on a new account, recognised from the stack events' reasons, with the fix in one line
 * (docs/aws-behaviour.md#first-deploy-failures).
 */
const KNOWN_FAILURES: { pattern: RegExp; fix: string }[] = [
  {
    // CloudFront refuses a new account's first distribution until AWS Support verifies the account.
    pattern: /Your account must be verified before you can add new CloudFront resources/,
    fix: 'CloudFront needs your account verified first: open a case with AWS Support (https://console.aws.amazon.com/support/home#/) quoting this error, then delete the stack and deploy again.',
  },
  {
    pattern: /Email address is not verified\. The following identities failed the check|Email arn does not belong to your account/,
    fix: 'SesIdentityArn names an SES identity that is not verified in this account and region: verify it in the SES console (same region as the stack), or deploy with SesIdentityArn empty.',
  },
  {
    // SNS's own words for an account still in the SMS sandbox (in its delivery logs: the stack itself deploys).
    pattern: /Your account requires additional review prior to being able to send SMS messages|\bSMS sandbox\b/,
    fix: 'Your account is in the SNS SMS sandbox: add the destination numbers as sandbox numbers in the SNS console, or request production access for SMS, or deploy with EnableSms=false.',
  },
  {
    // The new SMS role is not yet visible to Cognito: IAM is eventually consistent.
    pattern: /Role does not have a trust relationship allowing Cognito to assume the role/,
    fix: 'Cognito could not yet assume the new SMS role (IAM was still settling): delete the stack and deploy again.',
  },
]

/** Stack statuses after which the stack has no working resources: its outputs are missing or stale. */
export function isFailedStatus(status: string | undefined): boolean {
  return /^(CREATE_FAILED|ROLLBACK_|DELETE_FAILED|IMPORT_ROLLBACK_)/.test(status ?? '')
}

/**
 * The one line that explains why a stack failed, from its events (newest first, as DescribeStackEvents returns them):
 * the fix of the first known failure, else the earliest failure's own reason (later ones only say they were cancelled).
 */
export function explainStackFailure(events: readonly StackEvent[]): string | undefined {
  const failures = events.filter((event) => event.ResourceStatus?.endsWith('_FAILED') && event.ResourceStatusReason)
  for (const event of failures) {
    const known = KNOWN_FAILURES.find(({ pattern }) => pattern.test(event.ResourceStatusReason ?? ''))
    if (known) return known.fix
  }
  const earliest = failures.at(-1)
  return earliest && `${earliest.LogicalResourceId ?? 'the stack'}: ${earliest.ResourceStatusReason ?? ''}`
}

/** The explanation of a failed stack's latest events (one page: the failure is among the newest). */
export async function describeStackFailure(client: CloudFormationClient, stackName: string): Promise<string | undefined> {
  const { StackEvents } = await client.send(new DescribeStackEventsCommand({ StackName: stackName }))
  return explainStackFailure(StackEvents ?? [])
}
