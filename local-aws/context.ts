import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http'
import type { UserPoolDirectory } from './cognito-idp/users.ts'
import type { Clock } from './clock.ts'
import type { CredentialRegistry } from './credentials.ts'
import type { CompiledRoles } from './iam/roles.ts'
import type { SigningKeys } from './keys.ts'
import type { Outbox } from './outbox.ts'
import type { ProvisionedModel } from './template/provision.ts'

/**
 * The shared pieces of a running local AWS, each built once by `startLocalAws`; each service receives only what it uses,
 * and tests reach the same instances through `LocalAws.context`.
 */
export interface LocalAwsContext {
  model: ProvisionedModel
  clock: Clock
  dataDir: string
  keys: SigningKeys
  outbox: Outbox
  credentials: CredentialRegistry
  /** The user pools' riders and sessions, read by the user pool operations and by the identity pools' token check. */
  userPoolDirectory: UserPoolDirectory
  /** The template's roles, compiled once at start-up for the identity pools (trust) and S3 (permissions). */
  roles: CompiledRoles
  log: (line: string) => void
}

export interface JsonRequest {
  headers: IncomingHttpHeaders
}

/** One operation of a JSON protocol (`X-Amz-Target: Service.Operation`): the parsed body in, the result body out. */
export type JsonOperation = (input: Record<string, unknown>, request: JsonRequest) => Promise<object>

/** A service that speaks the AWS JSON 1.1 protocol, by operation name. */
export interface JsonService {
  /** The target prefix, e.g. `AWSCognitoIdentityProviderService`. */
  targetPrefix: string
  operations: Record<string, JsonOperation>
}

/** S3 owns its requests entirely: routing, SigV4, IAM, CORS and XML. */
export interface S3Service {
  handle(request: IncomingMessage, response: ServerResponse): Promise<void>
}
