/*
 * The Vitest side of local AWS: one local AWS per test file, and what a refused call must look like. Kept apart from
 * localAws.ts because the bench runs outside Vitest and must not load its hooks or `expect`.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, expect } from 'vitest'
import { DEFAULT_TEMPLATE_PATH } from '../../local-aws/index.ts'
import type { FakeClock } from './fakeClock.ts'
import type { LocalAws } from '../../local-aws/index.ts'
import { startTestAws } from './localAws.ts'

/**
 * One local AWS for a test file: {@link startTestAws} before its tests, stopped and its data folder removed after them.
 * Read `aws` and `clock` in tests and hooks, once `beforeAll` has run.
 */
export function useTestAws(): { readonly aws: LocalAws; readonly clock: FakeClock } {
  let started: Awaited<ReturnType<typeof startTestAws>> | undefined
  beforeAll(async () => {
    started = await startTestAws()
  })
  afterAll(() => started?.stop())
  const current = () => {
    if (!started) throw new Error('Local AWS starts in beforeAll: read useTestAws() values in tests and hooks')
    return started
  }
  return {
    get aws() {
      return current().aws
    },
    get clock() {
      return current().clock
    },
  }
}

/** An AWS error as amazon-cognito-identity-js reports it. */
interface ClientError extends Error {
  code: string
}

/** Expects a call to fail with this AWS error name and message. */
export async function expectAwsError(call: Promise<unknown>, code: string, message?: string | RegExp): Promise<void> {
  const error = (await call.then(
    () => undefined,
    (failure: unknown) => failure,
  )) as ClientError | undefined
  expect(error, `expected ${code}`).toBeDefined()
  expect(error!.code).toBe(code)
  if (message !== undefined) expect(error!.message).toMatch(typeof message === 'string' ? new RegExp(`^${escapeRegExp(message)}$`) : message)
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** Local AWS on a copy of the template with some lines replaced, each of which must be found. */
export async function startWithTemplateEdits(edits: [string, string][], options: Parameters<typeof startTestAws>[0] = {}): ReturnType<typeof startTestAws> {
  const { aws: first, dataDir } = await startTestAws()
  await first.stop()
  let template = await readFile(DEFAULT_TEMPLATE_PATH, 'utf8')
  for (const [from, to] of edits) {
    expect(template, `the template should contain ${from}`).toContain(from)
    template = template.replace(from, to)
  }
  const templatePath = join(dataDir, 'template.yaml')
  await writeFile(templatePath, template)
  return startTestAws({ ...options, dataDir, templatePath })
}
