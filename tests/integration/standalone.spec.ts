import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fetchLocalAwsEndpoint, type LocalAwsEndpoint } from '../support/localAws.ts'
import { RiderBrowser, registerRider, riderCredentials, riderS3Client } from '../support/riders.ts'

// `npm run local-aws` as a newcomer's script meets it: its own process, only the official clients, a restart in between.

interface Standalone {
  process: ChildProcess
  endpoint: LocalAwsEndpoint
  output: () => string
}

let dataDir: string
/** Every process started, so a failing test leaves none running. */
const started: ChildProcess[] = []

/** Starts `npm run local-aws`'s entry point on a free port and waits for the line that names its URL. */
async function startStandalone(): Promise<Standalone> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'local-aws/main.ts'], {
    env: { ...process.env, LOCAL_AWS_PORT: '0', LOCAL_AWS_SITE_PORT: '0', LOCAL_AWS_DATA: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  started.push(child)
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`local-aws exited with ${code}: ${output}`)))
    child.stdout.on('data', () => {
      const match = /Local AWS is listening at (\S+)/.exec(output)
      if (match?.[1]) resolve(match[1])
    })
  })
  return { process: child, endpoint: await fetchLocalAwsEndpoint(url), output: () => output }
}

async function stopStandalone(standalone: Standalone): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => standalone.process.once('exit', resolve))
  standalone.process.kill('SIGTERM')
  return exited
}

/** The rider's S3 client and identity id, as the app gets them: from the identity pool with the ID token. */
async function riderS3(endpoint: LocalAwsEndpoint, idToken: string, sub: string): Promise<{ s3: S3Client; identityId: string }> {
  const credentials = riderCredentials(endpoint, () => idToken, sub)
  const s3 = riderS3Client(endpoint, credentials)
  return { s3, identityId: (await credentials()).identityId }
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'la-standalone-'))
})

afterAll(async () => {
  for (const child of started) if (child.exitCode === null) child.kill('SIGKILL')
  await rm(dataDir, { recursive: true, force: true })
})

describe('npm run local-aws', () => {
  it('serves a rider end to end, prints their code, and finds them and their object after a restart', async () => {
    const first = await startStandalone()
    const browser = new RiderBrowser(first.endpoint)
    const rider = await registerRider(browser)
    expect(first.output()).toContain(`sign-up code for ${rider.email}`)
    const session = await browser.signIn(rider.email, rider.password)
    const { s3, identityId } = await riderS3(first.endpoint, session.getIdToken().getJwtToken(), rider.sub)
    const key = `protected/${identityId}/profile/standalone.txt`
    await s3.send(new PutObjectCommand({ Bucket: first.endpoint.config.bucket, Key: key, Body: 'still here', ContentType: 'text/plain' }))
    expect(await stopStandalone(first)).toBe(0)

    const second = await startStandalone()
    try {
      // The same ids, bucket names and administrator key; only the ports are new.
      const { config } = second.endpoint
      expect(config).toEqual({
        ...first.endpoint.config,
        endpoint: second.endpoint.url,
        siteUrl: config.siteUrl,
        viteEnv: { ...first.endpoint.config.viteEnv, VITE_AWS_ENDPOINT: second.endpoint.url },
      })
      const again = await new RiderBrowser(second.endpoint).signIn(rider.email, rider.password)
      expect(again.getIdToken().payload.sub).toBe(rider.sub)
      const restored = await riderS3(second.endpoint, again.getIdToken().getJwtToken(), rider.sub)
      expect(restored.identityId).toBe(identityId)
      const object = await restored.s3.send(new GetObjectCommand({ Bucket: second.endpoint.config.bucket, Key: key }))
      expect(await object.Body?.transformToString()).toBe('still here')
    } finally {
      await stopStandalone(second)
    }
  })
})
