import { accessSync, constants, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { systemClock, type Clock } from './clock.ts'
import type { LocalAwsContext } from './context.ts'
import { CredentialRegistry } from './credentials.ts'
import { compileBucketPolicies, createAuthorizer } from './iam/authorize.ts'
import { ADMINISTRATOR_ACCESS, administratorArn } from './iam/administrator.ts'
import { compileRoles, evaluateServiceTrust, type CompiledRoles } from './iam/roles.ts'
import { loadSigningKeys } from './keys.ts'
import { localAwsConfig, type LocalAwsConfig } from './localConfig.ts'
import { Outbox } from './outbox.ts'
import { createLocalAwsServer } from './server.ts'
import { JsonDocument, removeInterruptedWrites } from './store.ts'
import { readTemplate } from '../infra/cfnYaml.ts'
import { provision } from './template/provision.ts'
import type { PhysicalIds, ProvisionedModel } from './template/model.ts'
import { localResponseHeaders } from './cloudfront/localHeaders.ts'
import { createSiteServer } from './cloudfront/site.ts'
import { ObjectStore } from './s3/objectStore.ts'
import { createAdminAuthorizer } from './cognito-idp/admin.ts'
import { createUserPoolService } from './cognito-idp/index.ts'
import { userPoolTokenStatus } from './cognito-idp/tokens.ts'
import { UserPoolDirectory } from './cognito-idp/users.ts'
import { createIdentityPoolService } from './cognito-identity/index.ts'
import { createS3Service } from './s3/index.ts'

export const DEFAULT_TEMPLATE_PATH = fileURLToPath(new URL('../infra/template.yaml', import.meta.url))

export interface StartOptions {
  /** 0 picks a free port. */
  port?: number
  /** Where the local CloudFront distribution serves the site bucket; 0 (the default) picks a free port. */
  sitePort?: number
  host?: string
  /** Where state lives; created if missing. */
  dataDir: string
  templatePath?: string
  /** Template parameter overrides, e.g. `{ AppOrigins: 'http://127.0.0.1:*' }`. */
  parameters?: Record<string, string>
  region?: string
  clock?: Clock
  /** Where codes and notices are printed; the terminal by default. */
  log?: (line: string) => void
  /** How long an S3 upload may send nothing before S3's `RequestTimeout`; 20 s, as on S3, unless a test shortens it. */
  s3IdleTimeoutMs?: number
  /**
   * Refuse emails past Cognito's daily quota for its default sender, as AWS does (`LimitExceededException`); otherwise
   * the mailbox only warns. `LOCAL_AWS_EMAIL_QUOTA=enforce` for `npm run local-aws` and `npm run dev`.
   */
  enforceEmailQuota?: boolean
}

export interface LocalAws {
  /** e.g. `http://127.0.0.1:4566`: the `endpoint` for every client. */
  url: string
  /** The site bucket as the template's distribution serves it, with its headers policy, e.g. `http://127.0.0.1:4567`. */
  siteUrl: string
  config: LocalAwsConfig
  /** The app's `VITE_*` values for this local AWS. */
  viteEnv: Record<string, string>
  context: LocalAwsContext
  stop(): Promise<void>
}

/** A one-line error for the terminal: local AWS's start-up failures are the newcomer's first contact. */
export class LocalAwsStartError extends Error {}

function prepareDataDir(dataDir: string): string {
  const absolute = resolve(dataDir)
  try {
    mkdirSync(absolute, { recursive: true })
    accessSync(absolute, constants.R_OK | constants.W_OK)
  } catch (error) {
    throw new LocalAwsStartError(`Cannot use data folder ${absolute}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`)
  }
  return absolute
}

/** Whether a process with this id runs on this machine (one of another user counts). */
export function isProcessRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * One local AWS process per data folder: two would overwrite each other's state files. A lock left by a process that
 * died is taken over. Returns the release.
 */
function lockDataDir(dataDir: string): () => void {
  const lockPath = join(dataDir, 'lock.pid')
  try {
    writeFileSync(lockPath, String(process.pid), { flag: 'wx' })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    const holder = Number(readFileSync(lockPath, 'utf8'))
    if (holder !== process.pid && Number.isInteger(holder) && holder > 0 && isProcessRunning(holder)) {
      throw new LocalAwsStartError(
        `Data folder ${dataDir} is in use by local AWS in process ${holder}: stop it, or set LOCAL_AWS_DATA to another folder`,
      )
    }
    writeFileSync(lockPath, String(process.pid))
  }
  return () => rmSync(lockPath, { force: true })
}

/** Provisions local AWS from the template and serves it. */
export async function startLocalAws(options: StartOptions): Promise<LocalAws> {
  const port = options.port ?? 0
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new LocalAwsStartError(`Port ${options.port} is not a port number: set LOCAL_AWS_PORT to one from 0 to 65535`)
  }
  const dataDir = prepareDataDir(options.dataDir)
  const releaseDataDir = lockDataDir(dataDir)
  try {
    return await serveLocalAws({ ...options, port }, dataDir, releaseDataDir)
  } catch (error) {
    releaseDataDir()
    throw error
  }
}

async function serveLocalAws(
  options: StartOptions & { port: number },
  dataDir: string,
  releaseDataDir: () => void,
): Promise<LocalAws> {
  const { port } = options
  const clock = options.clock ?? systemClock
  const log = options.log ?? ((line: string) => console.log(line))
  // A process killed mid-write leaves its temporary file behind; the file it was replacing is intact.
  removeInterruptedWrites(dataDir)
  const ids = new JsonDocument<PhysicalIds>(join(dataDir, 'ids.json'), () => ({}))
  const model = ids.update((draft) =>
    provision(readTemplate(options.templatePath ?? DEFAULT_TEMPLATE_PATH), {
      region: options.region ?? 'us-east-1',
      accountId: '000000000000',
      stackName: 'wild-rydes-local',
      parameters: options.parameters,
      ids: draft,
    }),
  )
  // The composition root: every shared piece is built once here and handed to the services that use it.
  const context: LocalAwsContext = {
    model,
    clock,
    dataDir,
    log,
    keys: await loadSigningKeys(dataDir, clock),
    outbox: new Outbox(dataDir, clock, log, { enforceEmailQuota: options.enforceEmailQuota }),
    credentials: new CredentialRegistry(dataDir, clock),
    userPoolDirectory: new UserPoolDirectory(model.userPools, model.userPoolClients, dataDir, clock),
    // Compiling checks every trust and permission policy now, so a policy local AWS cannot evaluate stops the start
    // instead of being served.
    roles: compileRoles(model),
  }
  const { keys, outbox, credentials, userPoolDirectory: directory, roles } = context
  checkSmsRoles(model, roles)
  const administrator = { arn: administratorArn(model.accountId), policy: ADMINISTRATOR_ACCESS }
  const administratorKey = credentials.administrator(administrator.arn)
  const store = new ObjectStore(join(dataDir, 's3'), model.buckets.map((bucket) => bucket.name), clock)
  // One IAM decision for S3 and the user pools' Admin* operations: rider roles and the administrator alike.
  const authorize = createAuthorizer(roles, administrator, compileBucketPolicies(model))
  // Known once both servers listen; `/_local/config` is not asked before.
  const served: { config?: LocalAwsConfig } = {}
  const server = createLocalAwsServer({
    context,
    jsonServices: [
      createUserPoolService({
        directory,
        keys,
        outbox,
        clock,
        authorizeAdmin: createAdminAuthorizer({ credentials, authorize, clock, accountId: model.accountId }),
      }),
      createIdentityPoolService({ model, dataDir, roles, credentials, keys, clock, userPools: userPoolTokenStatus(directory) }),
    ],
    s3: createS3Service({ model, store, credentials, authorize, clock, log, idleTimeoutMs: options.s3IdleTimeoutMs }),
    config: () => served.config!,
  })
  const host = options.host ?? '127.0.0.1'
  const url = await listen(server, host, port, 'LOCAL_AWS_PORT')
  const distribution = model.distributions[0]
  const siteServer = distribution
    ? createSiteServer({ distribution, store, headers: localResponseHeaders(distribution.responseHeaders, url) })
    : undefined
  let siteUrl = ''
  try {
    if (siteServer) siteUrl = await listen(siteServer, host, options.sitePort ?? 0, 'LOCAL_AWS_SITE_PORT')
  } catch (error) {
    await closeServer(server)
    throw error
  }
  const config = localAwsConfig(model, { endpoint: url, siteUrl, administrator: administratorKey })
  served.config = config
  return {
    url,
    siteUrl,
    config,
    viteEnv: config.viteEnv,
    context,
    stop: async () => {
      await Promise.all([closeServer(server), siteServer && closeServer(siteServer)])
      releaseDataDir()
    },
  }
}

function listen(server: Server, host: string, port: number, variable: string): Promise<string> {
  return new Promise<string>((resolveListen, rejectListen) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      rejectListen(
        error.code === 'EADDRINUSE'
          ? new LocalAwsStartError(`Port ${port} is already in use: set ${variable} to a free port`)
          : new LocalAwsStartError(`Cannot listen on ${host}:${port}: ${error.code ?? error.message}`),
      )
    })
    server.listen(port, host, () => resolveListen(`http://${host}:${(server.address() as AddressInfo).port}`))
  })
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolveClose) => {
    server.close(() => resolveClose())
    server.closeAllConnections()
  })
}

/**
 * A user pool's SMS role must let Cognito assume it with the pool's ExternalId, or AWS refuses to create the pool
 * (InvalidSmsRoleTrustRelationshipException); local AWS refuses to start.
 * https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-sms-settings.html
 */
function checkSmsRoles(model: ProvisionedModel, roles: CompiledRoles): void {
  for (const pool of model.userPools) {
    const sms = pool.smsConfiguration
    if (!sms) continue
    const role = roles.get(sms.snsCallerArn)
    const decision =
      role &&
      evaluateServiceTrust(role, { service: 'cognito-idp.amazonaws.com', externalId: sms.externalId, sourceAccount: model.accountId, sourceArn: pool.arn })
    if (decision !== 'Allow') {
      throw new LocalAwsStartError(
        `InvalidSmsRoleTrustRelationshipException: ${sms.snsCallerArn} does not let cognito-idp.amazonaws.com assume it with the pool's ExternalId`,
      )
    }
  }
}
