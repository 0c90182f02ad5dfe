import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

// cfn-lint takes seconds (it is Python, loading every resource schema), so it runs with the slow tests, which `npm test`
// and CI run.
const TEMPLATE_PATH = fileURLToPath(new URL('./template.yaml', import.meta.url))

function isCi(): boolean {
  return ['true', '1'].includes(process.env.CI ?? '')
}

const cfnLint = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' })
const hasCfnLint = cfnLint.status === 0
if (!hasCfnLint && !isCi()) {
  const rule = '!'.repeat(100)
  console.warn([rule, '!!  cfn-lint SKIPPED: it is not installed. Install it: pip install cfn-lint', rule].join('\n'))
}

describe('infra/template.yaml under cfn-lint', () => {
  it.skipIf(!hasCfnLint && !isCi())(`passes cfn-lint (${hasCfnLint ? cfnLint.stdout.trim() : 'missing'}) with no error or warning`, { timeout: 120_000 }, () => {
    expect(hasCfnLint, 'CI needs cfn-lint (pip install cfn-lint)').toBe(true)
    const lint = spawnSync('cfn-lint', ['--format', 'parseable', TEMPLATE_PATH], { encoding: 'utf8' })
    expect(lint.stdout + lint.stderr).toBe('')
    expect(lint.status).toBe(0)
  })
})
