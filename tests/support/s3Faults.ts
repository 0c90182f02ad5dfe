/*
 * S3 failures a rider's browser can meet, provoked in the browser's network layer: an answer S3 gives (its status and
 * its XML error document, rendered by local AWS's own S3 error writer), a request dated by a wrong clock that local AWS
 * itself refuses, or a cut connection. The app's code runs untouched, its S3 client parses the real bytes.
 */
import type { Page, Request } from 'playwright-core'
import { AwsError } from '../../local-aws/errors.ts'
import { renderS3Error } from '../../local-aws/s3/xml.ts'

/**
 * The S3 errors the app has words for, with the status and message S3 answers them with.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList
 */
export const S3_ERRORS = {
  AccessDenied: { status: 403, message: 'Access Denied' },
  ExpiredToken: { status: 400, message: 'The provided token has expired.' },
  InternalError: { status: 500, message: 'We encountered an internal error. Please try again.' },
  ServiceUnavailable: { status: 503, message: 'Reduce your request rate.' },
  SlowDown: { status: 503, message: 'Please reduce your request rate.' },
} as const

export type S3ErrorCode = keyof typeof S3_ERRORS

/** Local AWS's answer to a request dated too far from its clock, as S3's: RequestTimeTooSkewed, 403. */
const SKEWED_STATUS = 403

/** Which of the page's requests to S3 a fault applies to, e.g. the photo's PUT or the account deletion's listing. */
export type S3RequestFilter = (request: Request) => boolean

/** The upload of a photo (a PUT under `protected/`). */
export const PHOTO_PUT: S3RequestFilter = (request) => request.method() === 'PUT' && new URL(request.url()).pathname.includes('/protected/')
/** The listing of the rider's photos (ListObjectsV2) that deleting the account starts with. */
export const PHOTO_LISTING: S3RequestFilter = (request) => request.method() === 'GET' && new URL(request.url()).searchParams.get('list-type') === '2'

/** Chromium's console line for a request S3 refused with `code`: what the test declares with `allowFailedRequests`. */
export function failedRequestLine(code: S3ErrorCode | 'RequestTimeTooSkewed'): string {
  return `status of ${code === 'RequestTimeTooSkewed' ? SKEWED_STATUS : S3_ERRORS[code].status}`
}

/**
 * From now on S3 answers the page's requests that `filter` picks with `code`, as S3 would: its status, its XML error
 * document, and the CORS headers the bucket's rule adds for the site's origin.
 */
export async function answerS3With(page: Page, awsUrl: string, filter: S3RequestFilter, code: S3ErrorCode): Promise<void> {
  const { status, message } = S3_ERRORS[code]
  await page.route(
    (url) => url.href.startsWith(`${awsUrl}/`),
    (route, request) => {
      if (!filter(request)) return route.fallback()
      const url = new URL(request.url())
      const requestId = crypto.randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase()
      const body = renderS3Error(new AwsError(code, message, status), { requestId, hostId: requestId, resource: url.pathname })
      return route.fulfill({
        status,
        contentType: 'application/xml',
        headers: { 'Access-Control-Allow-Origin': request.headers().origin ?? '*', 'x-amz-request-id': requestId },
        body,
      })
    },
  )
}

/**
 * From now on the page's requests that `filter` picks are dated `minutes` behind, as by a device whose clock is wrong,
 * and sent on to local AWS, which refuses them (RequestTimeTooSkewed) itself: the skew is checked before the signature.
 */
export async function skewS3Clock(page: Page, awsUrl: string, filter: S3RequestFilter, minutes: number): Promise<void> {
  await page.route(
    (url) => url.href.startsWith(`${awsUrl}/`),
    async (route, request) => {
      if (!filter(request)) return route.fallback()
      const headers = request.headers()
      const date = headers['x-amz-date']
      if (!date) return route.fallback()
      const sent = new Date(date.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'))
      const skewed = new Date(sent.getTime() - minutes * 60_000).toISOString().replace(/[-:]|\.\d{3}/g, '')
      return route.fulfill({ response: await route.fetch({ headers: { ...headers, 'x-amz-date': skewed } }) })
    },
  )
}

/** From now on the page's requests that `filter` picks never get an answer: the connection is cut. */
export async function cutS3Requests(page: Page, awsUrl: string, filter: S3RequestFilter): Promise<void> {
  await page.route(
    (url) => url.href.startsWith(`${awsUrl}/`),
    (route, request) => (filter(request) ? route.abort('internetdisconnected') : route.fallback()),
  )
}
