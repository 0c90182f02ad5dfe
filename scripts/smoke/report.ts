/** One line per check, with its time; a check is passed, failed, or not run (and why). */

export type CheckStatus = 'passed' | 'failed' | 'not run'

export interface CheckResult {
  name: string
  status: CheckStatus
  ms: number
  reason?: string
}

/** A check that failed: what was expected and what came instead, worded for the person running the check. */
export class CheckFailure extends Error {}

/** A check that cannot run here, and why (a missing permission, no credentials): no verdict on the stack. */
export class CannotRun extends Error {}

/** Ctrl-C: the running check stops, clean-up follows. */
export class Interrupted extends Error {
  constructor() {
    super('interrupted')
  }
}

const MARKS: Record<CheckStatus, string> = { passed: '✓', failed: '✗', 'not run': '-' }

/** The error a failed step is reported with: its AWS name and message, never a token or key (AWS errors carry none). */
function describe(error: unknown): string {
  if (error instanceof CheckFailure || error instanceof CannotRun) return error.message
  if (error instanceof Error) return `${error.name}: ${error.message}`
  return String(error)
}

export class Report {
  readonly results: CheckResult[] = []
  private readonly startedAt = Date.now()

  constructor(
    private readonly log: (line: string) => void,
    private readonly interrupted: Promise<never>,
  ) {}

  /**
   * Runs one check and prints its line. `blockedBy` names a failed earlier step this check needs: it is then not run.
   * Resolves whether it passed; rejects only with {@link Interrupted}.
   */
  async check(name: string, run: () => Promise<void>, blockedBy?: string): Promise<boolean> {
    if (blockedBy) return this.record({ name, status: 'not run', ms: 0, reason: `needs ${blockedBy}` })
    const started = Date.now()
    const running = run()
    try {
      await Promise.race([running, this.interrupted])
      return this.record({ name, status: 'passed', ms: Date.now() - started })
    } catch (error) {
      if (error instanceof Interrupted) {
        this.record({ name, status: 'failed', ms: Date.now() - started, reason: 'interrupted (Ctrl-C)' })
        // The step may still be sending: let it land (briefly) so the clean-up finds what it wrote.
        await Promise.race([running.catch(() => {}), new Promise((resolve) => setTimeout(resolve, 10_000))])
        throw error
      }
      const reason = error instanceof CannotRun ? `cannot run: ${describe(error)}` : describe(error)
      return this.record({ name, status: 'failed', ms: Date.now() - started, reason })
    }
  }

  private record(result: CheckResult): boolean {
    this.results.push(result)
    const time = result.status === 'not run' ? '' : ` (${result.ms} ms)`
    this.log(`${MARKS[result.status]} ${result.name}${time}${result.reason ? ` — ${result.reason}` : ''}`)
    return result.status === 'passed'
  }

  /** e.g. `17 passed, 1 failed, 2 not run in 9.4 s`. */
  summary(): string {
    const count = (status: CheckStatus) => this.results.filter((result) => result.status === status).length
    const seconds = ((Date.now() - this.startedAt) / 1000).toFixed(1)
    const notRun = count('not run')
    return `${count('passed')} passed, ${count('failed')} failed${notRun ? `, ${notRun} not run` : ''} in ${seconds} s`
  }

  get isSuccess(): boolean {
    return this.results.every((result) => result.status === 'passed')
  }
}
