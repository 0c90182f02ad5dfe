import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { expect } from 'vitest'
import { checkAccessibility, screenshot, test } from '../support/browser.ts'

test('the home page renders its heading with no browser errors and no serious accessibility violation', async ({ page }) => {
  await page.goto('/')

  await expect.poll(() => page.getByRole('heading', { level: 1 }).count()).toBe(1)
  await checkAccessibility(page)
  await screenshot(page, 'home')
})

/** `npm run smoke -- ARGS` to its end: its exit code and what it printed. */
async function smoke(args: string[], env: Record<string, string>): Promise<{ code: number; output: string }> {
  const run = promisify(execFile)('npm', ['run', '--silent', 'smoke', '--', ...args], { env: { ...process.env, ...env } })
  return run.then(
    ({ stdout, stderr }) => ({ code: 0, output: stdout + stderr }),
    (failure: { code: number; stdout: string; stderr: string }) => ({ code: failure.code, output: failure.stdout + failure.stderr }),
  )
}

test('npm run smoke -- --local --browser passes every check, the Node ones and the browser ones, on the deployed site', async ({ awsUrl, skip }) => {
  if (!awsUrl) return skip('no Chromium')
  const journalDir = await mkdtemp(join(tmpdir(), 'wild-rydes-smoke-journal-'))
  try {
    const { code, output } = await smoke(['--local', '--endpoint', awsUrl, '--browser'], { SMOKE_JOURNAL_DIR: journalDir })
    const checks = output.split('\n').filter((line) => /^[✓✗-] /.test(line))
    const [, inBrowser = ''] = output.split(/^In Chromium .*$/m)

    expect(checks.filter((line) => !line.startsWith('✓ ')), output).toEqual([])
    expect(inBrowser).toMatch(/^✓ they delete their account: /m)
    expect(inBrowser).toMatch(/^✓ an upload from a clock 20 minutes slow: S3 refuses it \(RequestTimeTooSkewed\)/m)
    expect(inBrowser).toMatch(/^✓ no Content-Security-Policy violation and no console error on any page/m)
    expect(inBrowser).toMatch(/\d+ passed, 0 failed in /)
    expect(code).toBe(0)
  } finally {
    await rm(journalDir, { recursive: true, force: true })
  }
})

test('npm run smoke -- --browser without Chromium says so, and how to install it, and exits non-zero', async () => {
  const { code, output } = await smoke(['--local', '--browser'], { CHROMIUM_PATH: '/nonexistent/chromium' })

  expect(output).toContain('smoke: --browser drives Chromium, and there is none at /nonexistent/chromium. Install it: sudo apt-get install chromium')
  expect(code).toBe(2)
})
