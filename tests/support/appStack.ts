import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build, preview } from 'vite'
import type { LocalAws } from '../../local-aws/index.ts'
import { startScratchLocalAws } from './localAws.ts'

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** The production app and the local AWS it talks to, both on free ports of 127.0.0.1. */
export interface AppStack {
  /** e.g. `http://127.0.0.1:41234`, no trailing slash. */
  appUrl: string
  /** Local AWS's endpoint, e.g. `http://127.0.0.1:39321`. */
  awsUrl: string
  localAws: LocalAws
  stop(): Promise<void>
}

/** Runs `fn` with `variables` set in process.env, then puts the previous values back. */
async function withEnv<T>(variables: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const previous = Object.fromEntries(Object.keys(variables).map((name) => [name, process.env[name]]))
  Object.assign(process.env, variables)
  try {
    return await fn()
  } finally {
    for (const [name, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  }
}

/** `vite build` of the app into `outDir`, pointed at local AWS through its `VITE_*` values. */
async function buildApp(outDir: string, viteEnv: Record<string, string>): Promise<void> {
  // Vite gives process.env's VITE_* values precedence over .env files, so a developer's .env.local cannot leak in.
  // NODE_ENV: Vitest sets it to `test`, which would make Vite bundle Vue's development build.
  await withEnv({ ...viteEnv, NODE_ENV: 'production' }, () =>
    build({ root: PROJECT_ROOT, logLevel: 'warn', build: { outDir, emptyOutDir: true } }),
  )
}

/**
 * Starts local AWS (free port, temp folder), builds the production app against it and serves the build with
 * `vite preview` on a free port of 127.0.0.1 (the origin local AWS's bucket CORS allows). `stop()` undoes it all.
 */
export async function startAppStack(): Promise<AppStack> {
  const scratch = await startScratchLocalAws({ parameters: { AppOrigins: 'http://127.0.0.1:*' } })
  const localAws = scratch.aws
  const outDir = await mkdtemp(join(tmpdir(), 'wild-rydes-e2e-dist-'))
  const removeOutDir = () => rm(outDir, { recursive: true, force: true })
  try {
    await buildApp(outDir, localAws.viteEnv)
    const server = await preview({
      root: PROJECT_ROOT,
      logLevel: 'warn',
      build: { outDir },
      preview: { host: '127.0.0.1', port: 0, strictPort: true, open: false },
    })
    const appUrl = server.resolvedUrls?.local[0]?.replace(/\/$/, '')
    if (!appUrl) throw new Error('vite preview did not report its URL')
    return {
      appUrl,
      awsUrl: localAws.url,
      localAws,
      stop: async () => {
        await Promise.all([server.close(), scratch.stop()])
        await removeOutDir()
      },
    }
  } catch (error) {
    await scratch.stop()
    await removeOutDir()
    throw error
  }
}
