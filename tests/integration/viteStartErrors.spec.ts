import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { inspect } from 'node:util'
import { build, preview } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// `npm run build` and `npm run preview` that cannot start say why in one line; Vite's CLI prints
// `inspect(error)`, which for these errors is the message without a stack trace.

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url))
let folder: string

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'vite-start-'))
})

afterAll(() => rm(folder, { recursive: true, force: true }))

async function failure(start: Promise<unknown>): Promise<Error> {
  return start.then(
    () => {
      throw new Error('it started')
    },
    (error: unknown) => error as Error,
  )
}

describe('start-up errors of the build and the preview', () => {
  it('a build without the VITE_* values names them and where they come from, without a stack trace', async () => {
    // An empty env folder: a developer's .env.local must not make this build run.
    const error = await failure(build({ root: PROJECT_ROOT, envDir: folder, logLevel: 'silent', build: { outDir: join(folder, 'dist') } }))

    expect(error.message).toMatch(/^The build needs VITE_AWS_REGION, VITE_USER_POOL_ID, .* \(README, "Deploy to AWS"\)\.$/)
    expect(inspect(error)).toBe(error.message)
  })

  it('a preview without a build says to build first', async () => {
    const outDir = join(folder, 'never-built')
    const error = await failure(preview({ root: PROJECT_ROOT, logLevel: 'silent', build: { outDir }, preview: { port: 0, host: '127.0.0.1' } }))

    expect(error.message).toBe(`There is no build in ${outDir} to preview: run \`npm run build\` first (README, "Build and preview").`)
    expect(inspect(error)).toBe(error.message)
  })
})
