/*
 * No import circles in the app or in local AWS (docs/contributing.md#style): a circle makes the order modules run in
 * depend on which one is imported first, and ties files together that should change apart. Type-only and lazy
 * imports count, as `npx madge --circular` counts them.
 */
import { fileURLToPath } from 'node:url'
import madge from 'madge'
import { describe, expect, it } from 'vitest'

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url))

/** Each folder with the tsconfig that resolves its imports (the app's `@/` alias). */
const FOLDERS = [
  { folder: 'src', tsConfig: 'tsconfig.app.json' },
  { folder: 'local-aws', tsConfig: 'tsconfig.node.json' },
]

/** madge parses every file with the TypeScript compiler: about 10 s per folder on a two-core machine. */
const PARSE_TIMEOUT_MS = 60_000

describe('imports', () => {
  it.each(FOLDERS)('form no circle in $folder', async ({ folder, tsConfig }) => {
    const graph = await madge(`${REPO_ROOT}${folder}`, {
      baseDir: `${REPO_ROOT}${folder}`,
      fileExtensions: ['ts', 'vue'],
      tsConfig: `${REPO_ROOT}${tsConfig}`,
      excludeRegExp: [/\.spec\.ts$/],
    })
    expect(Object.keys(graph.obj()).length).toBeGreaterThan(20)
    expect(graph.circular()).toEqual([])
  }, PARSE_TIMEOUT_MS)
})
