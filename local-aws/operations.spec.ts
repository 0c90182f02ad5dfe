import { existsSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

// Each operation is tested on its own, through its factory with the collaborators of tests/support/localAwsFakes.ts
// (docs/contributing.md, "Each local-AWS operation has a spec of its own"), besides the integration suites.
const services = ['cognito-idp', 'cognito-identity', 's3']

describe('local AWS operations', () => {
  it('each have a unit test next to their file', () => {
    const untested = services.flatMap((service) => {
      const folder = fileURLToPath(new URL(`./${service}/operations/`, import.meta.url))
      return readdirSync(folder)
        .filter((name) => name.endsWith('.ts') && !name.endsWith('.spec.ts'))
        .filter((name) => !existsSync(`${folder}${name.replace(/\.ts$/, '.spec.ts')}`))
        .map((name) => `${service}/operations/${name}`)
    })
    expect(untested).toEqual([])
  })
})
