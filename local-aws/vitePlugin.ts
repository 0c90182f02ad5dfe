import { resolve } from 'node:path'
import { loadEnv, type Plugin } from 'vite'
import { startLocalAws, type LocalAws } from './index.ts'

/**
 * `npm run dev` on local AWS: unless the environment (e.g. `.env.local` written by `npm run aws:env`) already names a
 * user pool, start local AWS in-process and hand its `VITE_*` values to the app.
 */
export function localAwsPlugin(): Plugin {
  let localAws: LocalAws | undefined
  return {
    name: 'wild-rydes:local-aws',
    async config(config, { command, mode, isPreview }) {
      const env = loadEnv(mode, config.envDir === false ? process.cwd() : resolve(config.root ?? process.cwd(), config.envDir ?? ''), 'VITE_')
      if (command !== 'serve' || isPreview || env.VITE_USER_POOL_ID) return
      localAws = await startLocalAws({
        port: Number(process.env.LOCAL_AWS_PORT ?? 0),
        dataDir: process.env.LOCAL_AWS_DATA ?? '.local-aws',
        // Any local dev-server port may call the bucket, as S3 allows one wildcard per origin.
        parameters: { AppOrigins: 'http://localhost:*,http://127.0.0.1:*' },
      })
      // Vite gives VITE_* values already in process.env precedence over .env files.
      Object.assign(process.env, localAws.viteEnv)
    },
    configureServer(server) {
      if (!localAws) return
      const running = localAws
      server.httpServer?.once('listening', () => {
        server.config.logger.info(`  ➜  Local AWS: ${running.url}  (mailbox with verification codes: ${running.url}/_local/)`)
      })
      server.httpServer?.once('close', () => void running.stop())
    },
  }
}
