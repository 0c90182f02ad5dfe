import { fileURLToPath } from 'node:url'
import { build, type Rolldown } from 'vite'

const PROJECT_ROOT = fileURLToPath(new URL('../', import.meta.url))

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

/**
 * `vite build` of the app into `outDir`, for the stack (or local AWS) whose `VITE_*` values are given; returns what
 * Rolldown wrote (its chunks and their modules).
 */
export async function buildSite(outDir: string, viteEnv: Record<string, string>): Promise<Rolldown.RolldownOutput> {
  // Vite gives process.env's VITE_* values precedence over .env files, so a developer's .env.local cannot leak in.
  // NODE_ENV: Vitest sets it to `test`, which would make Vite bundle Vue's development build.
  const output = await withEnv({ ...viteEnv, NODE_ENV: 'production' }, () =>
    build({ root: PROJECT_ROOT, logLevel: 'warn', build: { outDir, emptyOutDir: true } }),
  )
  if (Array.isArray(output) || !('output' in output)) throw new Error('vite build: expected the one bundle of the app')
  return output
}
