import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FakeClock } from '../tests/support/fakeClock.ts'
import { Outbox, type SentMessage } from './outbox.ts'

let dataDir: string

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'outbox-'))
})

afterEach(() => rmSync(dataDir, { recursive: true, force: true }))

const clock = new FakeClock(Date.UTC(2026, 11, 5, 12))

function message(number: number): Omit<SentMessage, 'sentAt'> {
  return { to: `rider-${number}@example.com`, kind: 'sign-up', medium: 'EMAIL', code: String(100_000 + number), subject: 'Code', body: 'Your code', isDefaultSenderEmail: false }
}

describe('Outbox', () => {
  it('keeps the newest 200 messages in the order sent, across restarts', () => {
    const outbox = new Outbox(dataDir, clock, () => {})
    for (let number = 0; number < 205; number++) outbox.send(message(number))
    expect(outbox.messages).toHaveLength(200)
    expect(outbox.messages[0]?.to).toBe('rider-5@example.com')
    const restarted = new Outbox(dataDir, clock, () => {})
    restarted.send(message(205))
    expect(restarted.messages.map(({ to }) => to)).toEqual(Array.from({ length: 200 }, (_, index) => `rider-${index + 6}@example.com`))
  })

  it('reads the mailbox of an older data folder', () => {
    const sentAt = new Date(clock.now()).toISOString()
    writeFileSync(join(dataDir, 'outbox.json'), JSON.stringify([{ ...message(1), sentAt }, { ...message(2), sentAt }]))
    const outbox = new Outbox(dataDir, clock, () => {})
    outbox.send(message(3))
    expect(outbox.messages.map(({ code }) => code)).toEqual(['100001', '100002', '100003'])
    expect(existsSync(join(dataDir, 'outbox.json'))).toBe(false)
  })
})
