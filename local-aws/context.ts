import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http'
import type { UserPoolDirectory } from './cognito-idp/users.ts'
import type { Clock } from './clock.ts'
import type { CredentialRegistry } from './credentials.ts'
import type { CompiledRoles } from './iam/roles.ts'
import type { SigningKeys } from './keys.ts'
import type { Outbox } from './outbox.ts'
import type { UncheckedInput } from './protocol/jsonInput.ts'
import type { ProvisionedModel } from './template/model.ts'

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
  /** The request as sent, for the operations that check its SigV4 signature (the Admin* ones). */
  method: string
  /** The raw request target, e.g. `/`. */
  url: string
  body: Buffer
}

/**
 * What an SDK output type is on the wire: without the SDK's `$metadata`, and with timestamps as the JSON protocol's
 * epoch seconds (the SDK turns them into `Date`s).
 */
type WireShape<T> = T extends Date ? number : T extends readonly (infer Item)[] ? WireShape<Item>[] : T extends object ? { [Member in keyof T]: WireShape<T[Member]> } : T

/** The body of a JSON operation's answer, typed by the official SDK's `<Operation>CommandOutput`. */
export type JsonOutput<CommandOutput> = WireShape<Omit<CommandOutput, '$metadata'>>

/**
 * One operation of a JSON protocol (`X-Amz-Target: Service.Operation`), typed by the official SDK's
 * `<Operation>CommandInput` and `<Operation>CommandOutput`: the parsed body in, unchecked (the operation checks each
 * member it reads with protocol/jsonInput.ts), the result body out.
 */
export type JsonOperation<CommandInput, CommandOutput> = (
  input: UncheckedInput<CommandInput>,
  request: JsonRequest,
) => Promise<JsonOutput<CommandOutput>>

/** A service that speaks the AWS JSON 1.1 protocol, by operation name. */
export interface JsonService {
  /** The target prefix, e.g. `AWSCognitoIdentityProviderService`. */
  targetPrefix: string
  /** Each operation typed by its own SDK types; the server hands each the body it parsed. */
  operations: Record<string, (input: Record<string, unknown>, request: JsonRequest) => Promise<object>>
}

/** S3 owns its requests entirely: routing, SigV4, IAM, CORS and XML. */
export interface S3Service {
  handle(request: IncomingMessage, response: ServerResponse): Promise<void>
}
