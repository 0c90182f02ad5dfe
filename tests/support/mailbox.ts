// The mailbox of local AWS: the codes it "sends", as every kind of test and the bench reads them. No vitest here.
import { randomBytes } from 'node:crypto'
import type { MessageKind, SentMessage } from '../../local-aws/outbox.ts'

type OutboxEntry = Pick<SentMessage, 'to' | 'kind' | 'code' | 'sentAt'>

export interface LatestCodeOptions {
  /** Only messages sent at or after this moment (e.g. taken just before clicking "resend"). */
  since?: Date
  timeoutMs?: number
}

/**
 * The newest code local AWS "emailed" to `email` (whatever its case) for `kind`, read from `GET {awsUrl}/_local/outbox`
 * as a developer reads the mailbox; polls, since in a browser the app sends the request asynchronously after a click.
 */
export async function latestCode(
  awsUrl: string,
  email: string,
  kind: MessageKind,
  { since = new Date(0), timeoutMs = 10_000 }: LatestCodeOptions = {},
): Promise<string> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const response = await fetch(`${awsUrl}/_local/outbox`)
    if (!response.ok) throw new Error(`GET ${awsUrl}/_local/outbox answered ${response.status}`)
    const outbox = (await response.json()) as OutboxEntry[]
    const match = outbox.findLast(
      (message) => message.to.toLowerCase() === email.toLowerCase() && message.kind === kind && new Date(message.sentAt) >= since,
    )
    if (match) return match.code
    if (Date.now() > deadline) {
      throw new Error(`No ${kind} code for ${email} in the local AWS outbox after ${timeoutMs} ms (${outbox.length} messages)`)
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** An address no other test or run has used, so tests need no cleanup between them. */
export function uniqueEmail(label = 'rider'): string {
  return `${label}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}@example.com`
}
