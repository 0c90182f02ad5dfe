import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestAws } from '../support/localAws.ts'
import { expectAwsError, useTestAws } from '../support/localAwsHooks.ts'
import { latestCode } from '../support/mailbox.ts'
import { signInNewRider } from '../support/riders.ts'

// A phone code needs SMS on the user pool (docs/aws-behaviour.md#sms-needs-the-pools-sms-configuration).

async function outboxFor(awsUrl: string, to: string): Promise<unknown[]> {
  const messages = (await (await fetch(`${awsUrl}/_local/outbox`)).json()) as { to: string }[]
  return messages.filter((message) => message.to === to)
}

describe('the template as it is (no SMS)', () => {
  const local = useTestAws()

  it("refuses a phone code with AWS's error, and sends nothing", async () => {
    const { browser, rider } = await signInNewRider(local.aws)

    await expectAwsError(
      browser.getAttributeVerificationCode('phone_number'),
      'InvalidParameterException',
      'Invalid phone number provided/Unable to send the message. User pool does not have SMS configuration to send messages.',
    )
    expect(await outboxFor(local.aws.url, rider.phone)).toEqual([])
  })

  it('tells the app phone numbers cannot be verified', () => {
    expect(local.aws.viteEnv.VITE_SMS_VERIFICATION).toBe('false')
  })
})

describe('the template with EnableSms=true', () => {
  let started: Awaited<ReturnType<typeof startTestAws>>
  beforeAll(async () => {
    started = await startTestAws({ parameters: { EnableSms: 'true' } })
  })
  afterAll(() => started.stop())

  it('texts the code, which verifies the phone number', async () => {
    const { browser, rider } = await signInNewRider(started.aws)

    expect(await browser.getAttributeVerificationCode('phone_number')).toEqual({
      CodeDeliveryDetails: {
        AttributeName: 'phone_number',
        DeliveryMedium: 'SMS',
        Destination: `+${'*'.repeat(rider.phone.length - 5)}${rider.phone.slice(-4)}`,
      },
    })
    expect(await outboxFor(started.aws.url, rider.phone)).toEqual([expect.objectContaining({ kind: 'verify-attribute', medium: 'SMS' })])
    expect(await browser.verifyAttribute('phone_number', await latestCode(started.aws.url, rider.phone, 'verify-attribute'))).toBe('SUCCESS')
    expect(await browser.attributes()).toMatchObject({ phone_number_verified: 'true' })
    expect(started.aws.viteEnv.VITE_SMS_VERIFICATION).toBe('true')
  })
})
