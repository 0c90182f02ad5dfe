import { Journal } from '../../local-aws/journal.ts'

// A process that changes a journal as fast as it can and prints the number of each change once `update` returned (its
// acknowledgement), for local-aws/journal.spec.ts to kill with SIGKILL at any moment. Usage: journalWriter.ts FILE

interface Counted {
  entries: Record<string, { count: number; padding: string }>
}

const journal = new Journal<Counted>(process.argv[2]!, { collections: ['entries'], minCompactionBytes: 16_384 })
const padding = 'x'.repeat(200)
for (let count = Object.keys(journal.current.entries).length; ; count++) {
  journal.update((draft) => {
    draft.entries[`entry-${count}`] = { count, padding }
    // Rewritten on every change too, so that compactions drop superseded lines while the writer is killed.
    draft.entries.latest = { count, padding }
  })
  process.stdout.write(`${count}\n`)
}
