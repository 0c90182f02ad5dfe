import type { ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startStandaloneLocalAws, type LocalAwsEndpoint, type StandaloneLocalAws } from '../support/localAws.ts'
import { RiderBrowser, registerRider, riderCredentials, riderS3Client } from '../support/riders.ts'

// `npm run local-aws` as a newcomer's script meets it: its own process, only the official clients, a restart in between.

let dataDir: string
/** Every process started, so a failing test leaves none running. */
const started: ChildProcess[] = []

async function startStandalone(): Promise<StandaloneLocalAws> {
  const standalone = await startStandaloneLocalAws(dataDir)
  started.push(standalone.process)
  return standalone
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
    expect(await first.stop()).toBe(0)

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
      await second.stop()
    }
  })
})
