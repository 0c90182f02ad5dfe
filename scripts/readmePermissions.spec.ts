import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

/**
 * README's "Permissions a deployer needs" must name every AWS call `deploy`, `smoke` and `aws:env` make with the
 * deployer's credentials: the commands scripts/ imports from the AWS SDK's clients, as IAM actions.
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url))
const SCRIPTS = join(ROOT, 'scripts')

/** The IAM service prefix of each SDK client package. */
const IAM_PREFIX: Record<string, string> = {
  cloudformation: 'cloudformation',
  cloudfront: 'cloudfront',
  s3: 's3',
  'cognito-identity-provider': 'cognito-idp',
}

/** Operations whose IAM action has another name. https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html */
const ACTION_OF: Record<string, string> = { 's3:ListObjectsV2': 's3:ListBucket' }

function scriptFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name)
    if (entry.isDirectory()) return scriptFiles(path)
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : []
  })
}

function deployerActions(): Map<string, string[]> {
  const actions = new Map<string, string[]>()
  for (const file of scriptFiles(SCRIPTS)) {
    const text = readFileSync(file, 'utf8')
    for (const [, names = '', client = ''] of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*'@aws-sdk\/client-([\w-]+)'/g)) {
      const prefix = IAM_PREFIX[client]
      for (const name of names.split(',').map((part) => part.trim().replace(/^type\s+/, ''))) {
        if (!name.endsWith('Command')) continue
        expect(prefix, `${relative(ROOT, file)} calls @aws-sdk/client-${client}: add its IAM prefix here`).toBeDefined()
        const operation = `${prefix}:${name.slice(0, -'Command'.length)}`
        const action = ACTION_OF[operation] ?? operation
        actions.set(action, [...(actions.get(action) ?? []), relative(ROOT, file)])
      }
    }
  }
  return actions
}

describe("README's permissions", () => {
  it('name every AWS call the deploy, smoke and aws:env scripts make', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
    const section = readme.slice(readme.indexOf('### Permissions a deployer needs'), readme.indexOf('### Tear down'))
    const actions = deployerActions()
    expect([...actions.keys()]).toEqual(expect.arrayContaining(['cloudformation:DescribeStacks', 'cloudfront:CreateInvalidation', 's3:ListBucket']))
    const missing = [...actions].filter(([action]) => !section.includes(`\`${action}\``)).map(([action, files]) => `${action} (${files.join(', ')})`)
    expect(missing).toEqual([])
  })
})
