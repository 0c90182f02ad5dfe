import { afterEach, describe, expect, it } from 'vitest'
import { DAILY_EMAIL_LIMIT_MESSAGE, DEFAULT_SENDER_DAILY_EMAILS } from '../../local-aws/outbox.ts'
import { RiderBrowser, newRider } from '../support/riders.ts'
import { callUserPool, startTestAws, type ScratchLocalAws } from '../support/localAws.ts'
import { expectAwsError } from '../support/localAwsHooks.ts'

// Cognito's default email sender allows 50 emails a day per account (docs/aws-behaviour.md#cognitos-default-email-quota).

let started: Awaited<ReturnType<typeof startTestAws>> | undefined

afterEach(async () => {
  await started?.stop()
  started = undefined
})

/** Signs riders up until the day's emails reach `total` (one email each); returns the browser of the last one. */
async function sendEmails(local: ScratchLocalAws, total: number): Promise<RiderBrowser & { email: string }> {
  const browser = new RiderBrowser(local.aws)
  const last = newRider()
  await browser.signUp(last)
  for (let sent = 1; sent < total; sent++) {
    const rider = newRider()
    const { status } = await callUserPool(local.aws, 'SignUp', {
      ClientId: local.aws.config.userPoolClientId,
      Username: rider.email,
      Password: rider.password,
      UserAttributes: [{ Name: 'email', Value: rider.email }, { Name: 'phone_number', Value: '+14155550123' }, { Name: 'name', Value: rider.name }],
    })
    expect(status).toBe(200)
  }
  return Object.assign(browser, { email: last.email })
}

async function mailboxPage(local: ScratchLocalAws): Promise<string> {
  return (await fetch(`${local.aws.url}/_local/`)).text()
}

describe("Cognito's default email quota", () => {
  it('refuses the 51st email of the UTC day with LimitExceededException when enforced, and sends again the next day', async () => {
    started = await startTestAws({ enforceEmailQuota: true })
    started.clock.set(Date.UTC(2026, 10, 28, 23, 0))
    const browser = await sendEmails(started, DEFAULT_SENDER_DAILY_EMAILS)
    await expectAwsError(browser.resendConfirmationCode(browser.email), 'LimitExceededException', DAILY_EMAIL_LIMIT_MESSAGE)
    await expectAwsError(browser.signUp(newRider()), 'LimitExceededException', DAILY_EMAIL_LIMIT_MESSAGE)
    expect(await mailboxPage(started)).toContain('LimitExceededException')

    started.clock.advance(60 * 60_000)
    expect((await browser.resendConfirmationCode(browser.email)).CodeDeliveryDetails.DeliveryMedium).toBe('EMAIL')
  })

  it('only warns by default: the email is sent and the mailbox page says AWS would refuse it', async () => {
    started = await startTestAws()
    const browser = await sendEmails(started, DEFAULT_SENDER_DAILY_EMAILS - 1)
    expect(await mailboxPage(started)).not.toContain('role="alert"')
    await browser.resendConfirmationCode(browser.email)
    expect(await mailboxPage(started)).toContain('role="alert"')
    expect((await browser.resendConfirmationCode(browser.email)).CodeDeliveryDetails.DeliveryMedium).toBe('EMAIL')
    expect(started.aws.context.outbox.messages).toHaveLength(DEFAULT_SENDER_DAILY_EMAILS + 1)
  })

  it('does not apply to a pool that sends through SES (EmailSendingAccount: DEVELOPER)', async () => {
    started = await startTestAws({ enforceEmailQuota: true, parameters: { SesIdentityArn: 'arn:aws:ses:us-east-1:000000000000:identity/example.com' } })
    expect(started.aws.context.model.userPools[0]!.emailSendingAccount).toBe('DEVELOPER')
    const browser = await sendEmails(started, DEFAULT_SENDER_DAILY_EMAILS)
    expect((await browser.resendConfirmationCode(browser.email)).CodeDeliveryDetails.DeliveryMedium).toBe('EMAIL')
    expect(await mailboxPage(started)).not.toContain('role="alert"')
  })
})
