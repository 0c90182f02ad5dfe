import { describe, expect, it } from 'vitest'
import { useTestAws } from '../support/localAwsHooks.ts'

// What a developer's browser gets from local AWS: pages, not files to download (docs/architecture.md#local-aws).

const testAws = useTestAws()

describe('local AWS in a browser', () => {
  it('answers its root URL with a page that links the mailbox and the config and names what is provisioned', async () => {
    const response = await fetch(`${testAws.aws.url}/`, { headers: { Accept: 'text/html,application/xhtml+xml' } })

    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8')
    const page = await response.text()
    for (const link of ['/_local/', '/_local/config', '/_local/env']) expect(page).toContain(`href="${link}"`)
    const { config } = testAws.aws
    for (const id of [config.userPoolId, config.userPoolClientId, config.identityPoolId, config.bucket]) expect(page).toContain(id)
    expect(page).toContain('<link rel="icon" href="data:image/svg+xml')
  })

  it('still answers the JSON protocols at the same URL', async () => {
    const response = await fetch(`${testAws.aws.url}/`, { method: 'GET' })
    expect(response.status).toBe(404)
    expect(await response.json()).toMatchObject({ __type: 'UnknownOperationException' })
  })

  it('gives the mailbox an icon, so the browser asks for no /favicon.ico', async () => {
    const page = await (await fetch(`${testAws.aws.url}/_local/`)).text()
    expect(page).toContain('<link rel="icon" href="data:image/svg+xml')
  })

  it('serves the app’s VITE_* values in .env form, for a build against it', async () => {
    const env = await (await fetch(`${testAws.aws.url}/_local/env`)).text()
    expect(env).toContain(`VITE_USER_POOL_ID='${testAws.aws.config.userPoolId}'\n`)
    expect(env).toContain(`VITE_AWS_ENDPOINT='${testAws.aws.url}'\n`)
    expect(env).toMatch(/^VITE_PASSWORD_POLICY='\{.*\}'$/m)
  })
})
