/*
 * The collaborators of local AWS's operations, for testing one operation at a time through its `create<Operation>`
 * factory: no HTTP server, a fake clock, and the real pieces wherever a fake would only copy them (the template's
 * model and IAM roles, SRP, token signing with keys generated once per machine, the stores in a scratch folder).
 */
import { createHash, createHmac, randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { IncomingMessage, ServerResponse } from 'node:http'
import { Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Readable } from 'node:stream'
import { Hash } from '@smithy/hash-node'
import { SignatureV4 } from '@smithy/signature-v4'
import AuthenticationHelper from 'amazon-cognito-identity-js/lib/AuthenticationHelper.js'
import BigInteger from 'amazon-cognito-identity-js/lib/BigInteger.js'
import DateHelper from 'amazon-cognito-identity-js/lib/DateHelper.js'
import { onTestFinished } from 'vitest'
import { readTemplate } from '../../infra/cfnYaml.ts'
import { authenticatorCode as authenticatorCodeAt } from './authenticator.ts'
import { FakeClock } from './fakeClock.ts'
import type { JsonRequest } from '../../local-aws/context.ts'
import { CredentialRegistry, type SessionCredentials } from '../../local-aws/credentials.ts'
import { ADMINISTRATOR_ACCESS, administratorArn } from '../../local-aws/iam/administrator.ts'
import { createAuthorizer, type Authorize } from '../../local-aws/iam/authorize.ts'
import { compileRoles, type CompiledRoles } from '../../local-aws/iam/roles.ts'
import { loadSigningKeys, type SigningKeys } from '../../local-aws/keys.ts'
import { Outbox, type SentMessage } from '../../local-aws/outbox.ts'
import { createAdminAuthorizer, type AdminAuthorize } from '../../local-aws/cognito-idp/admin.ts'
import { issueSignInTokens, type SignInResult, type SignInServices } from '../../local-aws/cognito-idp/authentication.ts'
import { ChallengeStore } from '../../local-aws/cognito-idp/challenges.ts'
import { TokenIssuer, accessTokenCheck, userPoolTokenStatus, type AccessTokenCheck, type UserPoolTokenStatus } from '../../local-aws/cognito-idp/tokens.ts'
import { UserPoolDirectory, createUser, type StoredUser, type UserPoolStore, type UserStatus } from '../../local-aws/cognito-idp/users.ts'
import { IdentityStore } from '../../local-aws/cognito-identity/identities.ts'
import { MultipartStore } from '../../local-aws/s3/multipartStore.ts'
import { ObjectStore } from '../../local-aws/s3/objectStore.ts'
import type { S3Operation, S3Request } from '../../local-aws/s3/operation.ts'
import { RequestPayload, type RequestHeaders } from '../../local-aws/s3/payload.ts'
import type { QueryParameters } from '../../local-aws/s3/router.ts'
import type { BucketModel, UserPoolClientModel, UserPoolModel } from '../../local-aws/template/model.ts'
import { provision } from '../../local-aws/template/provision.ts'

/** When every test starts: the fake clock moves only when a test moves it. */
const TEST_START = Date.parse('2026-12-01T08:00:00Z')

/**
 * The template as local AWS provisions it, once per test file. Its path is local-aws/index.ts's default, not imported
 * from there: that module brings the whole server into every operation's spec.
 */
export const model = provision(readTemplate(fileURLToPath(new URL('../../infra/template.yaml', import.meta.url))), {
  region: 'us-east-1',
  accountId: '000000000000',
  stackName: 'wild-rydes-local',
  ids: {},
})
const roles = compileRoles(model)
const administrator = { arn: administratorArn(model.accountId), policy: ADMINISTRATOR_ACCESS }
/** The template's rider role: what identity-pool credentials carry. */
export const riderRole = model.roles.find((role) => role.arn === model.identityPools[0]?.roles.authenticated)!

/** A folder of the data folder's kind for one test, removed when the test ends. */
function scratchFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'la-ops-'))
  onTestFinished(() => rmSync(folder, { recursive: true, force: true }))
  return folder
}

// RSA key generation is the slow part of a data folder, and each spec file runs in a fresh module graph: the keys are
// generated once per machine into this folder, which every test then loads with its own clock.
const KEY_FOLDER = join(tmpdir(), 'local-aws-unit-test-keys')

/** A request without a signature: what the operations riders call receive besides their body. */
export const UNSIGNED_REQUEST: JsonRequest = { method: 'POST', url: '/', headers: {}, body: Buffer.alloc(0) }

export interface UserPoolVariant {
  /** Changes to the template's user pool (e.g. `{ mfaConfiguration: 'ON' }`). */
  pool?: Partial<UserPoolModel>
  /** Changes to the template's app client (e.g. `{ preventUserExistenceErrors: false }`). */
  client?: Partial<UserPoolClientModel>
  /** Refuse emails past Cognito's daily quota for its default sender, as `LOCAL_AWS_EMAIL_QUOTA=enforce` does. */
  enforceEmailQuota?: boolean
}

export interface NewRider {
  email?: string
  password?: string
  status?: UserStatus
  attributes?: Record<string, string>
}

/** Local AWS's shared pieces for one test, each the real one over a scratch folder, on a fake clock. */
export interface LocalAwsFakes {
  clock: FakeClock
  folder: string
  pool: UserPoolModel
  client: UserPoolClientModel
  directory: UserPoolDirectory
  /** The pool's riders. */
  store: UserPoolStore
  keys: SigningKeys
  outbox: Outbox
  /** What InitiateAuth and RespondToAuthChallenge receive; `signIn.challenges` holds the sign-ins in progress. */
  signIn: SignInServices & { directory: UserPoolDirectory }
  authenticate: AccessTokenCheck
  /** The user pools' answer to the identity pools' ServerSideTokenCheck. */
  userPools: UserPoolTokenStatus
  credentials: CredentialRegistry
  identities: IdentityStore
  roles: CompiledRoles
  /** The IAM decision of S3 and the Admin* operations, with the template's roles and the local administrator. */
  authorize: Authorize
  authorizeAdmin: AdminAuthorize
  /** The local administrator's long-term key, as `/_local/config` hands it out. */
  administratorKey: SessionCredentials
}

/** The template's user pool (and identity pool, roles, administrator) over a scratch folder. */
export async function localAwsFakes(variant: UserPoolVariant = {}): Promise<LocalAwsFakes> {
  const clock = new FakeClock(TEST_START)
  const folder = scratchFolder()
  const pool: UserPoolModel = { ...model.userPools[0]!, ...variant.pool }
  const client: UserPoolClientModel = { ...model.userPoolClients[0]!, ...variant.client }
  const directory = new UserPoolDirectory([pool], [client], folder)
  mkdirSync(KEY_FOLDER, { recursive: true })
  const keys = await loadSigningKeys(KEY_FOLDER, clock)
  const credentials = new CredentialRegistry(folder, clock)
  const authorize = createAuthorizer(roles, administrator)
  return {
    clock,
    folder,
    pool,
    client,
    directory,
    store: directory.forPool(pool.id)!,
    keys,
    outbox: new Outbox(folder, clock, () => undefined, { enforceEmailQuota: variant.enforceEmailQuota }),
    signIn: { directory, tokens: new TokenIssuer(keys, clock), challenges: new ChallengeStore(clock), clock },
    authenticate: accessTokenCheck(directory, keys),
    userPools: userPoolTokenStatus(directory),
    credentials,
    identities: new IdentityStore(folder, clock),
    roles,
    authorize,
    authorizeAdmin: createAdminAuthorizer({ credentials, authorize, clock, accountId: model.accountId }),
    administratorKey: credentials.administrator(administrator.arn),
  }
}

export const RIDER_PASSWORD = 'Saddle-up-42'

/** Stores a rider as sign-up and confirmation would leave them (email verified), straight in the pool's store. */
export function addRider(fakes: LocalAwsFakes, rider: NewRider = {}): StoredUser {
  const email = rider.email ?? `rider-${randomBytes(4).toString('hex')}@example.com`
  const status = rider.status ?? 'CONFIRMED'
  return fakes.store.update((draft) => {
    const user = createUser(fakes.pool, draft, {
      signInName: email,
      password: rider.password ?? RIDER_PASSWORD,
      attributes: { name: 'Ada', phone_number: '+15555550100', ...rider.attributes },
      status,
      now: fakes.clock.now(),
    })
    if (status !== 'UNCONFIRMED') user.attributes.email_verified = 'true'
    draft.users[user.username] = user
    return user
  })
}

/** A rider's tokens as a finished sign-in hands them out (and the session they stand for). */
export async function signedInRider(fakes: LocalAwsFakes, user: StoredUser): Promise<{ AccessToken: string; IdToken: string; RefreshToken: string }> {
  const result = await issueSignInTokens(fakes.signIn, { client: fakes.client, pool: fakes.pool, store: fakes.store }, user.username)
  const { AccessToken, IdToken, RefreshToken } = result.AuthenticationResult ?? {}
  if (!AccessToken || !IdToken || !RefreshToken) throw new Error('The sign-in issued no tokens')
  return { AccessToken, IdToken, RefreshToken }
}

/** A rider, stored and signed in. */
export async function riderWithTokens(fakes: LocalAwsFakes, rider: NewRider = {}) {
  const user = addRider(fakes, rider)
  return { user, ...(await signedInRider(fakes, user)) }
}

/** The rider's stored record as it is now. */
export function storedUser(fakes: LocalAwsFakes, username: string): StoredUser | undefined {
  return fakes.store.state.users[username]
}

/** The newest message the outbox sent to an address. */
export function lastMessageTo(fakes: LocalAwsFakes, to: string): SentMessage | undefined {
  return fakes.outbox.messages.findLast((message) => message.to === to)
}

/** The code of the rider's authenticator app (a TOTP secret) at the fake clock's time. */
export function authenticatorCode(fakes: LocalAwsFakes, secret: string): string {
  return authenticatorCodeAt(secret, fakes.clock.now())
}

/** Gives a stored rider a verified authenticator app, turned on; returns its secret. */
export function addAuthenticator(fakes: LocalAwsFakes, user: StoredUser, secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'): string {
  fakes.store.update((draft) => {
    draft.users[user.username]!.softwareTokenMfa = { isEnabled: true, isPreferred: true, token: { secret, friendlyDeviceName: 'Phone' } }
  })
  return secret
}

/**
 * The SRP answer amazon-cognito-identity-js computes for a PASSWORD_VERIFIER challenge: its AuthenticationHelper with
 * the pool's name and its DateHelper's timestamp, signed as CognitoUser.authenticateUserDefaultAuth signs it.
 */
export class SrpClient {
  private readonly helper: AuthenticationHelper

  constructor(private readonly poolName: string) {
    this.helper = new AuthenticationHelper(poolName)
  }

  /** `SRP_A`, hexadecimal. */
  publicValue(): string {
    let largeA: BigInteger | undefined
    this.helper.getLargeAValue((_error, value) => (largeA = value))
    return largeA!.toString(16)
  }

  /** `ChallengeResponses` for the challenge's parameters and the password the rider typed. */
  async answer(parameters: Record<string, string>, password: string): Promise<Record<string, string>> {
    const userIdForSrp = parameters.USER_ID_FOR_SRP!
    const secretBlock = parameters.SECRET_BLOCK!
    const key = await new Promise<Buffer>((resolve, reject) =>
      this.helper.getPasswordAuthenticationKey(
        userIdForSrp, password, new BigInteger(parameters.SRP_B!, 16), new BigInteger(parameters.SALT!, 16),
        (error, value) => (error ? reject(error) : resolve(Buffer.from(value))),
      ),
    )
    const timestamp = new DateHelper().getNowString()
    const signature = createHmac('sha256', key)
      .update(Buffer.concat([Buffer.from(this.poolName), Buffer.from(userIdForSrp), Buffer.from(secretBlock, 'base64'), Buffer.from(timestamp)]))
      .digest('base64')
    return { USERNAME: userIdForSrp, PASSWORD_CLAIM_SECRET_BLOCK: secretBlock, PASSWORD_CLAIM_SIGNATURE: signature, TIMESTAMP: timestamp }
  }
}

/** The challenge parameters of a sign-in's answer, or a failure naming what came instead. */
export function challengeParameters(result: SignInResult): Record<string, string> {
  if (!result.ChallengeParameters || !result.ChallengeName) throw new Error(`Expected a challenge, got ${JSON.stringify(result)}`)
  return result.ChallengeParameters
}

/** Temporary credentials of the template's rider role for an identity, as GetCredentialsForIdentity issues them. */
export function riderSession(fakes: LocalAwsFakes, identityId = `us-east-1:${crypto.randomUUID()}`): SessionCredentials {
  const identityPoolId = model.identityPools[0]!.id
  const providerName = fakes.pool.providerName
  return fakes.credentials.issue({
    roleArn: riderRole.arn,
    roleId: riderRole.roleId,
    identityId,
    identityPoolId,
    amr: ['authenticated', providerName, `${providerName}:CognitoSignIn:rider-sub`],
    durationSeconds: 3600,
  })
}

export interface AdminSigning {
  credentials: SessionCredentials
  signingDate: Date
  region: string
}

/**
 * An Admin* request as the SDK sends it (`X-Amz-Target` JSON 1.1), SigV4-signed for service `cognito-idp`: the
 * operation receives the same body parsed.
 */
export async function signedAdminRequest(operation: string, input: object, { credentials, signingDate, region }: AdminSigning): Promise<JsonRequest> {
  const body = JSON.stringify(input)
  const { accessKeyId, secretAccessKey, sessionToken } = credentials
  const signer = new SignatureV4({
    credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) },
    region,
    service: 'cognito-idp',
    sha256: Hash.bind(null, 'sha256'),
  })
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      path: '/',
      headers: { host: '127.0.0.1:4566', 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${operation}` },
      body,
    },
    { signingDate },
  )
  const headers = Object.fromEntries(Object.entries(signed.headers).map(([name, value]) => [name.toLowerCase(), value]))
  return { method: 'POST', url: '/', headers, body: Buffer.from(body) }
}

/** {@link signedAdminRequest} signed now, in the template's region, by `credentials` (the local administrator by default). */
export function adminRequest(fakes: LocalAwsFakes, operation: string, input: object, credentials = fakes.administratorKey): Promise<JsonRequest> {
  return signedAdminRequest(operation, input, { credentials, signingDate: new Date(fakes.clock.now()), region: model.region })
}

// S3: the object store and multipart uploads over the scratch folder, the operations' requests and their answers.

export const bucket: BucketModel = model.buckets.find((candidate) => candidate.logicalId === 'PhotoBucket')!

export interface S3Fakes extends LocalAwsFakes {
  objects: ObjectStore
  uploads: MultipartStore
}

export async function s3Fakes(): Promise<S3Fakes> {
  const fakes = await localAwsFakes()
  const objects = new ObjectStore(join(fakes.folder, 's3'), model.buckets.map((candidate) => candidate.name), fakes.clock)
  return { ...fakes, objects, uploads: new MultipartStore(objects, fakes.clock) }
}

export interface S3Call {
  key?: string
  query?: QueryParameters
  headers?: RequestHeaders
  body?: string | Buffer
  /** The caller; the local administrator by default. */
  session?: SessionCredentials
  /** The `x-amz-content-sha256` the request was signed with; the body's own by default. */
  signedSha256?: string
}

/**
 * An S3 request as the router hands it to an operation once SigV4 and IAM passed: the body signed by its SHA-256
 * (`x-amz-content-sha256`) and its `Content-Length`, unless the call's headers say otherwise.
 */
export function s3Request(fakes: S3Fakes, call: S3Call = {}): S3Request {
  const body = Buffer.from(call.body ?? '')
  const headers: RequestHeaders = { 'content-length': String(body.length), ...call.headers }
  return {
    bucket,
    key: call.key ?? '',
    query: call.query ?? {},
    headers,
    session: call.session ?? fakes.administratorKey,
    origin: 'http://127.0.0.1:4566',
    openPayload: (options) =>
      new RequestPayload(
        Readable.from(body.length > 0 ? [body] : []),
        { kind: 'sha256', sha256: call.signedSha256 ?? createHash('sha256').update(body).digest('hex') },
        headers,
        options,
      ),
  }
}

/** An S3 answer as the client receives it: the status, the headers by lower-case name, and the body. */
export interface S3Answer {
  status: number
  headers: Record<string, string>
  body: Buffer
}

/** A socket that keeps what the response writes to it, in place of a connection. */
class RecordingSocket extends Socket {
  readonly written: Buffer[] = []

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.written.push(Buffer.from(chunk))
    callback()
  }

  override _writev(chunks: { chunk: Buffer }[], callback: (error?: Error | null) => void): void {
    for (const { chunk } of chunks) this.written.push(Buffer.from(chunk))
    callback()
  }
}

/** Runs an S3 operation on a real `ServerResponse` and reads back what it wrote, as an HTTP client would. */
export async function callS3(operation: S3Operation, request: S3Request, method = 'GET'): Promise<S3Answer> {
  const socket = new RecordingSocket()
  const incoming = new IncomingMessage(socket)
  incoming.method = method
  const response = new ServerResponse(incoming)
  response.assignSocket(socket)
  const finished = new Promise<void>((resolve) => response.once('finish', () => resolve()))
  await operation(request, response)
  await finished
  const raw = Buffer.concat(socket.written)
  const headerEnd = raw.indexOf('\r\n\r\n')
  const [statusLine = '', ...headerLines] = raw.subarray(0, headerEnd).toString('latin1').split('\r\n')
  const headers = Object.fromEntries(headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]))
  // The request has no keep-alive, so the response is never chunked: the body is what follows the headers.
  return { status: Number(statusLine.split(' ')[1]), headers, body: raw.subarray(headerEnd + 4) }
}

/** Stores an object as a finished PutObject would. */
export async function putStoredObject(fakes: S3Fakes, key: string, content: string | Buffer, contentType = 'image/webp') {
  const received = await fakes.objects.receiveObject(bucket.name, s3Request(fakes, { body: content }).openPayload({ maxBytes: 1 << 20 }))
  return fakes.objects.commit(bucket.name, key, received.dataFile, {
    contentType,
    headers: {},
    metadata: {},
    size: received.digests.size,
    etag: `"${received.digests.md5.toString('hex')}"`,
  })
}

