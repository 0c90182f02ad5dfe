import { compilePolicy, type CompiledPolicy } from './evaluate.ts'

/**
 * The local account's administrator: an IAM user with AWS's managed AdministratorAccess policy, whose key operator
 * tools (the deploy, for one) read from `/_local/config`. Its requests go through the same policy evaluation as a
 * rider's, against this policy.
 * https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AdministratorAccess.html
 */
export function administratorArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:user/local-administrator`
}

export const ADMINISTRATOR_ACCESS: CompiledPolicy = compilePolicy(
  { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
  'identity',
  'AdministratorAccess',
)
