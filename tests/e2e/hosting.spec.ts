import { expect } from 'vitest'
import { test } from '../support/browser.ts'

// The app as deployed: local AWS's site bucket behind its CloudFront stand-in, with the template's response headers
// (docs/aws-behaviour.md#the-sites-content-security-policy).

test('every page is served with the strict CSP and the security headers', async ({ page, awsUrl }) => {
  const response = await page.goto('/sign-in')
  const headers = response?.headers() ?? {}

  const csp = Object.fromEntries(
    (headers['content-security-policy'] ?? '').split(';').map((directive) => {
      const [name = '', ...sources] = directive.trim().split(/\s+/)
      return [name, sources.join(' ')]
    }),
  )
  expect(csp).toMatchObject({
    'default-src': "'none'",
    'script-src': "'self'",
    'style-src': "'self'",
    'img-src': `'self' blob: data: ${awsUrl}`,
    'connect-src': awsUrl,
    'frame-ancestors': "'none'",
    'base-uri': "'none'",
    'form-action': "'self'",
  })
  expect(headers).toMatchObject({
    'strict-transport-security': 'max-age=63072000; includeSubDomains',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
    'x-frame-options': 'DENY',
  })
  expect(headers['permissions-policy']).toContain('camera=()')
})

test('an inline script slipped into the page does not run', async ({ newPage, cspViolations, browserErrors }) => {
  const page = await newPage()
  // What a stored cross-site scripting flaw would serve: the real index.html with an attacker's script in it.
  await page.route('**/sign-in', async (route) => {
    const response = await route.fetch()
    const html = (await response.text()).replace('</head>', '<script>window.stolen = localStorage.length</script></head>')
    await route.fulfill({ response, body: html })
  })
  await page.goto('/sign-in')
  await page.getByRole('heading', { level: 1 }).waitFor()

  expect(await page.evaluate(() => 'stolen' in window)).toBe(false)
  expect(cspViolations).toEqual([expect.stringMatching(/^script-src-elem blocked inline/)])
  expect(browserErrors).toEqual([expect.stringMatching(/^console\.error: Executing inline script violates the following Content Security Policy directive 'script-src 'self''/)])
  cspViolations.length = 0
  browserErrors.length = 0
})

test('an app route loads the app, and a missing asset is a 404, not the app', async ({ page, appUrl }) => {
  const route = await page.goto('/profile')
  expect(route?.status()).toBe(200)
  await page.waitForURL((url) => url.pathname === '/sign-in')

  const missing = await fetch(`${appUrl}/assets/missing-1234.js`)
  expect(missing.status).toBe(404)
  expect(missing.headers.get('content-type')).toBe('application/xml')
})
