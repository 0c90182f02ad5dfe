import { connect } from 'node:net'
import { randomUUID } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { getSignedUrl } from '@aws-sdk/s3-request-presigner'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LocalAws } from '../../local-aws/index.ts'
import { callUserPool, issueRiderSession, startScratchLocalAws, type ScratchLocalAws } from '../support/localAws.ts'

// What local AWS answers to requests the official clients never send: broken HTTP, bodies that stop or run over,
// JSON nested without end, and failures inside an operation. Every answer is in the service's shape, over raw sockets.

const IDLE_TIMEOUT_MS = 300
let scratch: ScratchLocalAws
let aws: LocalAws
const logged: string[] = []

beforeAll(async () => {
  scratch = await startScratchLocalAws({ s3IdleTimeoutMs: IDLE_TIMEOUT_MS, log: (line) => logged.push(line) })
  aws = scratch.aws
})
afterAll(() => scratch.stop())

interface RawAnswer {
  status: number
  headers: Record<string, string>
  body: string
  /** The server closed the connection after answering. */
  closed: boolean
}

/**
 * Writes bytes on a fresh connection (then half-closes it when asked) and reads the first answer. Resolves when the
 * answer is complete and the connection may stay open, or when the server closes the connection.
 */
function exchange(bytes: string | Buffer, { halfClose = false } = {}): Promise<RawAnswer> {
  const { hostname, port } = new URL(aws.url)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname)
    let received = Buffer.alloc(0)
    const parse = (closed: boolean): RawAnswer | undefined => {
      const text = received.toString('latin1')
      const end = text.indexOf('\r\n\r\n')
      if (end < 0) return undefined
      const [statusLine, ...lines] = text.slice(0, end).split('\r\n')
      const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]))
      const body = received.subarray(Buffer.byteLength(text.slice(0, end + 4), 'latin1'))
      const length = Number(headers['content-length'] ?? Number.NaN)
      if (!closed && !(body.length >= length)) return undefined
      return { status: Number(statusLine!.split(' ')[1]), headers, body: body.toString('utf8'), closed }
    }
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk])
      const answer = parse(false)
      if (answer && answer.headers.connection !== 'close') {
        resolve(answer)
        socket.destroy()
      }
    })
    socket.on('error', reject)
    socket.on('close', () => {
      const answer = parse(true)
      if (answer) resolve(answer)
      else reject(new Error(`connection closed without an answer: ${JSON.stringify(received.toString('latin1'))}`))
    })
    socket.write(bytes, () => {
      if (halfClose) socket.end()
    })
  })
}

/** A presigned PUT for a fresh key of the rider's own folder: the one S3 request a raw socket can sign with ease. */
async function presignedPut(): Promise<{ path: string; key: string; client: S3Client }> {
  const { model } = aws.context
  const { identityId, session } = issueRiderSession(aws)
  const client = new S3Client({
    region: model.region,
    endpoint: aws.url,
    forcePathStyle: true,
    credentials: { ...session, expiration: new Date(session.expiration) },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 1,
  })
  const key = `protected/${identityId}/profile/${randomUUID()}.txt`
  const url = new URL(await getSignedUrl(client, new PutObjectCommand({ Bucket: aws.config.bucket, Key: key }), { expiresIn: 300 }))
  return { path: `${url.pathname}${url.search}`, key, client }
}

async function readObject(client: S3Client, key: string): Promise<string> {
  const got = await client.send(new GetObjectCommand({ Bucket: aws.config.bucket, Key: key }))
  return got.Body!.transformToString()
}

function put(path: string, declaredLength: number, body: string): string {
  return `PUT ${path} HTTP/1.1\r\nHost: ${new URL(aws.url).host}\r\nContent-Length: ${declaredLength}\r\n\r\n${body}`
}

function s3Code(answer: RawAnswer): string | undefined {
  return /<Code>([^<]*)<\/Code>/.exec(answer.body)?.[1]
}

/** Files a write leaves while it is under way: temporary files, and the data files of the bucket's objects. */
function writtenFiles(): string[] {
  return readdirSync(scratch.dataDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && (/\.tmp$/.test(entry.name) || /[/\\]s3[/\\](tmp|buckets[/\\][^/\\]+[/\\]data)$/.test(entry.parentPath)))
    .map((entry) => entry.name)
    .sort()
}

describe('JSON nested without end', () => {
  it('is refused with SerializationException at a bounded depth, and the server keeps serving', async () => {
    const deep = `{"ClientId": ${'['.repeat(200_000)}${']'.repeat(200_000)}}`
    const answer = await callUserPool(aws, 'SignUp', deep)
    expect(answer).toEqual({ status: 400, body: { __type: 'SerializationException', Message: 'Start of list found where not expected' } })
    const nestedObjects = `{"UserAttributes": [${'{"Name":'.repeat(50_000)}"x"${'}'.repeat(50_000)}]}`
    expect((await callUserPool(aws, 'SignUp', nestedObjects)).body).toEqual({
      __type: 'SerializationException',
      Message: 'Start of structure or map found where not expected.',
    })
    expect((await callUserPool(aws, 'SignUp', { ClientId: 'nope', Username: 'a@example.com', Password: 'Unicorn-Ride-9' })).body.__type).toBe(
      'ResourceNotFoundException',
    )
  })
})

describe('a failure inside an operation', () => {
  it('is a 500 InternalErrorException with a request id, logged once, for the user pool', async () => {
    // The user pool's journal cannot be opened: the next write fails in a way no operation expects.
    const stateFile = join(scratch.dataDir, 'cognito-idp', `${aws.config.userPoolId}.jsonl`)
    rmSync(stateFile, { force: true })
    mkdirSync(join(stateFile, 'blocked'), { recursive: true })
    logged.length = 0
    const email = `${randomUUID()}@example.com`
    try {
      const response = await fetch(`${aws.url}/`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'AWSCognitoIdentityProviderService.SignUp' },
        body: JSON.stringify({
          ClientId: aws.config.userPoolClientId,
          Username: email,
          Password: 'Unicorn-Ride-9',
          UserAttributes: [{ Name: 'email', Value: email }, { Name: 'phone_number', Value: '+14155550123' }, { Name: 'name', Value: 'Ada' }],
        }),
      })
      expect(response.status).toBe(500)
      expect(await response.json()).toEqual({ __type: 'InternalErrorException', message: 'Internal server error.' })
      const requestId = response.headers.get('x-amzn-requestid')
      expect(requestId).toMatch(/^[0-9a-f-]{36}$/)
      expect(logged.filter((line) => line.includes('internal error'))).toEqual([expect.stringContaining(`request ${requestId}`)])
    } finally {
      rmSync(stateFile, { recursive: true, force: true })
    }
  })

  it('is a 500 InternalError in S3 XML with its request id, logged once', async () => {
    const { path } = await presignedPut()
    // The folder uploads are received into is gone: writing the body fails in a way no operation expects.
    const receiving = join(scratch.dataDir, 's3', 'buckets', aws.config.bucket, 'data')
    renameSync(receiving, `${receiving}.away`)
    logged.length = 0
    try {
      const answer = await exchange(put(path, 5, 'hello'))
      expect(answer.status).toBe(500)
      expect(s3Code(answer)).toBe('InternalError')
      expect(answer.body).toContain(`<RequestId>${answer.headers['x-amz-request-id']}</RequestId>`)
      expect(logged.filter((line) => line.includes('internal error'))).toEqual([expect.stringContaining(`request ${answer.headers['x-amz-request-id']}`)])
    } finally {
      renameSync(`${receiving}.away`, receiving)
    }
  })
})

describe('requests Node’s HTTP parser refuses', () => {
  it('answers a malformed request line in S3 XML under a bucket path and in JSON at /', async () => {
    const s3 = await exchange(`GET /${aws.config.bucket}/key HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header Line\r\n\r\n`)
    expect(s3).toMatchObject({ status: 400, headers: { 'content-type': 'application/xml' } })
    expect(s3Code(s3)).toBe('InvalidRequest')
    const json = await exchange('POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: nope\r\n\r\n{}')
    expect(json).toMatchObject({ status: 400, headers: { 'content-type': 'application/x-amz-json-1.1' } })
    expect(JSON.parse(json.body)).toMatchObject({ __type: 'SerializationException' })
  })

  it('answers a header section over 8 KiB with RequestHeaderSectionTooLarge', async () => {
    const answer = await exchange(`GET /${aws.config.bucket}/key HTTP/1.1\r\nHost: 127.0.0.1\r\nx-amz-meta-big: ${'a'.repeat(9000)}\r\n\r\n`)
    expect(answer.status).toBe(400)
    expect(s3Code(answer)).toBe('RequestHeaderSectionTooLarge')
  })

  it('answers a body cut short by a half-close with IncompleteBody, and stores nothing', async () => {
    const { path, key, client } = await presignedPut()
    const before = writtenFiles()
    const answer = await exchange(put(path, 10, 'only5'), { halfClose: true })
    expect(answer.status).toBe(400)
    expect(s3Code(answer)).toBe('IncompleteBody')
    await expect(readObject(client, key)).rejects.toMatchObject({ name: 'AccessDenied' })
    expect(writtenFiles()).toEqual(before)
  })

  it('stores a body longer than its Content-Length as declared and answers 200, never 400, then closes', async () => {
    const { path, key, client } = await presignedPut()
    const answer = await exchange(put(path, 5, 'hello and then some bytes too many'))
    expect(answer.status).toBe(200)
    expect(answer.closed).toBe(true)
    expect(await readObject(client, key)).toBe('hello')
  })
})

describe('an upload that stalls', () => {
  it('ends with RequestTimeout after the idle limit; nothing is stored and the previous object stays', async () => {
    const first = await presignedPut()
    await first.client.send(new PutObjectCommand({ Bucket: aws.config.bucket, Key: first.key, Body: 'previous photo' }))
    const url = new URL(await getSignedUrl(first.client, new PutObjectCommand({ Bucket: aws.config.bucket, Key: first.key }), { expiresIn: 300 }))
    const before = writtenFiles()
    const started = Date.now()
    const answer = await exchange(put(`${url.pathname}${url.search}`, 1000, 'the first bytes, then silence'))
    expect(Date.now() - started).toBeGreaterThanOrEqual(IDLE_TIMEOUT_MS - 20)
    expect(answer).toMatchObject({ status: 400, closed: true })
    expect(s3Code(answer)).toBe('RequestTimeout')
    expect(await readObject(first.client, first.key)).toBe('previous photo')
    expect(writtenFiles()).toEqual(before)
  })
})

describe('a restart after a kill mid-write', () => {
  it('removes the temporary files the killed process left behind', async () => {
    const leftovers = [
      join(scratch.dataDir, '.0123456789ab.tmp'),
      join(scratch.dataDir, 'cognito-idp', '.ba9876543210.tmp'),
      join(scratch.dataDir, 's3', 'tmp', 'half-received'),
      join(scratch.dataDir, 's3', 'buckets', aws.config.bucket, 'data', '0123456789abcdef0123456789abcdef'),
    ]
    for (const path of leftovers) writeFileSync(path, 'half written')
    await aws.stop()
    scratch = await startScratchLocalAws({ dataDir: scratch.dataDir, s3IdleTimeoutMs: IDLE_TIMEOUT_MS, log: (line) => logged.push(line) })
    aws = scratch.aws
    expect(leftovers.filter((path) => existsSync(path))).toEqual([])
  })
})
