import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation'
import { CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront'
import { mockClient } from 'aws-sdk-client-mock'
import { afterEach, describe, expect, it } from 'vitest'
import { deployToLocal, deployToStack, localS3Client, type withBuiltSite } from '../../scripts/deploy.ts'
import { uploadSite } from '../../scripts/siteUpload.ts'
import { useTestAws } from '../support/localAwsHooks.ts'

// `npm run deploy` against local AWS's site bucket, served by local AWS as the template's distribution. The release is
// a small stand-in for Vite's output (an index.html naming one hashed script), so each test shows what a visitor gets.

const local = useTestAws()
const cloudFormation = mockClient(CloudFormationClient)
const cloudFront = mockClient(CloudFrontClient)

afterEach(() => {
  cloudFormation.reset()
  cloudFront.reset()
})

/** A built release: `index.html` loading `/assets/app-{release}.js` (`script`), and a favicon. */
function release(name: string, script = `console.log('${name}')`): typeof withBuiltSite {
  return async (_viteEnv, use) => {
    const distDir = await mkdtemp(join(tmpdir(), 'wild-rydes-release-'))
    try {
      await mkdir(join(distDir, 'assets'))
      await writeFile(join(distDir, 'index.html'), `<!doctype html><script type="module" src="/assets/app-${name}.js"></script>`)
      await writeFile(join(distDir, 'assets', `app-${name}.js`), script)
      await writeFile(join(distDir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>')
      return await use(distDir)
    } finally {
      await rm(distDir, { recursive: true, force: true })
    }
  }
}

const quiet = () => undefined

async function get(path: string): Promise<{ status: number; body: string; headers: Headers }> {
  const response = await fetch(`${local.aws.siteUrl}${path}`)
  return { status: response.status, body: await response.text(), headers: response.headers }
}

describe('npm run deploy -- --local', () => {
  it('serves the release with the cache rules and types of each file, the app at every route, and the headers policy', async () => {
    const deployment = await deployToLocal({ config: local.aws.config, withSite: release('one'), log: quiet })
    expect(deployment).toMatchObject({ siteUrl: local.aws.siteUrl, endpoint: local.aws.url })
    expect(deployment.uploaded).toEqual(['assets/app-one.js', 'favicon.svg', 'index.html'])

    const script = await get('/assets/app-one.js')
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    for (const path of ['/', '/profile', '/sign-in']) {
      const page = await get(path)
      expect(page.body, path).toContain('/assets/app-one.js')
      expect(page.headers.get('cache-control')).toBe('no-cache')
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
      expect(page.headers.get('content-security-policy')).toContain(`connect-src ${local.aws.url};`)
    }
    expect((await get('/assets/app-missing.js')).status).toBe(404)
  })

  it("gzips a text file of 1,000 bytes or more for a browser that accepts it, as the distribution's Compress does", async () => {
    const large = `console.log(${JSON.stringify('a rider '.repeat(500))})`
    await deployToLocal({ config: local.aws.config, withSite: release('large', large), log: quiet })
    const gzipped = await fetch(`${local.aws.siteUrl}/assets/app-large.js`, { headers: { 'Accept-Encoding': 'gzip' } })
    expect(gzipped.headers.get('content-encoding')).toBe('gzip')
    expect(await gzipped.text()).toBe(large)
    const small = await fetch(`${local.aws.siteUrl}/`, { headers: { 'Accept-Encoding': 'gzip' } })
    expect(small.headers.get('content-encoding')).toBeNull()
    expect(small.headers.get('content-length')).toBe(String((await small.text()).length))
  })

  it('replaces the previous release and removes its files once the new ones are in place', async () => {
    await deployToLocal({ config: local.aws.config, withSite: release('first'), log: quiet })
    const lines: string[] = []
    const deployment = await deployToLocal({ config: local.aws.config, withSite: release('second'), log: (line) => lines.push(line) })

    expect(deployment.deleted).toEqual(['assets/app-first.js'])
    expect(lines.findIndex((line) => line.includes('removed assets/app-first.js'))).toBeGreaterThan(
      lines.findIndex((line) => line.includes('index.html')),
    )
    expect((await get('/')).body).toContain('/assets/app-second.js')
    expect((await get('/assets/app-second.js')).status).toBe(200)
    expect((await get('/assets/app-first.js')).status).toBe(404)
  })

  it('leaves the previous release serving when an upload fails', async () => {
    await deployToLocal({ config: local.aws.config, withSite: release('stable'), log: quiet })
    const s3 = localS3Client(local.aws.config)
    let puts = 0
    // The connection drops on the second file of the new release.
    s3.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'PutObjectCommand' && ++puts === 2) throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' })
        return next(args)
      },
      { step: 'initialize' },
    )

    await expect(
      release('broken')({}, (distDir) => uploadSite({ s3, bucket: local.aws.config.siteBucket, distDir, log: quiet })),
    ).rejects.toThrow('socket hang up')

    expect((await get('/profile')).body).toContain('/assets/app-stable.js')
    expect((await get('/assets/app-stable.js')).status).toBe(200)
  })
})

describe('npm run deploy -- --stack NAME', () => {
  it("builds from the stack's outputs, uploads to its site bucket and invalidates the paths that serve index.html", async () => {
    const { model } = local.aws.context
    const outputs = model.outputs.map(({ name, description, value }) => ({ OutputKey: name, Description: description, OutputValue: value }))
    cloudFormation
      .on(DescribeStacksCommand, { StackName: 'wild-rydes' })
      .resolves({ Stacks: [{ StackName: 'wild-rydes', StackStatus: 'UPDATE_COMPLETE', CreationTime: new Date(), Outputs: outputs }] })
    cloudFront.on(CreateInvalidationCommand).resolves({ Invalidation: { Id: 'I2J0I21PCUYOIK', Status: 'InProgress', CreateTime: new Date(), InvalidationBatch: undefined } })
    let builtWith: Record<string, string> | undefined
    const build = release('stack')

    const deployment = await deployToStack({
      stackName: 'wild-rydes',
      cloudFormation: new CloudFormationClient({ region: model.region }),
      cloudFront: new CloudFrontClient({ region: 'us-east-1' }),
      // The stack's site bucket is local AWS's here: the upload itself is real.
      s3: localS3Client(local.aws.config),
      withSite: (viteEnv, use) => {
        builtWith = viteEnv
        return build(viteEnv, use)
      },
      log: quiet,
    })

    expect(builtWith).toMatchObject({ VITE_USER_POOL_ID: local.aws.config.userPoolId, VITE_PHOTO_BUCKET: local.aws.config.bucket })
    expect(builtWith).not.toHaveProperty('VITE_AWS_ENDPOINT')
    expect(deployment).toMatchObject({ siteUrl: `https://${model.distributions[0]?.domainName}`, invalidationId: 'I2J0I21PCUYOIK' })
    expect(cloudFront.commandCalls(CreateInvalidationCommand).map((call) => call.args[0].input)).toEqual([
      {
        DistributionId: local.aws.config.distributionId,
        InvalidationBatch: { CallerReference: expect.stringMatching(/^deploy-\d+$/), Paths: { Quantity: 2, Items: ['/', '/index.html'] } },
      },
    ])
    expect((await get('/')).body).toContain('/assets/app-stack.js')
  })
})
