import { fileURLToPath, URL } from 'node:url'
import { defineConfig, type Plugin } from 'vite'
import vue from '@vitejs/plugin-vue'
import { localAwsPlugin } from './local-aws/vitePlugin.ts'

/** A chunk's static imports, transitively, itself included. */
type ChunkGraph = Map<string, { imports: string[]; lazySdkImports: string[] }>

/**
 * Chunks the AWS SDK imports lazily but at once when used: `fromCognitoIdentityPool` loads its Cognito client with
 * `import()` on its first call. Preloading them with the chunk that uses them spares a round trip on the way to the
 * first AWS call (the credentials before the photo). Read in generateBundle, before Vite writes its preload lists.
 */
function preloadLazySdkChunks(graph: ChunkGraph): Plugin {
  return {
    name: 'wild-rydes:preload-lazy-sdk-chunks',
    apply: 'build',
    generateBundle: {
      order: 'pre',
      handler(_options, bundle) {
        graph.clear()
        for (const chunk of Object.values(bundle)) {
          if (chunk.type !== 'chunk') continue
          const lazySdkImports = chunk.dynamicImports.filter((fileName) => {
            const imported = bundle[fileName]
            return imported?.type === 'chunk' && Boolean(imported.facadeModuleId?.includes('/node_modules/@aws-sdk/'))
          })
          graph.set(chunk.fileName, { imports: chunk.imports, lazySdkImports })
        }
      },
    },
  }
}

/** `deps` plus, for every chunk among them, the SDK chunks it imports lazily and their static imports. */
function withLazySdkChunks(graph: ChunkGraph, fileName: string, deps: string[]): string[] {
  const all = new Set(deps)
  const addWithImports = (file: string) => {
    if (all.has(file)) return
    all.add(file)
    for (const imported of graph.get(file)?.imports ?? []) addWithImports(imported)
  }
  for (const file of [fileName, ...deps]) for (const lazy of graph.get(file)?.lazySdkImports ?? []) addWithImports(lazy)
  return [...all]
}

const chunkGraph: ChunkGraph = new Map()

export default defineConfig({
  plugins: [
    // Every component is written with <script setup>: without the Options API, Vue's runtime ships ~1.7 KiB less.
    // https://vuejs.org/api/compile-time-flags
    vue({ features: { optionsAPI: false } }),
    localAwsPlugin(),
    preloadLazySdkChunks(chunkGraph),
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
    modulePreload: { polyfill: false, resolveDependencies: (fileName, deps) => withLazySdkChunks(chunkGraph, fileName, deps) },
    // One stylesheet (3.6 KiB gzipped) with the first page: over HTTP/1.1's six connections each lazy page's own CSS
    // file was one more request queued before the photo on /profile.
    cssCodeSplit: false,
    rolldownOptions: {
      output: {
        // Everything the entry imports statically in one chunk: Rolldown otherwise splits what lazy chunks share
        // with it into chunks of their own (Vue's runtime-core, 23 KiB), fetched and gzipped apart on the first load.
        // https://github.com/rolldown/rolldown/issues/9963
        codeSplitting: { groups: [{ name: 'app', tags: ['$initial'] }] },
      },
    },
  },
})
