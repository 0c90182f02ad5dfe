import { relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import type { Rolldown } from 'vite'

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** One JavaScript file of the production build, as the budgets read it. */
export interface BundleChunk {
  /** e.g. `assets/photo-fu0xHHlS.js`. */
  fileName: string
  /** The name without the hash: the group's (`app`, `account`, `photo`) or the lazy module's (`ProfileView`, `s3`). */
  name: string
  isEntry: boolean
  /** Its static imports (file names): the browser fetches them with it. */
  imports: string[]
  /** Gzipped at zlib's default level, as a static host serves it. */
  gzipBytes: number
  /** Bytes each module renders into the chunk, before minification, by {@link moduleName}. */
  modules: Record<string, number>
}

/**
 * Who a module's bytes are attributed to: a repository file (`src/stores/session.ts`; a `.vue` file's script and
 * template parts together), or an npm package (`@smithy/core`, `vue-router`).
 */
export function moduleName(id: string): string {
  const path = id.replace(/^\0/, '').split('?')[0] ?? id
  const inPackage = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)
  if (inPackage?.[1]) return inPackage[1]
  return path.startsWith(PROJECT_ROOT) ? relative(PROJECT_ROOT, path) : path
}

/** The JavaScript chunks of a build, with what the budgets need of each (serializable, to hand from Vitest's setup to a spec). */
export function summarizeBundle(bundle: Rolldown.RolldownOutput): BundleChunk[] {
  return bundle.output.flatMap((chunk) => {
    // A script the build emits whole, which index.html loads with the entry (the route preload of vite.config.ts).
    if (chunk.type === 'asset' && chunk.fileName.endsWith('.js')) {
      const name = chunk.fileName.replace(/^.*\//, '').replace(/-[\w-]{8}\.js$/, '')
      const code = chunk.source.toString()
      return [{ fileName: chunk.fileName, name, isEntry: true, imports: [], gzipBytes: gzipSync(code).length, modules: { [name]: code.length } }]
    }
    if (chunk.type !== 'chunk') return []
    const modules: Record<string, number> = {}
    for (const [id, { renderedLength }] of Object.entries(chunk.modules)) {
      if (renderedLength === 0) continue // a stylesheet, or code the bundler left out
      const name = moduleName(id)
      modules[name] = (modules[name] ?? 0) + renderedLength
    }
    return [
      {
        fileName: chunk.fileName,
        name: chunk.name,
        isEntry: chunk.isEntry,
        imports: chunk.imports,
        gzipBytes: gzipSync(chunk.code).length,
        modules,
      },
    ]
  })
}
