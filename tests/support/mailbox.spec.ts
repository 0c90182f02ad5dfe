import { describe, expect, it } from 'vitest'
import { useTestAws } from './localAwsHooks.ts'
import { latestCode, uniqueEmail } from './mailbox.ts'

describe('latestCode', () => {
  const local = useTestAws()

  const send = (to: string, kind: 'sign-up' | 'forgot-password', code: string) =>
    local.aws.context.outbox.send({ to, kind, medium: 'EMAIL', code, subject: 'Your code', body: `Your code is ${code}` })

  it("returns the newest code of that kind for that rider, whatever the address's case", async () => {
    const email = uniqueEmail()
    send(email, 'sign-up', '111111')
    send(uniqueEmail(), 'sign-up', '222222')
    send(email, 'forgot-password', '333333')
    send(email, 'sign-up', '444444')

    expect(await latestCode(local.aws.url, email.toUpperCase(), 'sign-up')).toBe('444444')
  })

  it('waits for a code sent after `since`, ignoring older ones', async () => {
    const email = uniqueEmail()
    send(email, 'forgot-password', '000000')
    local.clock.advance(1_000)
    const since = new Date(local.clock.now())
    setTimeout(() => send(email, 'forgot-password', '555555'), 250)

    expect(await latestCode(local.aws.url, email, 'forgot-password', { since })).toBe('555555')
  })

  it('says what it waited for when no code comes', async () => {
    const email = uniqueEmail()

    await expect(latestCode(local.aws.url, email, 'sign-up', { timeoutMs: 300 })).rejects.toThrow(
      `No sign-up code for ${email} in the local AWS outbox after 300 ms`,
    )
  })
})

describe('uniqueEmail', () => {
  it('gives a different address on every call', () => {
    const addresses = new Set(Array.from({ length: 100 }, () => uniqueEmail('photo')))

    expect(addresses.size).toBe(100)
    expect([...addresses].every((address) => /^photo-[a-z0-9]+-[0-9a-f]{6}@example\.com$/.test(address))).toBe(true)
  })
})
