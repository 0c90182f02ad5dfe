import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LocalAwsStartError, startLocalAws, type LocalAws } from '../../local-aws/index.ts'

// What `npm run local-aws` prints as its one line when it cannot start (docs/architecture.md#local-aws).

let folder: string
let running: LocalAws

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'la-'))
  running = await startLocalAws({ port: 0, dataDir: join(folder, 'running'), log: () => {} })
})

afterAll(async () => {
  await running.stop()
  await rm(folder, { recursive: true, force: true })
})

function startError(start: Promise<LocalAws>): Promise<unknown> {
  return start.then(
    async (started) => {
      await started.stop()
      throw new Error('local AWS started')
    },
    (error: unknown) => error,
  )
}

describe('start-up errors', () => {
  it('names a port in use and the variable that moves it', async () => {
    const { port } = new URL(running.url)
    const error = await startError(startLocalAws({ port: Number(port), dataDir: join(folder, 'second'), log: () => {} }))
    expect(error).toBeInstanceOf(LocalAwsStartError)
    expect(error).toHaveProperty('message', `Port ${port} is already in use: set LOCAL_AWS_PORT to a free port`)
  })

  it('names a port that is not a port number', async () => {
    const error = await startError(startLocalAws({ port: Number('abc'), dataDir: join(folder, 'nan'), log: () => {} }))
    expect(error).toHaveProperty('message', 'Port NaN is not a port number: set LOCAL_AWS_PORT to one from 0 to 65535')
  })

  it('refuses a data folder another running local AWS holds, and takes over one a dead process left', async () => {
    const dataDir = join(folder, 'shared')
    await mkdir(dataDir)
    // The parent process (the test runner) is alive and is not this one: it stands for a second `npm run local-aws`.
    await writeFile(join(dataDir, 'lock.pid'), String(process.ppid))
    const error = await startError(startLocalAws({ port: 0, dataDir, log: () => {} }))
    expect(error).toBeInstanceOf(LocalAwsStartError)
    expect(error).toHaveProperty('message', `Data folder ${dataDir} is in use by local AWS in process ${process.ppid}: stop it, or set LOCAL_AWS_DATA to another folder`)

    await writeFile(join(dataDir, 'lock.pid'), '2147483646')
    const started = await startLocalAws({ port: 0, dataDir, log: () => {} })
    await started.stop()
  })

  it('names a data folder it cannot use', async () => {
    const file = join(folder, 'a-file')
    await writeFile(file, '')
    const error = await startError(startLocalAws({ port: 0, dataDir: file, log: () => {} }))
    expect(error).toBeInstanceOf(LocalAwsStartError)
    expect(error).toHaveProperty('message', `Cannot use data folder ${file}: EEXIST`)
  })

  it('names a state file that is not JSON', async () => {
    const dataDir = join(folder, 'edited')
    const first = await startLocalAws({ port: 0, dataDir, log: () => {} })
    await first.stop()
    await writeFile(join(dataDir, 'ids.json'), '{ "UserPool": ')
    const error = await startError(startLocalAws({ port: 0, dataDir, log: () => {} }))
    expect(error).toHaveProperty('message', expect.stringMatching(new RegExp(`^${join(dataDir, 'ids.json')} is not valid JSON: `)))
  })
})
