import { join } from 'node:path'
import type { Clock } from './clock.ts'
import { AwsError } from './errors.ts'
import { Journal } from './journal.ts'

/** Why a message was sent, as the mailbox shows it. */
export type MessageKind = 'sign-up' | 'forgot-password' | 'verify-attribute' | 'invitation'

export interface SentMessage {
  to: string
  kind: MessageKind
  /** How the code went out: an email, or an SMS to a phone number. */
  medium: 'EMAIL' | 'SMS'
  code: string
  subject: string
  body: string
  sentAt: string
  /** Sent by Cognito's default email sender, which counts towards its daily quota (absent in older outboxes: counted). */
  isDefaultSenderEmail?: boolean
}

/**
 * Cognito's own email sender (`EmailSendingAccount: COGNITO_DEFAULT`) sends about 50 emails a day per account; SES
 * (`DEVELOPER`) has no such quota. docs/aws-behaviour.md#cognitos-default-email-quota
 */
export const DEFAULT_SENDER_DAILY_EMAILS = 50

export const DAILY_EMAIL_LIMIT_MESSAGE =
  'Exceeded daily email limit for the operation or the account. If a higher limit is required, please configure your user pool to use your own Amazon SES configuration for sending email.'

export interface OutboxOptions {
  /** Refuse emails past the quota as AWS does, instead of only warning. */
  enforceEmailQuota?: boolean
}

/** The newest messages kept: plenty for development, and a day's quota of the default sender. */
const KEPT_MESSAGES = 200

interface OutboxCollections {
  /** By `m{sequence number}`, in the order sent. */
  messages: Record<string, SentMessage>
}

/** Where local AWS "sends" email: kept in the data folder, shown at `/_local/`, and printed to the terminal. */
export class Outbox {
  private readonly journal: Journal<OutboxCollections>
  private sequence: number

  constructor(
    dataDir: string,
    private readonly clock: Clock,
    private readonly print: (line: string) => void,
    private readonly options: OutboxOptions = {},
  ) {
    this.journal = new Journal<OutboxCollections>(join(dataDir, 'outbox.jsonl'), {
      collections: ['messages'],
      legacy: {
        path: join(dataDir, 'outbox.json'),
        read: (content) => ({ messages: Object.fromEntries((content as SentMessage[]).map((message, index) => [`m${index}`, message])) }),
      },
    })
    const last = Object.keys(this.journal.current.messages).at(-1)
    this.sequence = last === undefined ? 0 : Number(last.slice(1)) + 1
  }

  /** Oldest first. */
  get messages(): readonly SentMessage[] {
    return Object.values(this.journal.current.messages)
  }

  /** Emails Cognito's default sender sent today (UTC), all pools of the account together. */
  defaultSenderEmailsToday(): number {
    const today = new Date(this.clock.now()).toISOString().slice(0, 10)
    return this.messages.filter((message) => message.isDefaultSenderEmail !== false && message.sentAt.startsWith(today)).length
  }

  /**
   * Sends a message. An email through Cognito's default sender past its daily quota is refused with AWS's
   * `LimitExceededException` when the quota is enforced, and sent with a warning otherwise.
   */
  send(message: Omit<SentMessage, 'sentAt'>): void {
    if (message.isDefaultSenderEmail && this.defaultSenderEmailsToday() >= DEFAULT_SENDER_DAILY_EMAILS) {
      if (this.options.enforceEmailQuota) throw new AwsError('LimitExceededException', DAILY_EMAIL_LIMIT_MESSAGE)
      this.print(`[local-aws] warning: more than ${DEFAULT_SENDER_DAILY_EMAILS} emails today: Cognito's default sender would refuse this one (${DAILY_EMAIL_LIMIT_MESSAGE})`)
    }
    const sent = { ...message, sentAt: new Date(this.clock.now()).toISOString() }
    const kept = Object.keys(this.journal.current.messages)
    this.journal.update((draft) => {
      draft.messages[`m${this.sequence}`] = sent
      for (const key of kept.slice(0, Math.max(0, kept.length + 1 - KEPT_MESSAGES))) delete draft.messages[key]
    })
    this.sequence++
    this.print(`[local-aws] ${message.kind} code for ${message.to}: ${message.code}`)
  }
}
