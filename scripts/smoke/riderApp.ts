/*
 * The app's own AWS layer (src/lib/aws and the photo's write side) loaded in Node for one rider, so the smoke check's rider
 * steps take the code paths the browser takes. The modules read their configuration from `import.meta.env`, which only
 * Vite provides: Vite's module runner loads them, with the target's `VITE_*` values as Vite reads them from
 * `process.env` (no `.env` file is read, so a developer's `.env.local` cannot point the check elsewhere). Each rider gets
 * a module runner of their own, as each browser evaluates the modules anew: src/lib/aws keeps the signed-in rider in
 * module state.
 */
import { fileURLToPath } from 'node:url'
import { createServer, createServerModuleRunner, type ViteDevServer } from 'vite'

/** What the smoke check uses of src/lib/aws/userPool.ts. */
export interface UserPoolModule {
  signUp(details: { email: string; password: string; phoneNumber: string; name: string }): Promise<{ isConfirmed: boolean }>
  signIn(email: string, password: string): Promise<{ kind: 'signedIn' | 'newPasswordRequired' | 'codeRequired' }>
  signOut(): Promise<void>
}

/** What the smoke check uses of src/lib/aws/tokens.ts. */
export interface TokensModule {
  refreshSession(): Promise<{ picture?: string }>
}

/** What the smoke check uses of src/lib/aws/credentials.ts. */
export interface CredentialsModule {
  getRiderCredentials(): Promise<{ identityId(): Promise<string> }>
}

/** What the smoke check uses of src/lib/aws/s3.ts. */
export interface S3Module {
  putObject(key: string, body: Uint8Array, contentType: string): Promise<void>
  deleteObject(key: string): Promise<void>
  listObjectKeys(prefix: string): Promise<string[]>
}

/** What the smoke check uses of src/lib/aws/photoUrl.ts. */
export interface PhotoUrlModule {
  getPhotoUrl(key: string): Promise<{ url: string; expiresAt: number }>
}

/** What the smoke check uses of src/lib/photo/photoWrites.ts. */
export interface PhotoWritesModule {
  replacePhoto(
    photo: { blob: Uint8Array; type: string; extension: string },
    options: { refreshSession: () => Promise<unknown> },
  ): Promise<string>
}

/** One rider's copy of the app's AWS layer. */
export interface RiderApp {
  userPool: UserPoolModule
  tokens: TokensModule
  credentials: CredentialsModule
  s3: S3Module
  photoUrl: PhotoUrlModule
  photoWrites: PhotoWritesModule
  /**
   * Runs `step` as this rider: src/lib/aws keeps the rider's tokens in `localStorage`, which in Node is this rider's
   * own memory storage, installed for the duration of the step. Steps of two riders never overlap.
   */
  act<T>(step: (app: RiderApp) => Promise<T>): Promise<T>
}

/** `localStorage` as a browser profile of one rider holds it (the Web Storage interface, which Node lacks). */
class MemoryStorage {
  private readonly items = new Map<string, string>()
  get length(): number {
    return this.items.size
  }
  key(index: number): string | null {
    return [...this.items.keys()][index] ?? null
  }
  getItem(key: string): string | null {
    return this.items.get(key) ?? null
  }
  setItem(key: string, value: string): void {
    this.items.set(key, String(value))
  }
  removeItem(key: string): void {
    this.items.delete(key)
  }
  clear(): void {
    this.items.clear()
  }
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/** Loads the app's AWS layer for riders of one target; `close` when the check is done. */
export async function createRiderApps(viteEnv: Record<string, string>): Promise<{ newRider(): Promise<RiderApp>; close(): Promise<void> }> {
  for (const [name, value] of Object.entries(viteEnv)) process.env[name] = value
  // Local AWS only: a stack's build has no endpoint, and neither must the check.
  if (!viteEnv.VITE_AWS_ENDPOINT) delete process.env.VITE_AWS_ENDPOINT
  const server: ViteDevServer = await createServer({
    root: ROOT,
    configFile: false,
    envDir: false,
    logLevel: 'silent',
    appType: 'custom',
    server: { middlewareMode: true, hmr: false, ws: false, watch: null },
    resolve: { alias: { '@': fileURLToPath(new URL('../../src', import.meta.url)) } },
  })
  const runners: ReturnType<typeof createServerModuleRunner>[] = []
  return {
    async newRider() {
      const runner = createServerModuleRunner(server.environments.ssr, { hmr: false })
      runners.push(runner)
      const storage = new MemoryStorage()
      const [userPool, tokens, credentials, s3, photoUrl, photoWrites] = await Promise.all([
        runner.import<UserPoolModule>('/src/lib/aws/userPool.ts'),
        runner.import<TokensModule>('/src/lib/aws/tokens.ts'),
        runner.import<CredentialsModule>('/src/lib/aws/credentials.ts'),
        runner.import<S3Module>('/src/lib/aws/s3.ts'),
        runner.import<PhotoUrlModule>('/src/lib/aws/photoUrl.ts'),
        runner.import<PhotoWritesModule>('/src/lib/photo/photoWrites.ts'),
      ])
      const app: RiderApp = {
        userPool,
        tokens,
        credentials,
        s3,
        photoUrl,
        photoWrites,
        act: async (step) => {
          Object.assign(globalThis, { localStorage: storage })
          return step(app)
        },
      }
      return app
    },
    async close() {
      await Promise.all(runners.map((runner) => runner.close()))
      await server.close()
    },
  }
}
