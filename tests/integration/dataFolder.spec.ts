import { randomBytes, randomUUID } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CognitoIdentityProviderClient, InitiateAuthCommand, RespondToAuthChallengeCommand } from '@aws-sdk/client-cognito-identity-provider'
import { PutObjectCommand } from '@aws-sdk/client-s3'
import { createSrpSession, signSrpSession, wrapAuthChallenge, wrapInitiateAuth } from 'cognito-srp-helper'
import { decodeJwt } from 'jose'
import { describe, expect, it } from 'vitest'
import { systemClock } from '../../local-aws/clock.ts'
import { createVerifier } from '../../local-aws/cognito-idp/srp.ts'
import { srpPoolName } from '../../local-aws/cognito-idp/users.ts'
import { ObjectStore } from '../../local-aws/s3/objectStore.ts'
import { callUserPool, providerNameOf, startScratchLocalAws, startStandaloneLocalAws, startTestAws, type LocalAwsEndpoint } from '../support/localAws.ts'
import { expectAwsError } from '../support/localAwsHooks.ts'
import { uniqueEmail } from '../support/mailbox.ts'
import { RiderBrowser, newRider, registerRider, riderCredentials, riderS3Client } from '../support/riders.ts'

// The data folder: what a change leaves there (a rider, an S3 object) survives SIGKILL, and a folder of the previous
// format (one JSON file per state, rewritten on every change) is read and moved to the journals. Also: an SRP client
// that is not the app's.

function temporaryFolder(): string {
  return mkdtempSync(join(tmpdir(), 'wild-rydes-data-folder-'))
}

describe('a local AWS killed with SIGKILL', () => {
  it('keeps every sign-up it answered, whatever it was writing when it died', async () => {
    const dataDir = temporaryFolder()
    try {
      const standalone = await startStandaloneLocalAws(dataDir)
      const aws = standalone.endpoint
      const answered: string[] = []
      let isKilled = false
      const signUpUntilKilled = async () => {
        while (!isKilled) {
          const email = uniqueEmail('durable')
          const { status } = await callUserPool(aws, 'SignUp', {
            ClientId: aws.config.userPoolClientId, Username: email, Password: 'Durable-pass-1',
            UserAttributes: [{ Name: 'name', Value: 'Durable' }, { Name: 'phone_number', Value: '+14155550123' }],
          }).catch(() => ({ status: 0 }))
          if (status === 200) answered.push(email)
          if (answered.length >= 40 && !isKilled) {
            isKilled = true
            standalone.process.kill('SIGKILL')
          }
        }
      }
      const exited = new Promise((resolve) => standalone.process.once('exit', resolve))
      await Promise.all(Array.from({ length: 6 }, signUpUntilKilled))
      await exited

      const { aws: restarted, stop } = await startTestAws({ dataDir })
      try {
        const store = restarted.context.userPoolDirectory.forPool(restarted.config.userPoolId)!
        const missing = answered.filter((email) => store.findUser(email)?.status !== 'UNCONFIRMED')
        expect(missing).toEqual([])
        expect(restarted.context.outbox.messages.map(({ to }) => to)).toEqual(expect.arrayContaining(answered))
      } finally {
        await stop()
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true })
    }
  }, 120_000)

  it('keeps every S3 object it answered, whole, whatever it was receiving when it died', async () => {
    const dataDir = temporaryFolder()
    try {
      const standalone = await startStandaloneLocalAws(dataDir)
      const aws = standalone.endpoint
      const browser = new RiderBrowser(aws)
      const rider = await registerRider(browser)
      await browser.signIn(rider.email, rider.password)
      const credentials = riderCredentials(aws, () => browser.idToken(), rider.sub)
      const prefix = `protected/${(await credentials()).identityId}/profile/`
      const client = riderS3Client(aws, credentials)
      const answered = new Map<string, Buffer>()
      let isKilled = false
      const putUntilKilled = async (writer: number) => {
        for (let index = 0; !isKilled; index += 1) {
          const key = `${prefix}${writer}-${index}.jpg`
          const body = randomBytes(256 * 1024 + index)
          const isAnswered = await client.send(new PutObjectCommand({ Bucket: aws.config.bucket, Key: key, Body: body })).then(
            () => true,
            () => false,
          )
          if (isAnswered) answered.set(key, body)
          if (answered.size >= 40 && !isKilled) {
            isKilled = true
            standalone.process.kill('SIGKILL')
          }
        }
      }
      const exited = new Promise((resolve) => standalone.process.once('exit', resolve))
      await Promise.all(Array.from({ length: 4 }, (_, writer) => putUntilKilled(writer)))
      await exited
      client.destroy()

      const store = new ObjectStore(join(dataDir, 's3'), [aws.config.bucket], systemClock)
      const damaged: string[] = []
      for (const [key, body] of answered) {
        const opened = await store.open(aws.config.bucket, key)
        const stored = await opened?.file.readFile()
        await opened?.file.close()
        if (!stored?.equals(body)) damaged.push(key)
      }
      expect(damaged).toEqual([])
    } finally {
      rmSync(dataDir, { recursive: true, force: true })
    }
  }, 120_000)
})

describe('a data folder of the previous format', () => {
  it('is read, migrated to journals, and its riders sign in with their identity ids and credentials as before', async () => {
    // A folder local AWS made (ids, signing keys), then given the state files as the previous format wrote them.
    const { aws: first, dataDir } = await startTestAws()
    const { userPoolId, identityPoolId } = first.config
    const pool = first.context.model.userPools[0]!
    await first.stop()
    for (const journal of [`cognito-idp/${userPoolId}.jsonl`, 'identities.jsonl', 'credentials.jsonl', 'outbox.jsonl']) rmSync(join(dataDir, journal))

    const rider = newRider()
    const username = randomUUID()
    const now = Date.now()
    const user = {
      username, sub: username, status: 'CONFIRMED', createdAt: now, updatedAt: now,
      attributes: { email: rider.email, email_verified: 'true', phone_number: rider.phone, phone_number_verified: 'false', name: rider.name },
      pendingAttributes: {}, verifier: createVerifier(srpPoolName(pool), username, rider.password), codes: {}, sends: {},
    }
    const providerName = providerNameOf(first)
    const identityId = `${first.config.region}:${randomUUID()}`
    const accessKeyId = 'ASIAOLDFORMATSESSION'
    const oldFiles = {
      [`cognito-idp/${userPoolId}.json`]: { users: { [username]: user }, sessions: {}, decoySecret: 'ab'.repeat(32) },
      'identities.json': {
        identities: { [identityId]: { identityId, identityPoolId, logins: { [providerName]: username }, createdAt: now } },
        byLogin: { [`${identityPoolId} ${providerName} ${username}`]: identityId },
      },
      'credentials.json': {
        [accessKeyId]: {
          accessKeyId, secretAccessKey: 'secret', sessionToken: 'token', expiration: now + 3_600_000, roleArn: 'arn:aws:iam::000000000000:role/Old',
          roleId: 'AROAOLDFORMATROLE', identityId, identityPoolId, amr: ['authenticated'],
        },
      },
      'outbox.json': [{ to: rider.email, kind: 'sign-up', medium: 'EMAIL', code: '123456', subject: 'Code', body: 'Your code', sentAt: new Date(now).toISOString() }],
    }
    for (const [path, content] of Object.entries(oldFiles)) writeFileSync(join(dataDir, path), JSON.stringify(content, null, 2))

    const { aws: second, stop } = await startTestAws({ dataDir })
    try {
      for (const path of Object.keys(oldFiles)) {
        expect(existsSync(join(dataDir, path)), path).toBe(false)
        expect(existsSync(join(dataDir, path.replace(/\.json$/, '.jsonl'))), path).toBe(true)
      }
      const browser = new RiderBrowser(second)
      const session = await browser.signIn(rider.email, rider.password)
      expect(session.getIdToken().payload).toMatchObject({ sub: username, email: rider.email })
      const { identityId: resolved } = await riderCredentials(second, () => browser.idToken(), username)()
      expect(resolved).toBe(identityId)
      expect(second.context.credentials.find(accessKeyId)?.identityId).toBe(identityId)
      expect(second.context.outbox.messages[0]).toMatchObject({ to: rider.email, code: '123456' })
      // A second sign-up with the migrated rider's email is refused: the index was built from the old file.
      await expectAwsError(new RiderBrowser(second).signUp({ ...newRider(), email: rider.email }), 'UsernameExistsException')
    } finally {
      await stop()
    }
  }, 60_000)
})

describe('an independent SRP client (cognito-srp-helper with the SDK)', () => {
  async function signIn(aws: LocalAwsEndpoint, email: string, password: string) {
    const client = new CognitoIdentityProviderClient({ region: aws.config.region, endpoint: aws.url, credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' } })
    const ClientId = aws.config.userPoolClientId
    const session = createSrpSession(email, password, aws.config.userPoolId, false)
    const initiated = await client.send(new InitiateAuthCommand(wrapInitiateAuth(session, { ClientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: email } })))
    const signed = signSrpSession(session, initiated)
    return client.send(
      new RespondToAuthChallengeCommand(
        wrapAuthChallenge(signed, { ClientId, ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses: { USERNAME: initiated.ChallengeParameters!.USERNAME! } }),
      ),
    )
  }

  it('signs a rider in with their password, and is refused a wrong one', async () => {
    const { aws, stop } = await startScratchLocalAws()
    try {
      const rider = await registerRider(new RiderBrowser(aws))
      const { AuthenticationResult } = await signIn(aws, rider.email, rider.password)
      expect(decodeJwt(AuthenticationResult!.IdToken!)).toMatchObject({ sub: rider.sub, email: rider.email })
      await expect(signIn(aws, rider.email, `${rider.password}x`)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' })
    } finally {
      await stop()
    }
  }, 60_000)
})
