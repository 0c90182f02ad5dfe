import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3'
import { systemClock } from '../../local-aws/clock.ts'
import type { LocalAws } from '../../local-aws/index.ts'
import { ObjectStore } from '../../local-aws/s3/objectStore.ts'
import { RequestPayload } from '../../local-aws/s3/payload.ts'
import { startScratchLocalAws, type ScratchLocalAws } from '../support/localAws.ts'
import { riderCredentials, riderS3Client, signInNewRider } from '../support/riders.ts'

/**
 * The isolation matrix: riders A and B, each with the official S3Client and credentials from fromCognitoIdentityPool,
 * try every operation on every part of the bucket. Each cell is what AWS answers under the template's policy, which
 * keys each rider's folder by their identity id (docs/aws-behaviour.md#per-rider-keys-use-the-identity-id) and lets
 * them write only its profile/ folder, where the app writes (docs/aws-behaviour.md#the-photo-bucket-refuses-plain-http):
 * ✓ succeeds, ✗ is AccessDenied (403).
 */

type Rider = 'A' | 'B'
type Location =
  | 'private/A'
  | 'private/B'
  | 'protected/A'
  | 'protected/A/profile'
  | 'protected/B'
  | 'protected/B/profile'
  | 'public/'
  | 'bucket root'
type Operation = 'get' | 'put' | 'delete' | 'list'
type Outcome = '✓' | '✗'

const OPERATIONS: Operation[] = ['get', 'put', 'delete', 'list']

// Rider, location, then get / put / delete / list.
const MATRIX: [Rider, Location, Outcome, Outcome, Outcome, Outcome][] = [
  ['A', 'private/A', '✗', '✗', '✗', '✗'],
  ['A', 'private/B', '✗', '✗', '✗', '✗'],
  ['A', 'protected/A', '✓', '✗', '✗', '✓'],
  ['A', 'protected/A/profile', '✓', '✓', '✓', '✓'],
  ['A', 'protected/B', '✓', '✗', '✗', '✗'],
  ['A', 'protected/B/profile', '✓', '✗', '✗', '✗'],
  ['A', 'public/', '✓', '✗', '✗', '✗'],
  ['A', 'bucket root', '✗', '✗', '✗', '✗'],
  ['B', 'private/A', '✗', '✗', '✗', '✗'],
  ['B', 'private/B', '✗', '✗', '✗', '✗'],
  ['B', 'protected/A', '✓', '✗', '✗', '✗'],
  ['B', 'protected/A/profile', '✓', '✗', '✗', '✗'],
  ['B', 'protected/B', '✓', '✗', '✗', '✓'],
  ['B', 'protected/B/profile', '✓', '✓', '✓', '✓'],
  ['B', 'public/', '✓', '✗', '✗', '✗'],
  ['B', 'bucket root', '✗', '✗', '✗', '✗'],
]

const cells = MATRIX.flatMap(([rider, location, ...outcomes]) =>
  OPERATIONS.map((operation, index) => ({ rider, location, operation, outcome: outcomes[index] as Outcome })),
)

let scratch: ScratchLocalAws
let aws: LocalAws
const clients = {} as Record<Rider, S3Client>
const identityIds = {} as Record<Rider, string>
const RIDERS: Rider[] = ['A', 'B']
const LOCATIONS = MATRIX.filter(([rider]) => rider === 'A').map(([, location]) => location)

/** The key prefix of a location, e.g. `protected/us-east-1:…/profile/` for protected/A/profile; empty for the bucket root. */
function prefixOf(location: Location): string {
  const owned = /^(private|protected)\/(A|B)(\/profile)?$/.exec(location)
  if (owned) return `${owned[1]}/${identityIds[owned[2] as Rider]}/${owned[3] ? 'profile/' : ''}`
  return location === 'public/' ? 'public/' : ''
}

/** Where riders write their own objects: the rest is seeded by the bucket's operator. */
const isProfile = (location: Location) => location.endsWith('/profile')

/** The bucket as its operator sees it, outside IAM: the objects local AWS has on disk right now. */
function operatorView(): ObjectStore {
  return new ObjectStore(join(scratch.dataDir, 's3'), [aws.config.bucket], systemClock)
}

function objectExists(key: string): boolean {
  return operatorView().find(aws.config.bucket, key) !== undefined
}

/** Writes an object as the bucket's operator would (riders write only their profile folders). */
async function seedAsOperator(store: ObjectStore, key: string, body: string): Promise<void> {
  const payload = new RequestPayload(Readable.from([Buffer.from(body)]), { kind: 'unsigned' }, {}, { maxBytes: 1 << 20 })
  const { dataFile, digests } = await store.receiveObject(aws.config.bucket, payload)
  const etag = `"${digests.md5.toString('hex')}"`
  store.commit(aws.config.bucket, key, dataFile, { contentType: 'text/plain', headers: {}, metadata: {}, size: digests.size, etag })
}

beforeAll(async () => {
  scratch = await startScratchLocalAws()
  aws = scratch.aws
  const idTokens = {} as Record<Rider, { idToken: () => Promise<string>; sub: string }>
  for (const rider of RIDERS) {
    const { browser, rider: registered } = await signInNewRider(aws)
    idTokens[rider] = { idToken: () => browser.idToken(), sub: registered.sub }
    identityIds[rider] = (await riderCredentials(aws, idTokens[rider].idToken, registered.sub)()).identityId
  }
  // The operator's objects are written while local AWS is stopped: it reads its objects back at start-up.
  await aws.stop()
  const store = operatorView()
  for (const location of LOCATIONS.filter((candidate) => !isProfile(candidate))) {
    const prefix = prefixOf(location)
    await seedAsOperator(store, `${prefix}seed.txt`, `seed of ${location}`)
    for (const rider of RIDERS) await seedAsOperator(store, `${prefix}delete-by-${rider}.txt`, 'to be deleted')
  }
  scratch = await startScratchLocalAws({ dataDir: scratch.dataDir })
  aws = scratch.aws
  for (const rider of RIDERS) clients[rider] = riderS3Client(aws, riderCredentials(aws, idTokens[rider].idToken, idTokens[rider].sub))
  // Each rider's profile objects, written by the rider.
  for (const location of LOCATIONS.filter(isProfile)) {
    const prefix = prefixOf(location)
    const owner = location.split('/')[1] as Rider
    const put = (Key: string, Body: string) => clients[owner].send(new PutObjectCommand({ Bucket: aws.config.bucket, Key, Body }))
    await put(`${prefix}seed.txt`, `seed of ${location}`)
    for (const rider of RIDERS) await put(`${prefix}delete-by-${rider}.txt`, 'to be deleted')
  }
})

afterAll(async () => {
  for (const client of Object.values(clients)) client.destroy()
  await scratch?.stop()
})

/** Runs one cell; resolves to what the rider observed: the object read, written, deleted or listed, or the error. */
async function attempt(rider: Rider, location: Location, operation: Operation): Promise<unknown> {
  const client = clients[rider]
  const Bucket = aws.config.bucket
  const prefix = prefixOf(location)
  switch (operation) {
    case 'get': {
      const answer = await client.send(new GetObjectCommand({ Bucket, Key: `${prefix}seed.txt` }))
      return answer.Body?.transformToString()
    }
    case 'put':
      await client.send(new PutObjectCommand({ Bucket, Key: `${prefix}put-by-${rider}.txt`, Body: `written by ${rider}`, ContentType: 'text/plain' }))
      return `${prefix}put-by-${rider}.txt`
    case 'delete':
      await client.send(new DeleteObjectCommand({ Bucket, Key: `${prefix}delete-by-${rider}.txt` }))
      return `${prefix}delete-by-${rider}.txt`
    case 'list': {
      const answer = await client.send(new ListObjectsV2Command({ Bucket, Prefix: prefix || undefined, Delimiter: '/' }))
      return (answer.Contents ?? []).map((object) => object.Key)
    }
  }
}

describe('isolation matrix (riders A and B, official S3Client with fromCognitoIdentityPool credentials)', () => {
  it('gives the two riders, signed up through the user pool, two identities', () => {
    expect(identityIds.A).toMatch(/^us-east-1:[0-9a-f-]{36}$/)
    expect(identityIds.B).toMatch(/^us-east-1:[0-9a-f-]{36}$/)
    expect(identityIds.A).not.toBe(identityIds.B)
  })

  it.each(cells)('$rider $operation $location → $outcome', async ({ rider, location, operation, outcome }) => {
    const prefix = prefixOf(location)
    if (outcome === '✗') {
      const error = await attempt(rider, location, operation).then(
        () => undefined,
        (caught: unknown) => caught,
      )
      expect(error).toBeInstanceOf(S3ServiceException)
      expect((error as S3ServiceException).name).toBe('AccessDenied')
      expect((error as S3ServiceException).$metadata.httpStatusCode).toBe(403)
      // Nothing changed: the object to delete is still there, the object to write was not created.
      if (operation === 'delete') expect(objectExists(`${prefix}delete-by-${rider}.txt`)).toBe(true)
      if (operation === 'put') expect(objectExists(`${prefix}put-by-${rider}.txt`)).toBe(false)
      return
    }
    const observed = await attempt(rider, location, operation)
    if (operation === 'get') expect(observed).toBe(`seed of ${location}`)
    if (operation === 'put') expect(objectExists(`${prefix}put-by-${rider}.txt`)).toBe(true)
    if (operation === 'delete') expect(objectExists(`${prefix}delete-by-${rider}.txt`)).toBe(false)
    if (operation === 'list') expect(observed).toContain(`${prefix}seed.txt`)
  })
})
