import { describe, expect, it } from 'vitest'
import type { Rolldown } from 'vite'
import { routePreloadPlugin, routePreloadScript } from './routePreload.ts'

function chunk(fileName: string, imports: string[], extra: Partial<Rolldown.OutputChunk> = {}): Rolldown.OutputChunk {
  return { type: 'chunk', fileName, imports, isEntry: false, facadeModuleId: null, ...extra } as Rolldown.OutputChunk
}

/** A build: the entry (with its shared chunk), the profile's view with its own and shared chunks, another page. */
function bundle(): Rolldown.OutputBundle {
  const outputs = [
    chunk('assets/index-a.js', ['assets/rolldown-runtime-b.js'], { isEntry: true, facadeModuleId: '/app/index.html' }),
    chunk('assets/rolldown-runtime-b.js', []),
    chunk('assets/ProfileView-c.js', ['assets/index-a.js', 'assets/photo-d.js', 'assets/account-e.js']),
    chunk('assets/photo-d.js', ['assets/index-a.js', 'assets/rolldown-runtime-b.js']),
    chunk('assets/account-e.js', ['assets/index-a.js']),
    chunk('assets/SignInView-f.js', ['assets/account-e.js']),
    { type: 'asset', fileName: 'index.html', source: '<head>\n    <script type="module" crossorigin src="/assets/index-a.js"></script>\n</head>' },
  ] as (Rolldown.OutputChunk | Rolldown.OutputAsset)[]
  outputs[2] = { ...outputs[2], facadeModuleId: '/app/src/views/ProfileView.vue' } as Rolldown.OutputChunk
  return Object.fromEntries(outputs.map((output) => [output.fileName, output]))
}

function build(routes: Record<string, string>): { built: Rolldown.OutputBundle; emitted: { fileName: string; source: string }[] } {
  const plugin = routePreloadPlugin(routes)
  const built = bundle()
  const emitted: { fileName: string; source: string }[] = []
  ;(plugin.configResolved as (config: { base: string }) => void)({ base: '/' })
  const generate = plugin.generateBundle as (this: unknown, options: unknown, bundle: Rolldown.OutputBundle) => void
  generate.call({ emitFile: (file: { fileName: string; source: string }) => emitted.push(file) }, {}, built)
  return { built, emitted }
}

describe('routePreloadScript', () => {
  it('adds a modulepreload link per chunk of the path opened, and none elsewhere', () => {
    const script = routePreloadScript({ '/profile': ['/assets/ProfileView-c.js', '/assets/photo-d.js'] })
    const run = (pathname: string) => {
      const appended: { rel: string; href: string }[] = []
      const document = { createElement: () => ({ rel: '', href: '' }), head: { append: (link: { rel: string; href: string }) => appended.push(link) } }
      new Function('location', 'document', script)({ pathname }, document)
      return appended
    }
    expect(run('/profile')).toEqual([
      { rel: 'modulepreload', href: '/assets/ProfileView-c.js' },
      { rel: 'modulepreload', href: '/assets/photo-d.js' },
    ])
    expect(run('/')).toEqual([])
    expect(run('/sign-in')).toEqual([])
  })
})

describe('routePreloadPlugin', () => {
  it('preloads the view’s chunks but the entry’s, from a script index.html loads before the entry', () => {
    const { built, emitted } = build({ '/profile': '/src/views/ProfileView.vue' })
    expect(emitted).toHaveLength(1)
    const [script] = emitted
    expect(script!.fileName).toMatch(/^assets\/route-preload-[\w-]{8}\.js$/)
    expect(script!.source).toContain(JSON.stringify({ '/profile': ['/assets/ProfileView-c.js', '/assets/photo-d.js', '/assets/account-e.js'] }))
    const html = (built['index.html'] as Rolldown.OutputAsset).source as string
    expect(html.indexOf(`<script type="module" async src="/${script!.fileName}"></script>`)).toBeLessThan(html.indexOf('/assets/index-a.js'))
  })

  it('fails the build when a route’s view is not in it', () => {
    expect(() => build({ '/profile': '/src/views/Missing.vue' })).toThrow('route preload: no chunk of /src/views/Missing.vue in the build')
  })
})
