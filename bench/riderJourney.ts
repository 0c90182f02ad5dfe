import type { Browser, Page } from 'playwright-core'
import type { AppStack } from '../tests/support/appStack.ts'
import { makePhotoJpeg } from '../tests/support/photo.ts'
import { newRider } from '../tests/support/riders.ts'
import { AwsCallLog } from './awsCalls.ts'
import { confirmSignUp, NotAvailableYet, signIn, signUp, uploadPhoto, waitForPhotoFromAws } from './journey.ts'

/** A measurement, or why there is none: the app lacks what it needs (`notAvailableYet`) or it broke (`failed`). */
export type Outcome<T> = { value: T } | { notAvailableYet: string } | { failed: string }

export interface PhaseCalls {
  phase: string
  outcome: Outcome<Record<string, number>>
}

export interface PhotoUpload {
  width: number
  height: number
  originalBytes: number
  uploadedBytes: number
}

export interface JourneyResult {
  phases: PhaseCalls[]
  photo: Outcome<PhotoUpload>
}

const PHOTO = { width: 4000, height: 3000, gps: { latitude: 47.6062, longitude: -122.3321 } }

function outcomeOf(error: unknown): { notAvailableYet: string } | { failed: string } {
  if (error instanceof NotAvailableYet) return { notAvailableYet: error.message }
  return { failed: error instanceof Error ? error.message.split('\n')[0] ?? error.name : String(error) }
}

/**
 * A new rider's journey in Chromium, counting the requests each phase makes to local AWS: sign up, confirm, sign in,
 * upload a 12-megapixel photo, then in a fresh browser (as after closing it) sign in until the photo is displayed.
 * Each phase needs the previous one; after the first that cannot run, the rest say why.
 */
export async function measureRiderJourney(browser: Browser, stack: AppStack): Promise<JourneyResult> {
  const rider = newRider({ name: 'Bench Rider' })
  const photoPage = await browser.newPage()
  const photo = await makePhotoJpeg(photoPage, PHOTO)
  await photoPage.close()

  const openPage = async (): Promise<{ page: Page; calls: AwsCallLog }> => {
    const page = await (await browser.newContext({ baseURL: stack.appUrl })).newPage()
    return { page, calls: await AwsCallLog.attach(page, stack.awsUrl) }
  }
  const first = await openPage()
  const again = await openPage()
  const steps: [phase: string, tab: { page: Page; calls: AwsCallLog }, run: (page: Page) => Promise<void>][] = [
    ['sign up', first, (page) => signUp(page, rider)],
    ['confirm the code', first, (page) => confirmSignUp(page, stack.awsUrl, rider.email)],
    ['sign in → profile shown', first, (page) => signIn(page, rider)],
    ['upload a 12 MP photo', first, (page) => uploadPhoto(page, stack.awsUrl, photo)],
    ['new browser: sign in → photo shown', again, async (page) => {
      await signIn(page, rider)
      await waitForPhotoFromAws(page, stack.awsUrl)
    }],
  ]

  const phases: PhaseCalls[] = []
  let blocked: string | undefined
  try {
    for (const [phase, { page, calls }, run] of steps) {
      if (blocked) {
        phases.push({ phase, outcome: { notAvailableYet: `needs "${blocked}"` } })
        continue
      }
      calls.startPhase(phase)
      try {
        await run(page)
        await calls.settle()
        phases.push({ phase, outcome: { value: calls.countsOf(phase) } })
      } catch (error) {
        phases.push({ phase, outcome: outcomeOf(error) })
        blocked = phase
      }
    }
    const upload = phases.find(({ phase }) => phase === 'upload a 12 MP photo')?.outcome
    const photoOutcome: Outcome<PhotoUpload> =
      upload && 'value' in upload
        ? {
            value: {
              width: PHOTO.width,
              height: PHOTO.height,
              originalBytes: photo.length,
              uploadedBytes: first.calls.uploadedBytes('upload a 12 MP photo'),
            },
          }
        : (upload ?? { failed: 'the upload phase did not run' })
    return { phases, photo: photoOutcome }
  } finally {
    await Promise.all([first.page.context().close(), again.page.context().close()])
  }
}
