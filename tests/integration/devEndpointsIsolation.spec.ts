import { request as httpRequest, createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3'
import { getSignedUrl } from '@aws-sdk/s3-request-presigner'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHROMIUM_INSTALL_HINT, findChromium, launchChromium } from '../support/chromium.ts'
import { useTestAws } from '../support/localAwsHooks.ts'
import { makePhotoJpeg } from '../support/photo.ts'
import { riderCredentials, riderS3Client, signInNewRider } from '../support/riders.ts'

/*
 * The administrator key (`/_local/config`) and every code (`/_local/outbox`) are for this machine's developer only: a
 * page of another local origin, a DNS-rebinding page and an HTML file a rider uploaded must all fail to read them
 * (docs/aws-behaviour.md#developer-endpoints-are-for-this-machine-only).
 */

const local = useTestAws()
const executablePath = findChromium()

/** A GET with the Host header a browser would send for `host`, at local AWS's own address. */
function getWithHost(path: string, host: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const { hostname, port } = new URL(local.aws.url)
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest({ hostname, port, path, headers: { host } }, (response) => {
      let body = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => (body += chunk))
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body }))
    })
    outgoing.on('error', reject)
    outgoing.end()
  })
}

/** What a script on `page` gets when it fetches `url`: the text, or the error the browser gave it. */
function readFrom(page: Page, url: string): Promise<string> {
  return page.evaluate((target) => fetch(target).then((response) => response.text()).then((text) => `read: ${text}`, (error: Error) => `refused: ${error.name}`), url)
}

describe('the developer endpoints', () => {
  it('send no Access-Control-Allow-Origin, whoever asks', async () => {
    for (const path of ['/_local/config', '/_local/outbox', '/_local/', '/_local/env']) {
      const response = await fetch(`${local.aws.url}${path}`, { headers: { Origin: 'http://127.0.0.1:1' } })
      expect(response.status).toBe(200)
      expect(response.headers.get('access-control-allow-origin')).toBeNull()
    }
  })

  it('answer this machine by any of its names and any port', async () => {
    const { port } = new URL(local.aws.url)
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`, 'localhost', '127.0.0.1:5173']) {
      const answer = await getWithHost('/_local/config', host)
      expect(answer.status, host).toBe(200)
      expect(JSON.parse(answer.body)).toMatchObject({ administrator: { accessKeyId: local.aws.config.administrator.accessKeyId } })
    }
  })

  it('refuse a forged Host (DNS rebinding) with a 403 that says why', async () => {
    const { port } = new URL(local.aws.url)
    for (const host of [`rebind.example:${port}`, `127.0.0.1.nip.io:${port}`, 'localhost.example.com', `192.168.0.10:${port}`]) {
      for (const path of ['/_local/config', '/_local/outbox', '/_local/']) {
        const answer = await getWithHost(path, host)
        expect(answer.status, `${host} ${path}`).toBe(403)
        expect(answer.body).toContain('only requests addressed to localhost, 127.0.0.1 or [::1]')
        expect(answer.body).not.toContain(local.aws.config.administrator.secretAccessKey)
      }
    }
  })
})

describe.skipIf(!executablePath)(`in Chromium${executablePath ? '' : ` (skipped: ${CHROMIUM_INSTALL_HINT})`}`, () => {
  let browser: Browser
  let otherOrigin: Server
  let otherUrl: string
  let s3: S3Client
  let photoUrl: string
  let htmlUrl: string

  beforeAll(async () => {
    browser = await launchChromium(executablePath!)
    // Another origin of this machine: a second port of 127.0.0.1, as another dev server would be.
    otherOrigin = createServer((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/html' })
      response.end('<!doctype html><title>other</title>')
    })
    await new Promise<void>((resolve) => otherOrigin.listen(0, '127.0.0.1', resolve))
    otherUrl = `http://127.0.0.1:${(otherOrigin.address() as AddressInfo).port}/`

    const { rider, session } = await signInNewRider(local.aws)
    const credentials = riderCredentials(local.aws, () => session.getIdToken().getJwtToken(), rider.sub)
    const { identityId } = await credentials()
    s3 = riderS3Client(local.aws, credentials)
    const Bucket = local.aws.config.bucket
    const page = await browser.newPage()
    const jpeg = await makePhotoJpeg(page, { width: 64, height: 48 })
    await page.close()
    const photoKey = `protected/${identityId}/profile/photo.jpg`
    await s3.send(new PutObjectCommand({ Bucket, Key: photoKey, Body: jpeg, ContentType: 'image/jpeg' }))
    photoUrl = await getSignedUrl(s3, new GetObjectCommand({ Bucket, Key: photoKey }), { expiresIn: 600 })
    // An HTML file a rider uploads, whose script would read the key and post it away.
    const html = `<!doctype html><title>page</title><script>fetch('/_local/config').then((r) => r.text()).then((t) => { document.title = 'stolen: ' + t })</script>`
    const htmlKey = `protected/${identityId}/profile/page.html`
    await s3.send(new PutObjectCommand({ Bucket, Key: htmlKey, Body: html, ContentType: 'text/html' }))
    htmlUrl = await getSignedUrl(s3, new GetObjectCommand({ Bucket, Key: htmlKey }), { expiresIn: 600 })
  })

  afterAll(async () => {
    await browser?.close()
    await new Promise((resolve) => otherOrigin?.close(resolve))
  })

  it('a page on another port of 127.0.0.1 cannot read the config or the outbox', async () => {
    const page = await browser.newPage()
    await page.goto(otherUrl)
    expect(await readFrom(page, `${local.aws.url}/_local/config`)).toBe('refused: TypeError')
    expect(await readFrom(page, `${local.aws.url}/_local/outbox`)).toBe('refused: TypeError')
    await page.close()
  })

  it('an HTML object from the bucket runs no script and cannot read the config', async () => {
    const page = await browser.newPage()
    const response = await page.goto(htmlUrl)
    expect(response?.headers()['content-security-policy']).toBe('sandbox')
    expect(await page.title()).toBe('page')
    // Even a script that did run (this one is the test's own) has an opaque origin: the config is another origin's.
    expect(await readFrom(page, `${local.aws.url}/_local/config`)).toBe('refused: TypeError')
    expect(await readFrom(page, '/_local/outbox')).toBe('refused: TypeError')
    await page.close()
  })

  it('still shows a photo in an <img>, as the app does', async () => {
    const page = await browser.newPage()
    await page.goto(otherUrl)
    const size = await page.evaluate(async (src) => {
      const image = new Image()
      image.src = src
      await image.decode()
      return { width: image.naturalWidth, height: image.naturalHeight }
    }, photoUrl)
    expect(size).toEqual({ width: 64, height: 48 })
    await page.close()
  })
})
