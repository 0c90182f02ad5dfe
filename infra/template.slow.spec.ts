import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { readTemplate } from './cfnYaml.ts'
import { parameterCombinations } from './parameterCombinations.ts'

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

const template = readTemplate(TEMPLATE_PATH)
const folder = mkdtempSync(join(tmpdir(), 'cfn-lint-parameters-'))
afterAll(() => rmSync(folder, { recursive: true, force: true }))

/**
 * One parameter file per combination, in the shape `aws cloudformation create-stack --parameters file://…` takes; a list
 * parameter's value is given as a list, as cfn-lint expects.
 */
function parameterFiles(): string[] {
  return parameterCombinations(template).map((combination, index) => {
    const file = join(folder, `combination-${index}.json`)
    const parameters = Object.entries(combination).map(([key, value]) => ({
      ParameterKey: key,
      ParameterValue: template.Parameters?.[key]?.Type === 'CommaDelimitedList' ? value.split(',') : value,
    }))
    writeFileSync(file, JSON.stringify(parameters))
    return file
  })
}

describe('infra/template.yaml under cfn-lint', () => {
  it.skipIf(!hasCfnLint && !isCi())(
    `passes cfn-lint (${hasCfnLint ? cfnLint.stdout.trim() : 'missing'}) with no error or warning, as written and under every parameter combination`,
    { timeout: 300_000 },
    () => {
      expect(hasCfnLint, 'CI needs cfn-lint (pip install cfn-lint)').toBe(true)
      const asWritten = spawnSync('cfn-lint', ['--format', 'parseable', '--', TEMPLATE_PATH], { encoding: 'utf8' })
      expect(asWritten.stdout + asWritten.stderr).toBe('')
      expect(asWritten.status).toBe(0)
      const files = parameterFiles()
      const combined = spawnSync('cfn-lint', ['--format', 'parseable', '--parameter-files', ...files, '--', TEMPLATE_PATH], { encoding: 'utf8' })
      // A problem names the parameter file, whose combination is in the folder.
      expect(combined.stdout + combined.stderr).toBe('')
      expect(combined.status).toBe(0)
    },
  )
})
