import { createHash } from 'node:crypto'
import type { Plugin, Rolldown } from 'vite'

/**
 * Pages a returning rider reloads, by path, and the view that route loads: their code starts downloading beside the
 * entry instead of after it has run (docs/performance.md#the-profiles-code-downloads-beside-the-entry).
 */
export type PreloadedRoutes = Record<string, string>

/** The chunks a view needs, its own and what it imports statically, but the entry's (already on its way). */
function chunksOf(bundle: Rolldown.OutputBundle, view: string): string[] {
  const chunks = Object.values(bundle).filter((output): output is Rolldown.OutputChunk => output.type === 'chunk')
  const viewChunk = chunks.find((chunk) => chunk.facadeModuleId?.endsWith(view))
  if (!viewChunk) throw new Error(`route preload: no chunk of ${view} in the build`)
  const entryFiles = new Set(chunks.filter((chunk) => chunk.isEntry).flatMap((chunk) => [chunk.fileName, ...chunk.imports]))
  const found = new Set<string>()
  const visit = (fileName: string) => {
    if (found.has(fileName) || entryFiles.has(fileName)) return
    found.add(fileName)
    for (const imported of (bundle[fileName] as Rolldown.OutputChunk).imports) visit(imported)
  }
  visit(viewChunk.fileName)
  return [...found]
}

/** The script: on one of the routes, a `<link rel="modulepreload">` per chunk. Plain DOM, no Trusted Types sink. */
export function routePreloadScript(hrefsByPath: Record<string, string[]>): string {
  return `const hrefs = ${JSON.stringify(hrefsByPath)}[location.pathname] ?? []
for (const href of hrefs) {
  const link = document.createElement('link')
  link.rel = 'modulepreload'
  link.href = href
  document.head.append(link)
}
`
}

/**
 * Emits that script and loads it `async` ahead of the entry: the entry's own preload of the view starts only once the
 * entry has downloaded and run, which on a slow phone is most of a second. A signed-out visitor of such a path is sent
 * to sign in and has fetched the view's code for nothing.
 */
export function routePreloadPlugin(routes: PreloadedRoutes): Plugin {
  let base = '/'
  return {
    name: 'wild-rydes:route-preload',
    apply: 'build',
    enforce: 'post',
    configResolved: (config) => void (base = config.base),
    generateBundle(_options, bundle) {
      const hrefsByPath = Object.fromEntries(
        Object.entries(routes).map(([path, view]) => [path, chunksOf(bundle, view).map((fileName) => `${base}${fileName}`)]),
      )
      const source = routePreloadScript(hrefsByPath)
      const fileName = `assets/route-preload-${createHash('sha256').update(source).digest('base64url').slice(0, 8)}.js`
      this.emitFile({ type: 'asset', fileName, source })
      const html = bundle['index.html']
      if (html?.type !== 'asset' || typeof html.source !== 'string') throw new Error('route preload: no index.html in the build')
      html.source = html.source.replace('<script type="module"', `<script type="module" async src="${base}${fileName}"></script>\n    <script type="module"`)
    },
  }
}
