import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AdminGetUserCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider'
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_TEMPLATE_PATH } from '../../local-aws/index.ts'
import { localParameters } from '../../local-aws/localParameters.ts'
import type { LocalAwsConfig } from '../../local-aws/localConfig.ts'
import { buildSite } from '../../scripts/buildSite.ts'
import { deployToLocal, localS3Client } from '../../scripts/deploy.ts'
import type { JournalEntries } from '../../scripts/smoke/journal.ts'
import { runSmoke } from '../../scripts/smoke/run.ts'
import { startScratchLocalAws, startStandaloneLocalAws, type ScratchLocalAws, type StandaloneLocalAws } from '../support/localAws.ts'
import { riderCredentials, signInNewRider } from '../support/riders.ts'

// `npm run smoke -- --local` as a deployer runs it: its own process, against a local AWS in a process of its own that
// the app was deployed to.

const CHECKS = 18

let workDir: string
let distDir: string
let standalone: StandaloneLocalAws
let broken: ScratchLocalAws | undefined
const started: ChildProcess[] = []

interface SmokeRun {
  code: number | null
  output: string
  /** The check lines, mark first. */
  checks: string[]
}

/** Starts the smoke check against `endpoint`; `until` resolves once the output matches it (for interrupting it). */
function startSmoke(endpoint: string, journalDir: string, viaNpm: boolean) {
  const args = ['--local', '--endpoint', endpoint]
  const child = viaNpm
    ? spawn('npm', ['run', '--silent', 'smoke', '--', ...args], { env: { ...process.env, SMOKE_JOURNAL_DIR: journalDir }, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(process.execPath, ['--import', 'tsx', 'scripts/smoke.ts', ...args], { env: { ...process.env, SMOKE_JOURNAL_DIR: journalDir }, stdio: ['ignore', 'pipe', 'pipe'] })
  started.push(child)
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<SmokeRun>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code: code ?? (signal ? -1 : null), output, checks: output.split('\n').filter((line) => /^[✓✗-] /.test(line)) })),
  )
  const until = (pattern: RegExp) =>
    new Promise<void>((resolve, reject) => {
      const look = () => pattern.test(output) && resolve()
      child.stdout.on('data', look)
      void exited.then(() => reject(new Error(`smoke exited before printing ${pattern}:\n${output}`)))
    })
  return { child, exited, until }
}

async function smoke(endpoint: string, journalDir: string): Promise<SmokeRun> {
  return startSmoke(endpoint, journalDir, true).exited
}

/** Runs the smoke check (its own entry, no npm in between) until A's photo is up, then sends it `signal`. */
async function interruptAfterUpload(journalDir: string, signal: 'SIGKILL' | 'SIGINT'): Promise<SmokeRun> {
  const run = startSmoke(standalone.endpoint.url, journalDir, false)
  await run.until(/✓ A uploads a photo/)
  run.child.kill(signal)
  return run.exited
}

/** What the one unfinished run against the pool recorded. */
async function leftJournal(journalDir: string, userPoolId: string): Promise<JournalEntries> {
  const [journalFile] = await readdir(join(journalDir, userPoolId))
  return JSON.parse(await readFile(join(journalDir, userPoolId, journalFile!), 'utf8')) as JournalEntries
}

/** Every object in the photo bucket, as the administrator lists it. */
async function photoBucketKeys(config: LocalAwsConfig): Promise<string[]> {
  const listing = await localS3Client(config).send(new ListObjectsV2Command({ Bucket: config.bucket }))
  return (listing.Contents ?? []).map((object) => object.Key ?? '')
}

async function userStatus(config: LocalAwsConfig, email: string): Promise<string> {
  const admin = new CognitoIdentityProviderClient({ region: config.region, endpoint: config.endpoint, credentials: config.administrator })
  return admin.send(new AdminGetUserCommand({ UserPoolId: config.userPoolId, Username: email })).then(
    (user) => user.UserStatus ?? 'unknown',
    (error: unknown) => (error as Error).name,
  )
}

/** Deploys the one build of this file to a local AWS's site bucket. */
async function deploy(config: LocalAwsConfig): Promise<void> {
  await deployToLocal({ config, withSite: (_env, use) => use(distDir), log: () => {} })
}

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'wild-rydes-smoke-'))
  distDir = join(workDir, 'dist')
  standalone = await startStandaloneLocalAws(join(workDir, 'local-aws'))
  started.push(standalone.process)
  // One build serves both local AWSs: the hosting checks look at how it is served, not at the ids baked into it.
  await buildSite(distDir, standalone.endpoint.config.viteEnv)
  await deploy(standalone.endpoint.config)
}, 180_000)

afterAll(async () => {
  await broken?.stop()
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  await rm(workDir, { recursive: true, force: true })
})

describe('npm run smoke -- --local', () => {
  it('passes every check on a local deploy, prints no secret and leaves nothing behind', async () => {
    const journalDir = join(workDir, 'journal-pass')
    const run = await smoke(standalone.endpoint.url, journalDir)

    expect(run.checks, run.output).toHaveLength(CHECKS)
    expect(run.checks.filter((line) => !line.startsWith('✓ ')), run.output).toEqual([])
    expect(run.checks.every((line) => / \(\d+ ms\)$/.test(line))).toBe(true)
    expect(run.output).toContain(`${CHECKS} passed, 0 failed in `)
    expect(run.code).toBe(0)
    // No key, token or password: the administrator's secret, JWTs and the riders' generated passwords.
    expect(run.output).not.toContain(standalone.endpoint.config.administrator.secretAccessKey)
    expect(run.output).not.toMatch(/eyJ[\w-]+\.|Sm0ke-/)
    expect(await photoBucketKeys(standalone.endpoint.config)).toEqual([])
    expect(await readdir(join(journalDir, standalone.endpoint.config.userPoolId))).toEqual([])
  })

  it('fails exactly the public/ check, and exits non-zero, when the template lets riders write public/', async () => {
    const template = await readFile(DEFAULT_TEMPLATE_PATH, 'utf8')
    const ownProtected = 'arn:${AWS::Partition}:s3:::${PhotoBucket}/protected/${!cognito-identity.amazonaws.com:sub}/profile/*'
    const indent = ' '.repeat(18)
    // WriteOwnProfile, widened to public/: the tutorial's flaw.
    const writablePublic = template.replace(
      `Resource: !Sub ${ownProtected}`,
      `Resource:\n${indent}- !Sub ${ownProtected}\n${indent}- !Sub arn:\${AWS::Partition}:s3:::\${PhotoBucket}/public/*`,
    )
    expect(writablePublic).not.toBe(template)
    const templatePath = join(workDir, 'writable-public.yaml')
    await writeFile(templatePath, writablePublic)
    broken = await startScratchLocalAws({ templatePath, parameters: localParameters() })
    await deploy(broken.aws.config)

    const run = await smoke(broken.aws.url, join(workDir, 'journal-broken'))

    expect(run.checks.filter((line) => !line.startsWith('✓ ')), run.output).toEqual([
      expect.stringMatching(/^✗ a rider cannot write public\/ \(AccessDenied\) \(\d+ ms\) — expected AccessDenied, it succeeded$/),
    ])
    expect(run.output).toContain(`${CHECKS - 1} passed, 1 failed in `)
    expect(run.code).toBe(1)
    // The object the refused-that-was-not write left is cleaned up too.
    expect(await photoBucketKeys(broken.aws.config)).toEqual([])
  })

  it('cleans up what a run killed midway left, at the start of the next run', async () => {
    const journalDir = join(workDir, 'journal-killed')
    const { config } = standalone.endpoint
    await interruptAfterUpload(journalDir, 'SIGKILL')
    const left = await leftJournal(journalDir, config.userPoolId)
    expect(left.riders).toHaveLength(2)
    expect(await userStatus(config, left.riders[0]!)).toBe('CONFIRMED')
    expect(await photoBucketKeys(config)).toHaveLength(1)

    const next = await smoke(standalone.endpoint.url, journalDir)

    expect(next.checks[0]).toMatch(/^✓ leftovers of an interrupted run removed \(2 riders, 2 photo prefixes\)/)
    expect(next.code, next.output).toBe(0)
    for (const email of left.riders) expect(await userStatus(config, email)).toBe('UserNotFoundException')
    expect(await photoBucketKeys(config)).toEqual([])
    expect(await readdir(join(journalDir, config.userPoolId))).toEqual([])
  })

  it('cleans up before exiting on Ctrl-C', async () => {
    const journalDir = join(workDir, 'journal-interrupted')
    const { config } = standalone.endpoint
    const run = await interruptAfterUpload(journalDir, 'SIGINT')

    expect(run.code).toBe(130)
    expect(run.checks.at(-1)).toMatch(/^✓ clean-up: the photos, then both riders \(AdminDeleteUser\)/)
    expect(run.output).toContain('deleted: 1 object(s), 2 rider(s)')
    expect(await photoBucketKeys(config)).toEqual([])
    expect(await readdir(join(journalDir, config.userPoolId))).toEqual([])
  })

  it("says which permission the deployer's credentials lack, and leaves the clean-up to a run whose credentials can", async () => {
    const { config, url } = standalone.endpoint
    const journalDir = join(workDir, 'journal-unauthorised')
    // A "deployer" whose credentials are a rider's: their role allows no cognito-idp action at all.
    const { rider, session } = await signInNewRider(standalone.endpoint)
    const credentials = riderCredentials(standalone.endpoint, () => session.getIdToken().getJwtToken(), rider.sub)
    const lines: string[] = []
    const isSuccess = await runSmoke(
      {
        description: 'local AWS, as a rider',
        viteEnv: config.viteEnv,
        siteUrl: config.siteUrl,
        admin: {
          cognito: new CognitoIdentityProviderClient({ region: config.region, endpoint: url, credentials }),
          s3: new S3Client({ region: config.region, endpoint: url, forcePathStyle: true, credentials }),
        },
      },
      { journalDir, log: (line) => lines.push(line) },
    )

    expect(isSuccess).toBe(false)
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^✓ riders A and B sign up \(SignUp\)/),
        expect.stringMatching(/^✗ the deployer confirms them \(AdminConfirmSignUp\) \(\d+ ms\) — cannot run: the deployer's credentials lack cognito-idp:AdminConfirmSignUp \(AccessDeniedException\)$/),
        '- they sign in with SRP (InitiateAuth, RespondToAuthChallenge) — needs confirmed riders',
        expect.stringMatching(/^✗ clean-up: the photos, then both riders \(AdminDeleteUser\) \(\d+ ms\) — cannot run: the deployer's credentials lack cognito-idp:AdminDeleteUser \(AccessDeniedException\)$/),
      ]),
    )
    const left = await leftJournal(journalDir, config.userPoolId)
    expect(await userStatus(config, left.riders[0]!)).toBe('UNCONFIRMED')

    const next = await smoke(url, journalDir)
    expect(next.checks[0]).toMatch(/^✓ leftovers of an interrupted run removed \(2 riders, 0 photo prefixes\)/)
    for (const email of left.riders) expect(await userStatus(config, email)).toBe('UserNotFoundException')
  })
})
