import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http'
import type { Clock } from './clock.ts'
import type { CredentialRegistry } from './credentials.ts'
import type { SigningKeys } from './keys.ts'
import type { Outbox } from './outbox.ts'
import type { ProvisionedModel } from './template/provision.ts'

/** The shared pieces every service of local AWS is built from; each service takes only what it uses. */
export interface LocalAwsContext {
  model: ProvisionedModel
  clock: Clock
  dataDir: string
  keys: SigningKeys
  outbox: Outbox
  credentials: CredentialRegistry
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
