import type { CDPSession, Page } from 'playwright-core'

const SERVICES: Record<string, string> = {
  AWSCognitoIdentityProviderService: 'cognito-idp',
  AWSCognitoIdentityService: 'cognito-identity',
}

/** What a request looks like on the wire, as the DevTools protocol reports it. */
interface WireRequest {
  method: string
  url: string
  headers: Record<string, string>
}

/**
 * What a request to local AWS is: `cognito-idp InitiateAuth` from its X-Amz-Target, `s3 PUT /{bucket}/protected/…`
 * for S3 (keys shortened so that runs compare), `CORS preflight` for an OPTIONS.
 */
function describeAwsRequest({ method, url, headers }: WireRequest, awsUrl: string): string {
  if (method === 'OPTIONS') return 'CORS preflight'
  const target = Object.entries(headers).find(([name]) => name.toLowerCase() === 'x-amz-target')?.[1]
  if (target) {
    const [service = '', operation = ''] = target.split('.')
    return `${SERVICES[service] ?? service} ${operation}`
  }
  const { pathname, searchParams } = new URL(url.slice(awsUrl.length), 'http://s3')
  const [, bucket = '', prefix] = pathname.split('/')
  return `s3 ${method} /${bucket}${prefix ? `/${prefix}/…` : ''}${searchParams.has('X-Amz-Signature') ? ' (presigned)' : ''}`
}

interface Recorded {
  phase: string
  label: string
  method: string
  /** From the headers the network stack actually sent. */
  bodyBytes?: number
}

/**
 * Counts a page's requests to local AWS per phase of a journey. It listens over the DevTools protocol because
 * Playwright's request events leave out CORS preflights, which are round trips a rider waits for too.
 */
export class AwsCallLog {
  private current = ''
  private readonly recorded = new Map<string, Recorded>()
  private readonly inFlight = new Set<string>()
  private lastActivity = Date.now()

  private constructor(private readonly awsUrl: string) {}

  /** Starts listening to `page`'s network; call before the page loads anything. */
  static async attach(page: Page, awsUrl: string): Promise<AwsCallLog> {
    const log = new AwsCallLog(awsUrl)
    const session = await page.context().newCDPSession(page)
    log.listen(session)
    await session.send('Network.enable')
    return log
  }

  private listen(session: CDPSession): void {
    const isAws = (url: string) => url.startsWith(`${this.awsUrl}/`) && !new URL(url).pathname.startsWith('/_local/')
    session.on('Network.requestWillBeSent', ({ requestId, request }) => {
      if (!isAws(request.url)) return
      this.recorded.set(requestId, { phase: this.current, label: describeAwsRequest(request, this.awsUrl), method: request.method })
      this.inFlight.add(requestId)
      this.lastActivity = Date.now()
    })
    session.on('Network.requestWillBeSentExtraInfo', ({ requestId, headers }) => {
      const recorded = this.recorded.get(requestId)
      const length = Object.entries(headers).find(([name]) => name.toLowerCase() === 'content-length')?.[1]
      if (recorded && length !== undefined) recorded.bodyBytes = Number(length)
    })
    const settle = ({ requestId }: { requestId: string }) => {
      if (this.inFlight.delete(requestId)) this.lastActivity = Date.now()
    }
    session.on('Network.loadingFinished', settle)
    session.on('Network.loadingFailed', settle)
  }

  /** Requests from now on count towards `name`. */
  startPhase(name: string): void {
    this.current = name
  }

  /**
   * Resolves once no request to AWS has been in flight for `quietMs` (the app's background calls after a page shows,
   * e.g. a GetUser, belong to the phase that caused them); gives up after `timeoutMs`.
   */
  async settle(quietMs = 500, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline && (this.inFlight.size > 0 || Date.now() - this.lastActivity < quietMs)) {
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }

  /** `{ 'cognito-idp InitiateAuth': 1, … }` for one phase. */
  countsOf(phase: string): Record<string, number> {
    const counts: Record<string, number> = {}
    for (const entry of this.recorded.values()) {
      if (entry.phase === phase) counts[entry.label] = (counts[entry.label] ?? 0) + 1
    }
    return counts
  }

  /** Body bytes of the phase's PUT requests (S3 uploads), from their Content-Length as sent. */
  uploadedBytes(phase: string): number {
    let bytes = 0
    for (const entry of this.recorded.values()) if (entry.phase === phase && entry.method === 'PUT') bytes += entry.bodyBytes ?? 0
    return bytes
  }
}
