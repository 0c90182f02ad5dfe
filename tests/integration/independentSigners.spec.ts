import { execFile } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { request as httpRequest } from 'node:http'
import { promisify } from 'node:util'
import { PutObjectCommand } from '@aws-sdk/client-s3'
import aws4 from 'aws4'
import { Client as MinioClient } from 'minio'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestAws } from '../support/localAwsHooks.ts'
import { riderCredentials, riderS3Client, signInNewRider } from '../support/riders.ts'

/*
 * SigV4 as signers other than the AWS SDK's compute it, against a rider's real identity-pool credentials: curl's
 * `--aws-sigv4`, the npm `aws4` signer and MinIO's S3 client. Each encodes paths and queries its own way on the wire;
 * S3 accepts all of them because it derives the canonical request from the request's meaning
 * (docs/aws-behaviour.md#sigv4-canonical-request-from-the-received-request).
 */

const local = useTestAws()
const run = promisify(execFile)

interface Keys {
  accessKeyId: string
  secretAccessKey: string
  sessionToken: string
}

let keys: Keys
let riderEmail: string
let identityId: string
let bucket: string
let host: string
let photoKey: string
const photo = randomBytes(2048)

/** The key's path as someone types it in a URL: `:`, `=`, `~` and `/` as they are, `+` (a space to S3) as `%2B`. */
function typedPath(key: string): string {
  return `/${bucket}/${encodeURI(key).replaceAll('+', '%2B')}`
}

/** Keys where the rider may write (their profile prefix), with every character the SigV4 canonical forms treat specially. */
function awkwardKeys(label: string): string[] {
  const prefix = `protected/${identityId}/profile/${label}`
  return [
    `${prefix}/with space.bin`,
    `${prefix}/plus+sign=equals~tilde.bin`,
    `${prefix}/ünïcødé-写真.bin`,
    `${prefix}/100%-percent.bin`,
    `${prefix}//double//slash.bin`,
    `${prefix}/colon:and;semicolon,comma.bin`,
  ]
}

/**
 * curl's own SigV4 (`--aws-sigv4`), as a developer scripts local AWS; the response body, or curl's error. S3 requires
 * `x-amz-content-sha256` on every SigV4 request, which curl before 8.x does not add by itself: the body's hash is given
 * as S3's documentation says (docs/aws-behaviour.md#s3-requires-x-amz-content-sha256).
 */
async function curl(method: string, path: string, { body, service = 's3', headers = [] as string[] }: { body?: Buffer; service?: string; headers?: string[] } = {}) {
  const args = ['-sS', '--fail-with-body', '-X', method, '--aws-sigv4', `aws:amz:us-east-1:${service}`, '--user', `${keys.accessKeyId}:${keys.secretAccessKey}`]
  if (keys.sessionToken) args.push('-H', `x-amz-security-token: ${keys.sessionToken}`)
  if (service === 's3') args.push('-H', `x-amz-content-sha256: ${createHash('sha256').update(body ?? '').digest('hex')}`)
  args.push(...headers.flatMap((header) => ['-H', header]))
  if (body) args.push('--data-binary', '@-')
  if (body && service === 's3') args.push('-H', 'Content-Type: application/octet-stream')
  args.push(`http://${host}${path}`)
  const child = run('curl', args, { encoding: 'buffer', maxBuffer: 1 << 24 })
  if (body) child.child.stdin!.end(body)
  else child.child.stdin!.end()
  return (await child).stdout
}

/** Sends a request aws4 signed (headers), with its path and query exactly as aws4 formats them. */
function sendAws4(options: { method: string; path: string; body?: Buffer; service?: string; headers?: Record<string, string> }, credentials: Keys = keys) {
  const signed = aws4.sign(
    { host, method: options.method, path: options.path, service: options.service ?? 's3', region: 'us-east-1', body: options.body, headers: { ...options.headers } },
    credentials,
  )
  return new Promise<{ status: number; body: Buffer }>((resolve, reject) => {
    const [hostname, port] = host.split(':')
    const outgoing = httpRequest({ hostname, port, method: signed.method, path: signed.path, headers: signed.headers as Record<string, string> }, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('end', () => resolve({ status: response.statusCode!, body: Buffer.concat(chunks) }))
    })
    outgoing.on('error', reject)
    outgoing.end(options.body)
  })
}

function minio(): MinioClient {
  const [endPoint, port] = host.split(':')
  return new MinioClient({
    endPoint: endPoint!,
    port: Number(port),
    useSSL: false,
    region: 'us-east-1',
    pathStyle: true,
    accessKey: keys.accessKeyId,
    secretKey: keys.secretAccessKey,
    sessionToken: keys.sessionToken,
  })
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer))
  return Buffer.concat(chunks)
}

beforeAll(async () => {
  const { aws } = local
  const { rider, session } = await signInNewRider(aws)
  riderEmail = rider.email
  const credentials = riderCredentials(aws, () => session.getIdToken().getJwtToken(), rider.sub)
  const resolved = await credentials()
  keys = { accessKeyId: resolved.accessKeyId, secretAccessKey: resolved.secretAccessKey, sessionToken: resolved.sessionToken! }
  identityId = (resolved as { identityId?: string }).identityId!
  bucket = aws.config.bucket
  host = new URL(aws.url).host
  // The rider's photo, uploaded as the app uploads it.
  photoKey = `protected/${identityId}/profile/${randomBytes(8).toString('hex')}.webp`
  await riderS3Client(aws, credentials).send(new PutObjectCommand({ Bucket: bucket, Key: photoKey, Body: photo, ContentType: 'image/webp' }))
})

/**
 * curl signs the path as typed, unencoded, before 8.9 (curl/curl#13754, fixed by curl/curl#13814): S3 then refuses a
 * `:` or `=` typed as is, and accepts it typed `%3A`.
 */
async function curlEncodesCanonicalPath(): Promise<boolean> {
  const { stdout } = await run('curl', ['--version'])
  const [major = 0, minor = 0] = /^curl (\d+)\.(\d+)/.exec(stdout)?.slice(1).map(Number) ?? []
  return major > 8 || (major === 8 && minor >= 9)
}

/** The XML error S3 answers, from curl's failed run. */
async function curlRefusal(method: string, path: string): Promise<string> {
  return curl(method, path).then(
    () => 'no error',
    (error: { stdout: Buffer }) => error.stdout.toString(),
  )
}

/** A key's path with its `:` typed as `%3A`. */
const colonEncoded = (key: string) => `/${bucket}/${key.replaceAll(':', '%3A')}`

describe('curl --aws-sigv4', () => {
  it("returns the rider's own photo at its URL, the identity id's : as typed", async () => {
    expect(photoKey).toContain(':')
    if (await curlEncodesCanonicalPath()) {
      expect(await curl('GET', `/${bucket}/${photoKey}`)).toEqual(photo)
    } else {
      // S3's answer to a curl that signs the raw `:`: its own canonical request, with `%3A`.
      const refusal = await curlRefusal('GET', `/${bucket}/${photoKey}`)
      expect(refusal).toContain('<Code>SignatureDoesNotMatch</Code>')
      expect(refusal).toContain(`<CanonicalRequest>GET\n${colonEncoded(photoKey)}\n`)
    }
    expect(await curl('GET', colonEncoded(photoKey))).toEqual(photo)
  })

  it('stores and returns objects whose keys have spaces, +, =, ~, non-ASCII, %, // and :', async () => {
    // Before 8.9, curl signs what is typed: every character SigV4 encodes must be typed encoded.
    const path = (await curlEncodesCanonicalPath()) ? typedPath : (key: string) => `/${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`
    for (const key of awkwardKeys('curl')) {
      const body = randomBytes(300)
      await curl('PUT', path(key), { body })
      expect(await curl('GET', path(key))).toEqual(body)
    }
  })

  it('lists the rider prefix with reserved characters in the query values', async () => {
    const prefix = `protected/${identityId}/profile/curl/`
    const listing = (await curl('GET', `/${bucket}?list-type=2&prefix=${encodeURIComponent(prefix)}&start-after=${encodeURIComponent(`${prefix}a&b=c +e`)}`)).toString()
    expect(listing).toContain(`<Key>${prefix}with space.bin</Key>`)
  })

  it('is refused with SignatureDoesNotMatch for a wrong secret', async () => {
    const right = keys
    keys = { ...keys, secretAccessKey: `${keys.secretAccessKey}x` }
    try {
      expect(await curlRefusal('GET', colonEncoded(photoKey))).toContain('<Code>SignatureDoesNotMatch</Code>')
    } finally {
      keys = right
    }
  })

  it('signs an Admin* call of the user pool (service cognito-idp) with the administrator key', async () => {
    const rider = keys
    keys = { ...local.aws.config.administrator, sessionToken: '' }
    try {
      const answer = await curl('POST', '/', {
        service: 'cognito-idp',
        body: Buffer.from(JSON.stringify({ UserPoolId: local.aws.config.userPoolId, Username: riderEmail })),
        headers: ['Content-Type: application/x-amz-json-1.1', 'X-Amz-Target: AWSCognitoIdentityProviderService.AdminGetUser'],
      }).catch((error: { stdout: Buffer }) => error.stdout)
      expect(JSON.parse(answer.toString())).toMatchObject({ UserStatus: 'CONFIRMED' })
    } finally {
      keys = rider
    }
  })
})

describe('the aws4 signer', () => {
  it('stores and returns objects whose keys have spaces, +, =, ~, non-ASCII, %, // and :', async () => {
    for (const key of awkwardKeys('aws4')) {
      const body = randomBytes(300)
      expect((await sendAws4({ method: 'PUT', path: typedPath(key), body })).status).toBe(200)
      const read = await sendAws4({ method: 'GET', path: typedPath(key) })
      expect(read.status).toBe(200)
      expect(read.body).toEqual(body)
    }
  })

  it('lists with an empty query parameter and reserved characters in the values', async () => {
    const prefix = `protected/${identityId}/profile/aws4/`
    const listed = await sendAws4({ method: 'GET', path: `/${bucket}?list-type=2&prefix=${encodeURIComponent(prefix)}&delimiter=&start-after=${encodeURIComponent(`${prefix}!*'()&=`)}` })
    expect(listed.status).toBe(200)
    expect(listed.body.toString()).toContain(`<Key>${prefix}with space.bin</Key>`)
  })

  it('signs presigned URLs that a plain fetch redeems, and that fail once altered', async () => {
    const signed = aws4.sign({ host, method: 'GET', path: `/${bucket}/${photoKey}`, service: 's3', region: 'us-east-1', signQuery: true }, keys)
    const response = await fetch(`http://${host}${signed.path}`)
    expect(response.status).toBe(200)
    expect(Buffer.from(await response.arrayBuffer())).toEqual(photo)
    const altered = await fetch(`http://${host}${signed.path!.replace('.webp', '.png')}`)
    expect(altered.status).toBe(403)
    expect(await altered.text()).toContain('<Code>SignatureDoesNotMatch</Code>')
  })

  it('signs an Admin* call of the user pool with the administrator key', async () => {
    const { administrator, userPoolId } = local.aws.config
    const answer = await sendAws4(
      {
        method: 'POST',
        path: '/',
        service: 'cognito-idp',
        body: Buffer.from(JSON.stringify({ UserPoolId: userPoolId, Username: riderEmail })),
        headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'AWSCognitoIdentityProviderService.AdminGetUser' },
      },
      { ...administrator, sessionToken: undefined as unknown as string },
    )
    expect(answer.status).toBe(200)
    expect(JSON.parse(answer.body.toString())).toMatchObject({ UserStatus: 'CONFIRMED' })
  })
})

describe("MinIO's S3 client", () => {
  it('stores and returns objects whose keys have spaces, +, =, ~, non-ASCII, %, // and :', async () => {
    const client = minio()
    for (const key of awkwardKeys('minio')) {
      const body = randomBytes(300)
      await client.putObject(bucket, key, body, body.length)
      expect(await readAll(await client.getObject(bucket, key))).toEqual(body)
    }
  })

  it("lists the rider's prefix", async () => {
    const prefix = `protected/${identityId}/profile/minio/`
    const names: string[] = []
    for await (const item of minio().listObjectsV2(bucket, prefix, true)) names.push((item as { name: string }).name)
    expect(names).toEqual(expect.arrayContaining(awkwardKeys('minio')))
  })

  it('presigns a GET URL that a plain fetch redeems, with response overrides in the query', async () => {
    const url = await minio().presignedGetObject(bucket, photoKey, 60, { 'response-content-disposition': 'attachment; filename="a b+c.webp"' })
    const response = await fetch(url)
    expect(response.status).toBe(200)
    expect(Buffer.from(await response.arrayBuffer())).toEqual(photo)
  })
})
