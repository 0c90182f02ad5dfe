/*
 * The Admin* operations are IAM-authorised, unlike the operations a rider calls: the request must be SigV4-signed
 * (service `cognito-idp`) by a principal whose policies allow `cognito-idp:<Operation>` on the pool's ARN.
 * docs/aws-behaviour.md#admin-operations-need-sigv4-and-iam
 */
import type { IncomingHttpHeaders } from 'node:http'
import type { Clock } from '../clock.ts'
import type { JsonRequest } from '../context.ts'
import type { SessionCredentials } from '../credentials.ts'
import { AwsError } from '../errors.ts'
import type { Authorize } from '../iam/authorize.ts'
import { expectedSignature, isSameSignature, parseAmzDate, scopeSigner, sha256Hex } from '../protocol/sigv4.ts'
import { requiredString, type UncheckedInput } from '../protocol/jsonInput.ts'
import { userNotFound } from './errors.ts'
import { toAttributeList } from './attributes.ts'
import { USER_POOL_ID, USERNAME } from './memberRules.ts'
import type { StoredUser, UserPoolDirectory, UserPoolStore } from './users.ts'

const SERVICE = 'cognito-idp'
const MAX_SKEW_MS = 5 * 60 * 1000

/** Checks that an Admin* request on a pool (by id) may run; throws the error AWS answers otherwise. */
export type AdminAuthorize = (request: JsonRequest, operation: string, userPoolId: string) => Promise<void>

export interface AdminAuthorizationServices {
  credentials: { find(accessKeyId: string): SessionCredentials | undefined }
  authorize: Authorize
  clock: Clock
  accountId: string
}

/** What every Admin* operation starts from: the pools, and the check of the caller. */
export interface AdminServices {
  directory: UserPoolDirectory
  authorizeAdmin: AdminAuthorize
}

/**
 * The pool an Admin* request names, once the caller is authorised on it (IAM decides on the ARN whether or not the
 * pool exists, as AWS does); ResourceNotFoundException for an unknown pool.
 */
export async function authorizedPool(
  { directory, authorizeAdmin }: AdminServices,
  input: UncheckedInput<{ UserPoolId: string | undefined }>,
  request: JsonRequest,
  operation: string,
): Promise<UserPoolStore> {
  const userPoolId = requiredString(input, 'UserPoolId', USER_POOL_ID)
  await authorizeAdmin(request, operation, userPoolId)
  const store = directory.forPool(userPoolId)
  if (!store) throw new AwsError('ResourceNotFoundException', `User pool ${userPoolId} does not exist.`)
  return store
}

/** The user an Admin* request names: administrators are told when a user does not exist, whatever the app client says. */
export function namedUser(store: UserPoolStore, input: UncheckedInput<{ Username: string | undefined }>): StoredUser {
  const user = store.findUser(requiredString(input, 'Username', USERNAME))
  if (!user) throw userNotFound()
  return user
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name]
  return Array.isArray(value) ? value.join(', ') : value
}

function invalidSignature(message: string): AwsError {
  return new AwsError('InvalidSignatureException', message)
}

function incompleteSignature(message: string): AwsError {
  return new AwsError('IncompleteSignatureException', message)
}

/** `AWS4-HMAC-SHA256 Credential=AKID/20261130/us-east-1/cognito-idp/aws4_request, SignedHeaders=a;b, Signature=hex` */
function parseAuthorization(authorization: string) {
  const [algorithm, ...rest] = authorization.trim().split(/\s+/)
  if (algorithm !== 'AWS4-HMAC-SHA256') throw incompleteSignature(`Unsupported AWS 'algorithm': '${algorithm ?? ''}'`)
  const fields = new Map(
    rest
      .join('')
      .split(',')
      .map((field) => [field.slice(0, field.indexOf('=')), field.slice(field.indexOf('=') + 1)] as const),
  )
  const credential = fields.get('Credential')?.split('/')
  const signedHeaders = fields.get('SignedHeaders')?.split(';')
  const signature = fields.get('Signature')
  if (!credential || credential.length !== 5 || !signedHeaders || !signature) {
    throw incompleteSignature(`Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters. Authorization=${algorithm}`)
  }
  const [accessKeyId, scopeDate, region, service, terminator] = credential as [string, string, string, string, string]
  return { accessKeyId, scopeDate, region, service, terminator, signedHeaders, signature }
}

/** How IAM names the caller in a refusal: the user, or the role session (`assumed-role/{role}/{session}`). */
function principalArn(session: SessionCredentials): string {
  const role = /^arn:aws:iam::(\d+):role\/(.+)$/.exec(session.roleArn)
  return role ? `arn:aws:sts::${role[1]}:assumed-role/${role[2]}/CognitoIdentityCredentials` : session.roleArn
}

/**
 * The SigV4 check and IAM decision of an Admin* request, with AWS's JSON errors: no signature is
 * MissingAuthenticationTokenException, an unknown key UnrecognizedClientException, a wrong signature or a request
 * dated too far from the clock InvalidSignatureException, an expired session ExpiredTokenException, and a policy that
 * does not allow the action AccessDeniedException naming the caller, the action and the pool.
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/CommonErrors.html
 */
export function createAdminAuthorizer({ credentials, authorize, clock, accountId }: AdminAuthorizationServices): AdminAuthorize {
  return async (request, operation, userPoolId) => {
    // A pool id is `{region}_{id}`.
    const region = userPoolId.slice(0, userPoolId.indexOf('_'))
    const poolArn = `arn:aws:cognito-idp:${region}:${accountId}:userpool/${userPoolId}`
    const authorization = headerValue(request.headers, 'authorization')
    if (authorization === undefined) throw new AwsError('MissingAuthenticationTokenException', 'Missing Authentication Token')
    const claim = parseAuthorization(authorization)
    const amzDate = headerValue(request.headers, 'x-amz-date')
    const signingDate = parseAmzDate(amzDate)
    if (!signingDate) throw incompleteSignature("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
    if (claim.region !== region) throw invalidSignature(`Credential should be scoped to a valid region, not '${claim.region}'.`)
    if (claim.service !== SERVICE) throw invalidSignature(`Credential should be scoped to correct service: '${SERVICE}'.`)
    if (claim.scopeDate !== amzDate!.slice(0, 8) || claim.terminator !== 'aws4_request') {
      throw invalidSignature("Credential should be scoped to a valid date and end with 'aws4_request'.")
    }
    const session = credentials.find(claim.accessKeyId)
    const token = headerValue(request.headers, 'x-amz-security-token')
    if (!session || (session.sessionToken && (token === undefined || !isSameSignature(session.sessionToken, token)))) {
      throw new AwsError('UnrecognizedClientException', 'The security token included in the request is invalid.')
    }
    const now = clock.now()
    if (now >= session.expiration) throw new AwsError('ExpiredTokenException', 'The security token included in the request is expired')
    if (Math.abs(now - signingDate.getTime()) > MAX_SKEW_MS) {
      throw invalidSignature(`Signature expired: ${amzDate} is now earlier or later than the allowed skew of 5 minutes.`)
    }
    const url = request.url
    const queryStart = url.indexOf('?')
    const expected = expectedSignature(
      {
        method: request.method,
        rawPath: queryStart === -1 ? url : url.slice(0, queryStart),
        rawQuery: queryStart === -1 ? '' : url.slice(queryStart + 1),
        headers: request.headers,
        signedHeaders: claim.signedHeaders,
        // The body's own hash, not one the request claims.
        payloadHash: sha256Hex(request.body),
      },
      { ...claim, amzDate: amzDate! },
      await scopeSigner(claim, session.secretAccessKey),
    )
    if (!expected || !isSameSignature(expected.signature, claim.signature)) {
      throw invalidSignature(
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      )
    }
    const action = `${SERVICE}:${operation}`
    const decision = authorize({ session, action, resource: poolArn })
    if (decision !== 'Allow') {
      const why = decision === 'ExplicitDeny' ? 'with an explicit deny in an identity-based policy' : `because no identity-based policy allows the ${action} action`
      throw new AwsError('AccessDeniedException', `User: ${principalArn(session)} is not authorized to perform: ${action} on resource: ${poolArn} ${why}`)
    }
  }
}

/** A user as the Admin* operations describe it (AdminGetUser, AdminCreateUser's `User`): every attribute, `sub` first. */
export function adminUserView(user: StoredUser) {
  return {
    Username: user.username,
    Attributes: toAttributeList({ sub: user.sub, ...user.attributes }),
    UserCreateDate: user.createdAt / 1000,
    UserLastModifiedDate: user.updatedAt / 1000,
    Enabled: true,
    UserStatus: user.status,
  }
}
