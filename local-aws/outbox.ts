import { join } from 'node:path'
import type { Clock } from './clock.ts'
import { JsonDocument } from './store.ts'

/** Why a message was sent, as the mailbox shows it. */
export type MessageKind = 'sign-up' | 'forgot-password' | 'verify-attribute'

export interface SentMessage {
  to: string
  kind: MessageKind
  /** How the code went out: an email, or an SMS to a phone number. */
  medium: 'EMAIL' | 'SMS'
  code: string
  subject: string
  body: string
  sentAt: string
}

/** Where local AWS "sends" email: kept in the data folder, shown at `/_local/`, and printed to the terminal. */
export class Outbox {
  private readonly document: JsonDocument<SentMessage[]>

  constructor(
    dataDir: string,
    private readonly clock: Clock,
    private readonly print: (line: string) => void,
  ) {
    this.document = new JsonDocument<SentMessage[]>(join(dataDir, 'outbox.json'), () => [])
  }

  get messages(): readonly SentMessage[] {
    return this.document.current
  }

  send(message: Omit<SentMessage, 'sentAt'>): void {
    const sent = { ...message, sentAt: new Date(this.clock.now()).toISOString() }
    // Keep the mailbox small: the newest 200 messages are plenty for development.
    this.document.update((messages) => {
      messages.push(sent)
      messages.splice(0, Math.max(0, messages.length - 200))
    })
    this.print(`[local-aws] ${message.kind} code for ${message.to}: ${message.code}`)
  }
}
