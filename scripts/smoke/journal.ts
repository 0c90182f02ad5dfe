/*
 * What a smoke run created, written down before each creation, so that a run killed before its clean-up (a crash, a
 * closed terminal, SIGKILL) is cleaned up by the next run against the same user pool. One file per run under
 * `.smoke/{userPoolId}/` (`SMOKE_JOURNAL_DIR` elsewhere), removed once its clean-up succeeded. A file is only ever
 * replaced whole (temporary file, then rename), so a kill mid-write leaves the previous version.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { isProcessRunning } from '../../local-aws/index.ts'
import { writeFileAtomic } from '../../local-aws/store.ts'

export interface JournalEntries {
  /** The process whose run it is: a file of a live process is another run's, still going; 0 once that run ended. */
  pid: number
  /** Riders by sign-in email, recorded before their SignUp. */
  riders: string[]
  /** Prefixes a rider may have written under (`protected/{identityId}/`), recorded before their first write. */
  prefixes: string[]
  /** Single keys written outside those prefixes (an attempted write to `public/`), recorded before the attempt. */
  keys: string[]
}

export class Journal {
  readonly entries: JournalEntries = { pid: process.pid, riders: [], prefixes: [], keys: [] }

  constructor(readonly path: string) {}

  add(kind: 'riders' | 'prefixes' | 'keys', value: string): void {
    if (this.entries[kind].includes(value)) return
    this.entries[kind].push(value)
    writeFileAtomic(this.path, JSON.stringify(this.entries))
  }

  /** Hands what is left to the next run: this run ended without cleaning it all up. */
  release(): void {
    this.entries.pid = 0
    writeFileAtomic(this.path, JSON.stringify(this.entries))
  }

  /** Forgets the run: everything it recorded is gone. */
  remove(): void {
    rmSync(this.path, { force: true })
  }
}

/** Where this run's journal goes, and the journals of earlier runs against the same pool that did not finish. */
export function openJournal(journalDir: string, userPoolId: string, runId: string): { journal: Journal; leftovers: Journal[] } {
  const poolDir = join(journalDir, userPoolId)
  mkdirSync(poolDir, { recursive: true })
  const leftovers = readdirSync(poolDir)
    .filter((name) => name.endsWith('.json'))
    .flatMap((name) => {
      const journal = new Journal(join(poolDir, name))
      let entries: JournalEntries
      try {
        entries = JSON.parse(readFileSync(journal.path, 'utf8')) as JournalEntries
      } catch {
        return []
      }
      if (entries.pid !== 0 && entries.pid !== process.pid && isProcessRunning(entries.pid)) return []
      Object.assign(journal.entries, entries)
      return [journal]
    })
  return { journal: new Journal(join(poolDir, `${runId}.json`)), leftovers }
}
