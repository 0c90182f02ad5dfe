/*
 * docs/rider-actions.md lists every rider action with the e2e tests of its success and failures: each row must name a
 * test that exists, by its file and its title as written there, so that the table cannot drift from the tests.
 */
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url))
const TABLE = 'docs/rider-actions.md'

interface Row {
  action: string
  outcome: string
  file: string
  title: string
}

/** The table's rows: `| Action | Outcome | `file` | Title |`, header and rule apart. */
function tableRows(markdown: string): Row[] {
  return markdown
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| Action ') && !line.startsWith('| ---'))
    .map((line) => {
      const [action = '', outcome = '', file = '', title = ''] = line.slice(2, -2).split(' | ')
      return { action, outcome, file: file.replace(/^`|`$/g, ''), title }
    })
}

/** The titles of a spec file's tests (`test(…)`, `it(…)`, `test.for(cases)(…)`), as written, escapes undone. */
function testTitles(source: string): string[] {
  const pattern = /\b(?:test|it)(?:\.(?:for|each)\([^()]*\))?\(\s*(['"`])((?:\\.|(?!\1)[^\\])*)\1/g
  return [...source.matchAll(pattern)].map((match) => (match[2] ?? '').replace(/\\(.)/g, '$1'))
}

describe('docs/rider-actions.md', () => {
  const rows = tableRows(readFileSync(`${REPO_ROOT}${TABLE}`, 'utf8'))

  it('lists the rider actions the app offers', () => {
    expect(rows.length).toBeGreaterThan(30)
    for (const action of ['Sign up', 'Resend the sign-up code', 'Sign out everywhere', 'Delete account (with a photo)', 'Photo remove']) {
      expect(rows.map((row) => row.action)).toContain(action)
    }
  })

  it.for(rows.map((row) => [`${row.action}: ${row.outcome}`, row] as const))('names an existing test for %s', ([, row]) => {
    expect(row.file, 'the row names a file under tests/e2e/').toMatch(/^tests\/e2e\/\w+\.spec\.ts$/)
    expect(existsSync(`${REPO_ROOT}${row.file}`), `${row.file} exists`).toBe(true)
    expect(testTitles(readFileSync(`${REPO_ROOT}${row.file}`, 'utf8')), `a test titled as the row says in ${row.file}`).toContain(row.title)
  })
})

describe('reading tests and the table', () => {
  it('finds the titles of test, it and test.for, with escaped quotes undone', () => {
    const source = [
      "test('a rider\\'s photo', async () => {})",
      'it("says \\"hi\\"", () => {})',
      "test.for(CASES)('refused with %s says \"%s\"', async ([code]) => {})",
      '  test(`multi word`, async ({ page }) => {})',
    ].join('\n')
    expect(testTitles(source)).toEqual(["a rider's photo", 'says "hi"', 'refused with %s says "%s"', 'multi word'])
  })

  it('reads a row into its four cells', () => {
    expect(tableRows('| Action | Outcome | Test file | Test title |\n| --- | --- | --- | --- |\n| Sign up | succeeds | `tests/e2e/smoke.spec.ts` | a title |\n')).toEqual([
      { action: 'Sign up', outcome: 'succeeds', file: 'tests/e2e/smoke.spec.ts', title: 'a title' },
    ])
  })
})
