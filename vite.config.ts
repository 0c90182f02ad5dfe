import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, URL } from 'node:url'
import { defineConfig, type Plugin, type Rolldown } from 'vite'
import vue from '@vitejs/plugin-vue'
import { localAwsPlugin } from './local-aws/vitePlugin.ts'
import { routePreloadPlugin } from './scripts/vite/routePreload.ts'

const SRC = fileURLToPath(new URL('./src/', import.meta.url))
/** The photo's own code: what shows it (its signed URL, the credentials that sign it) and what changes it. */
const PHOTO_FOLDERS = ['lib/photo', 'lib/image']
const PHOTO_FILES = ['lib/aws/credentials.ts', 'lib/aws/photoUrl.ts']

const PHOTO_SOURCES = new Set([
  ...PHOTO_FOLDERS.flatMap((folder) =>
    readdirSync(join(SRC, folder))
      .filter((name) => name.endsWith('.ts') && !name.endsWith('.spec.ts'))
      .map((name) => join(SRC, folder, name)),
  ),
  ...PHOTO_FILES.map((file) => join(SRC, file)),
])

/** The passkeys' own code, which the profile's section and passkey sign-in load, and nothing else. */
const PASSKEY_SOURCES = new Set(['lib/aws/passkeys.ts', 'lib/passkeyJson.ts', 'components/PasskeysSection.vue'].map((file) => join(SRC, file)))

/** App code but the photo's and the passkeys': what more than one lazy page needs of it goes in one chunk (see the groups below). */
function isSharedAppModule(id: string): boolean {
  return id.startsWith(SRC) && !PHOTO_SOURCES.has(id) && !PASSKEY_SOURCES.has(id)
}

/**
 * Names the photo's chunk: the photo's code and every module it reaches, the AWS SDK's own `import()`s included
 * (docs/contributing.md#chunks).
 */
function photoChunk(): { name: Rolldown.CodeSplittingNameFunction; plugin: Plugin } {
  let modules: Set<string> | undefined
  const collect = (context: Rolldown.ChunkingContext) => {
    const found = new Set<string>()
    const visit = (id: string) => {
      const info = found.has(id) ? null : context.getModuleInfo(id)
      if (!info) return
      found.add(id)
      for (const imported of info.importedIds) visit(imported)
      if (id.includes('/node_modules/@aws-sdk/')) for (const imported of info.dynamicallyImportedIds) visit(imported)
    }
    for (const source of PHOTO_SOURCES) visit(source)
    return found
  }
  return {
    name: (id, context) => ((modules ??= collect(context)).has(id) ? 'photo' : null),
    // Another build (watch mode) has another module graph.
    plugin: { name: 'wild-rydes:photo-chunk', apply: 'build', buildStart: () => void (modules = undefined) },
  }
}

const photo = photoChunk()

export default defineConfig({
  plugins: [
    // Every component is written with <script setup>: without the Options API, Vue's runtime ships ~1.7 KiB less.
    // https://vuejs.org/api/compile-time-flags
    vue({ features: { optionsAPI: false } }),
    localAwsPlugin(),
    photo.plugin,
    routePreloadPlugin({ '/profile': '/src/views/ProfileView.vue' }),
  ],
  resolve: {
    alias: [
      { find: '@', replacement: fileURLToPath(new URL('./src', import.meta.url)) },
      // The S3 client's browser XML parser calls DOMParser.parseFromString, a Trusted Types sink the site's CSP blocks:
      // every S3 XML answer (ListObjectsV2, every error) would throw a TypeError. The SDK's own Node parser is plain
      // string code (docs/aws-behaviour.md#s3s-xml-is-parsed-without-domparser). `./xml-parser` is imported by
      // @aws-sdk/xml-builder alone.
      {
        find: /^\.\/xml-parser$/,
        replacement: fileURLToPath(new URL('./node_modules/@aws-sdk/xml-builder/dist-es/xml-parser.js', import.meta.url)),
      },
    ],
  },
  // amazon-cognito-identity-js pulls buffer@4, which reads `global` at load (docs/aws-behaviour.md#the-cognito-library-needs-global).
  define: { global: 'globalThis' },
  build: {
    // No modulepreload polyfill (0.3 KiB on every first load): every browser the build targets but Safari before 17
    // supports `<link rel="modulepreload">`, and there a missing preload only costs time. https://caniuse.com/link-rel-modulepreload
    modulePreload: { polyfill: false },
    // One stylesheet (3.6 KiB gzipped) with the first page: over HTTP/1.1's six connections each lazy page's own CSS
    // file was one more request queued before the photo on /profile.
    cssCodeSplit: false,
    rolldownOptions: {
      // The groups below put a module that one place imports lazily (src/lib/aws/errors.ts, credentials.ts) in one
      // chunk with its static importers, on purpose: Rolldown's warning that the import() moves nothing is expected.
      onLog: (level, log, handler) => void (log.code !== 'INEFFECTIVE_DYNAMIC_IMPORT' && handler(level, log)),
      output: {
        // Few chunks, so that a returning rider's /profile waits for few requests (docs/contributing.md#chunks). `app`
        // holds the landing view too: Rolldown otherwise splits what lazy chunks share with the entry into chunks of
        // their own (https://github.com/rolldown/rolldown/issues/9963).
        codeSplitting: {
          groups: [
            { name: 'app', tags: ['$initial'], priority: 3 },
            { name: 'account', test: isSharedAppModule, minShareCount: 2, priority: 2 },
            { name: photo.name, debugName: 'photo', priority: 1 },
            { name: 'passkeys', test: (id) => PASSKEY_SOURCES.has(id), priority: 1 },
          ],
        },
      },
    },
  },
})
