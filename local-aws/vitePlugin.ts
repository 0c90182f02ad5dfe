import { existsSync, realpathSync } from 'node:fs'
import { resolve } from 'node:path'
import { inspect } from 'node:util'
import { loadEnv, type Plugin } from 'vite'
import { readTemplate } from '../infra/cfnYaml.ts'
import { templateViteVariables, viteEnvFromOutputs } from '../infra/viteVariables.ts'
import { localResponseHeaders } from './cloudfront/localHeaders.ts'
import { provision } from './template/provision.ts'
import type { ResponseHeader } from './template/model.ts'
import { startOptionsFromEnvironment } from './fromEnvironment.ts'
import { DEFAULT_TEMPLATE_PATH, LocalAwsStartError, startLocalAws, type LocalAws } from './index.ts'
import { localParameters } from './localParameters.ts'

/** A start-up failure the developer can fix from its message alone: no stack trace is shown with it. */
class StartUpError extends Error {
  override name = 'StartUpError';

  /** What Vite's CLI prints of a failed start (it calls util.inspect): the message, not the stack. */
  [inspect.custom](): string {
    return this.message
  }
}

/**
 * Under Vite's own CLI (`npm run dev`, `build`, `preview`), a start-up failure is one line and exit code 1; called
 * programmatically (the e2e stack, the bench), the error is thrown for the caller.
 */
function failStart(message: string): never {
  const script = process.argv[1]
  // npm runs it through the node_modules/.bin symlink.
  const isViteCli = script !== undefined && existsSync(script) && /[\\/]vite[\\/]bin[\\/]vite\.js$/.test(realpathSync(script))
  if (!isViteCli) throw new StartUpError(message)
  console.error(`✘ ${message}`)
  process.exit(1)
}

/**
 * Vite re-evaluates this file on every restart (a change to the config or to anything it imports, i.e. every local-aws
 * file), building the new server before closing the old one. One slot per process keeps exactly one local AWS running
 * and lets a restart tell the values it injected itself from the developer's.
 */
const slot = globalThis as typeof globalThis & { wildRydesLocalAws?: LocalAws }

async function stopDevLocalAws(): Promise<{ port: number } | undefined> {
  const running = slot.wildRydesLocalAws
  if (!running) return undefined
  slot.wildRydesLocalAws = undefined
  for (const [name, value] of Object.entries(running.viteEnv)) {
    if (process.env[name] === value) delete process.env[name]
  }
  await running.stop()
  return { port: Number(new URL(running.url).port) }
}

/**
 * `npm run dev` on local AWS: unless the environment (e.g. `.env.local` written by `npm run aws:env`) already names a
 * user pool, start local AWS in-process and hand its `VITE_*` values to the app. `vite build` refuses to produce an
 * app without them, since the bundle would only fail once a rider opens it.
 */
export function localAwsPlugin(): Plugin {
  let localAws: LocalAws | undefined
  return {
    name: 'wild-rydes:local-aws',
    async config(config, { command, mode, isPreview }) {
      const envDir = config.envDir === false ? process.cwd() : resolve(config.root ?? process.cwd(), config.envDir ?? '')
      // loadEnv includes the VITE_* values already in process.env, which take precedence over .env files.
      const env = () => loadEnv(mode, envDir, 'VITE_')
      if (command === 'build') return assertBuildEnv(env())
      if (isPreview) return assertBuilt(resolve(config.root ?? process.cwd(), config.build?.outDir ?? 'dist'))
      // Vitest runs its own Vite server: tests start their own local AWS on a free port and a temp folder.
      if (process.env.VITEST) return
      // On a restart, the new code starts on the same port, so open pages and stored sessions keep working.
      const previous = await stopDevLocalAws()
      if (env().VITE_USER_POOL_ID) return
      try {
        localAws = await startLocalAws(startOptionsFromEnvironment({ port: Number(process.env.LOCAL_AWS_PORT ?? previous?.port ?? 0) }))
      } catch (error) {
        // A taken port or data folder (a second `npm run dev` on this clone), a template it cannot honour.
        if (error instanceof LocalAwsStartError) failStart(`Local AWS cannot start: ${error.message}`)
        throw error
      }
      slot.wildRydesLocalAws = localAws
      // Vite reads the env after the config hooks, so the app's import.meta.env gets these.
      Object.assign(process.env, localAws.viteEnv)
    },
    // `npm run preview` serves the build with the template's response headers, as CloudFront and local AWS's site do.
    configurePreviewServer(server) {
      const env = loadEnv(server.config.mode, server.config.envDir || process.cwd(), 'VITE_')
      const headers = previewHeaders(env)
      server.middlewares.use((_request, response, next) => {
        for (const { name, value } of headers) response.setHeader(name, value)
        next()
      })
    },
    configureServer(server) {
      if (!localAws) return
      const running = localAws
      // Printed under Vite's own URLs, where a newcomer looks for where to go next.
      const printUrls = server.printUrls.bind(server)
      server.printUrls = () => {
        printUrls()
        server.config.logger.info(`  ➜  Local AWS: ${running.url}`)
        server.config.logger.info(`  ➜  Mailbox:   ${running.url}/_local/  (verification codes)`)
      }
      server.httpServer?.once('close', () => {
        // A restart has already replaced it; only the last server to close stops it.
        if (slot.wildRydesLocalAws === running) void stopDevLocalAws()
      })
    },
  }
}

/**
 * The template's response headers for the build being previewed: the CSP names the endpoint it was built for (local
 * AWS), or the stack's region and photo bucket (real AWS).
 */
function previewHeaders(env: Record<string, string>): ResponseHeader[] {
  const model = provision(readTemplate(DEFAULT_TEMPLATE_PATH), {
    region: env.VITE_AWS_REGION ?? 'us-east-1',
    accountId: '000000000000',
    stackName: 'preview',
    parameters: localParameters(),
    ids: {},
  })
  const [distribution] = model.distributions
  if (!distribution) return []
  if (env.VITE_AWS_ENDPOINT) return localResponseHeaders(distribution.responseHeaders, env.VITE_AWS_ENDPOINT)
  const provisionedPhotoBucket = viteEnvFromOutputs(model.outputs).VITE_PHOTO_BUCKET
  const photoBucket = env.VITE_PHOTO_BUCKET
  return distribution.responseHeaders.map(({ name, value }) => ({
    name,
    value: provisionedPhotoBucket && photoBucket ? value.replaceAll(provisionedPhotoBucket, photoBucket) : value,
  }))
}

function assertBuildEnv(env: Record<string, string>): void {
  const missing = templateViteVariables(DEFAULT_TEMPLATE_PATH).filter((variable) => !env[variable])
  if (missing.length === 0) return
  failStart(
    `The build needs ${missing.join(', ')} to know which AWS stack the app talks to. ` +
      'Deploy infra/template.yaml, then run `npm run aws:env -- --stack NAME` to write them to .env.local ' +
      '(README, "Deploy to AWS").',
  )
}

/** `vite preview` serves a build: without one it would answer every page with an empty 404. */
function assertBuilt(outDir: string): void {
  if (existsSync(resolve(outDir, 'index.html'))) return
  failStart(`There is no build in ${outDir} to preview: run \`npm run build\` first (README, "Build and preview").`)
}
