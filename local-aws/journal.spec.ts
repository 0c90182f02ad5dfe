import { spawn } from 'node:child_process'
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Journal, type JournalOptions } from './journal.ts'

interface Rider {
  email: string
  name: string
  expiresAt?: number
}

interface State {
  riders: Record<string, Rider>
  notes: Record<string, string>
}

const WRITER = fileURLToPath(new URL('../tests/support/journalWriter.ts', import.meta.url))

let folder: string
let path: string

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'journal-'))
  path = join(folder, 'state.jsonl')
})

afterEach(() => rmSync(folder, { recursive: true, force: true }))

function open(options: Partial<JournalOptions<State>> = {}): Journal<State> {
  return new Journal<State>(path, { collections: ['riders', 'notes'], terms: { riders: (rider) => [rider.email] }, ...options })
}

function lines(): string[] {
  return readFileSync(path, 'utf8').trimEnd().split('\n')
}

describe('changes', () => {
  it('are on disk when update returns, and read back by the next process', () => {
    const journal = open()
    journal.update((draft) => {
      draft.riders.ada = { email: 'ada@example.com', name: 'Ada' }
      draft.notes.first = 'hello'
    })
    journal.update((draft) => void (draft.riders.ada!.name = 'Ada L.'))
    journal.update((draft) => void delete draft.notes.first)
    expect(lines()).toHaveLength(4)
    const reopened = open()
    expect(reopened.current.riders).toEqual({ ada: { email: 'ada@example.com', name: 'Ada L.' } })
    expect(reopened.current.notes).toEqual({})
  })

  it('leave nothing behind when the change throws, in memory or on disk', () => {
    const journal = open()
    journal.update((draft) => void (draft.riders.ada = { email: 'ada@example.com', name: 'Ada' }))
    const size = statSync(path).size
    expect(() =>
      journal.update((draft) => {
        draft.riders.ada!.name = 'changed'
        draft.riders.bob = { email: 'bob@example.com', name: 'Bob' }
        throw new Error('refused')
      }),
    ).toThrow('refused')
    expect(journal.current.riders).toEqual({ ada: { email: 'ada@example.com', name: 'Ada' } })
    expect(journal.keysWith(journal.current, 'riders', 'bob@example.com')).toEqual([])
    expect(statSync(path).size).toBe(size)
  })

  it('write nothing when the draft was only read', () => {
    const journal = open()
    journal.update((draft) => void (draft.riders.ada = { email: 'ada@example.com', name: 'Ada' }))
    const size = statSync(path).size
    expect(journal.update((draft) => draft.riders.ada!.name)).toBe('Ada')
    expect(statSync(path).size).toBe(size)
  })

  it('take a key such as __proto__ as any other', () => {
    const journal = open()
    journal.update((draft) => void (draft.notes.__proto__ = 'a note'))
    expect(Object.hasOwn(open().current.notes, '__proto__')).toBe(true)
    expect(Object.getPrototypeOf(open().current.notes)).toBeNull()
  })
})

describe('lookups by term', () => {
  it('follow the changes, and see a draft’s own changes inside it', () => {
    const journal = open()
    journal.update((draft) => void (draft.riders.ada = { email: 'ada@example.com', name: 'Ada' }))
    journal.update((draft) => {
      draft.riders.ada!.email = 'ada@new.example.com'
      draft.riders.bob = { email: 'ada@example.com', name: 'Bob' }
      expect(journal.keysWith(draft, 'riders', 'ada@example.com')).toEqual(['bob'])
      expect(journal.keysWith(draft, 'riders', 'ada@new.example.com')).toEqual(['ada'])
      // The state itself is untouched until the change is recorded.
      expect(journal.keysWith(journal.current, 'riders', 'ada@example.com')).toEqual(['ada'])
    })
    expect(journal.keysWith(journal.current, 'riders', 'ada@example.com')).toEqual(['bob'])
    journal.update((draft) => void delete draft.riders.bob)
    expect(journal.keysWith(open().current, 'riders', 'ada@example.com')).toEqual([])
    expect(journal.keysWith(open().current, 'riders', 'ada@new.example.com')).toEqual(['ada'])
  })
})

describe('compaction', () => {
  it('rewrites a journal of superseded lines as the state, and keeps what follows it', () => {
    const journal = open({ minCompactionBytes: 1_000 })
    for (let version = 0; version < 60; version++) journal.update((draft) => void (draft.riders.ada = { email: 'ada@example.com', name: `Ada ${version}` }))
    expect(statSync(path).size).toBeLessThan(2_000)
    expect(lines().length).toBeLessThan(25)
    journal.update((draft) => void (draft.notes.last = 'after'))
    const reopened = open()
    expect(reopened.current.riders.ada?.name).toBe('Ada 59')
    expect(reopened.current.notes.last).toBe('after')
  })

  it('drops the entries no longer worth keeping, from the file and from memory', () => {
    const keep = { riders: (rider: Rider) => rider.expiresAt === undefined || rider.expiresAt > 1_000 }
    const journal = open({ keep })
    journal.update((draft) => {
      draft.riders.old = { email: 'old@example.com', name: 'Old', expiresAt: 500 }
      draft.riders.new = { email: 'new@example.com', name: 'New', expiresAt: 2_000 }
    })
    journal.compact()
    expect(Object.keys(journal.current.riders)).toEqual(['new'])
    expect(journal.keysWith(journal.current, 'riders', 'old@example.com')).toEqual([])
    expect(Object.keys(open().current.riders)).toEqual(['new'])
  })

  it('happens at start when most of the journal is superseded', () => {
    const journal = open({ minCompactionBytes: 1 << 30 })
    for (let version = 0; version < 110; version++) journal.update((draft) => void (draft.notes.count = String(version)))
    expect(lines()).toHaveLength(111)
    expect(open().current.notes.count).toBe('109')
    expect(lines()).toHaveLength(2)
  })
})

describe('a process killed mid-write', () => {
  it('leaves a partial last line, which the next start drops before appending', () => {
    const journal = open()
    journal.update((draft) => void (draft.notes.kept = 'yes'))
    appendFileSync(path, '[["notes","lost","a change never acknowl')
    const reopened = open()
    expect(reopened.current.notes).toEqual({ kept: 'yes' })
    reopened.update((draft) => void (draft.notes.next = 'also'))
    expect(open().current.notes).toEqual({ kept: 'yes', next: 'also' })
  })

  it('loses no acknowledged change, compactions included (SIGKILL at random moments)', async () => {
    const acknowledged: number[] = []
    for (let round = 0; round < 3; round++) {
      const child = spawn(process.execPath, ['--import', 'tsx', WRITER, path], { stdio: ['ignore', 'pipe', 'inherit'] })
      const exited = new Promise((resolve) => child.once('exit', resolve))
      let output = ''
      const killAfter = 100 + Math.floor(Math.random() * 150)
      await new Promise<void>((resolve) => {
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString()
          if (output.split('\n').length > killAfter) {
            child.kill('SIGKILL')
            resolve()
          }
        })
      })
      await exited
      // A line ends once `update` returned: only those were acknowledged.
      acknowledged.push(...output.split('\n').slice(0, -1).map(Number))
      const { entries } = new Journal<{ entries: Record<string, { count: number }> }>(path, { collections: ['entries'] }).current
      for (const count of acknowledged) expect(entries[`entry-${count}`]?.count, `change ${count}`).toBe(count)
      expect(entries.latest!.count).toBeGreaterThanOrEqual(acknowledged.at(-1)!)
    }
    expect(acknowledged.length).toBeGreaterThan(300)
  }, 60_000)
})

describe('an older data folder', () => {
  const legacy = () => ({ path: join(folder, 'state.json'), read: (content: unknown) => content as State })

  it('is read once, then lives in the journal and its file goes', () => {
    writeFileSync(join(folder, 'state.json'), JSON.stringify({ riders: { ada: { email: 'ada@example.com', name: 'Ada' } }, notes: { a: 'b' } }, null, 2))
    const journal = open({ legacy: legacy() })
    expect(journal.current.riders.ada).toEqual({ email: 'ada@example.com', name: 'Ada' })
    expect(journal.keysWith(journal.current, 'riders', 'ada@example.com')).toEqual(['ada'])
    expect(existsSync(join(folder, 'state.json'))).toBe(false)
    journal.update((draft) => void (draft.notes.a = 'c'))
    expect(open({ legacy: legacy() }).current).toEqual({ riders: { ada: { email: 'ada@example.com', name: 'Ada' } }, notes: { a: 'c' } })
  })

  it('whose migration was killed after the journal was written is not read again', () => {
    const journal = open()
    journal.update((draft) => void (draft.notes.a = 'newer'))
    writeFileSync(join(folder, 'state.json'), JSON.stringify({ riders: {}, notes: { a: 'older' } }))
    expect(open({ legacy: legacy() }).current.notes.a).toBe('newer')
    expect(existsSync(join(folder, 'state.json'))).toBe(false)
  })
})

describe('a damaged journal', () => {
  it('names the file and line of a hand edit that broke it', () => {
    open().update((draft) => void (draft.notes.a = 'b'))
    writeFileSync(path, readFileSync(path, 'utf8').replace('"b"', 'b'))
    expect(() => open()).toThrow(`${path}:2 is not valid JSON`)
  })

  it('refuses a file that is not a journal', () => {
    writeFileSync(path, '{"riders":{}}\n')
    expect(() => open()).toThrow(`${path} is not a local AWS journal`)
  })
})
