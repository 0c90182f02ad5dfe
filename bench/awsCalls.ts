import type { BrowserContext, Request } from 'playwright-core'

const SERVICES: Record<string, string> = {
  AWSCognitoIdentityProviderService: 'cognito-idp',
  AWSCognitoIdentityService: 'cognito-identity',
}

/**
 * What a request to local AWS is: `cognito-idp InitiateAuth` from its X-Amz-Target, `s3 PUT /{bucket}/protected/…`
 * for S3 (ids and file names shortened so that runs compare), `preflight` for a CORS OPTIONS.
 */
export function describeAwsRequest(request: Request, awsUrl: string): string {
  if (request.method() === 'OPTIONS') return 'preflight (CORS OPTIONS)'
  const target = request.headers()['x-amz-target']
  if (target) {
    const [service = '', operation = ''] = target.split('.')
    return `${SERVICES[service] ?? service} ${operation}`
  }
  const url = new URL(request.url().slice(awsUrl.length), 'http://s3')
  const [, bucket = '', ...key] = url.pathname.split('/')
  const query = url.searchParams.has('X-Amz-Signature') ? ' (presigned)' : ''
  return `s3 ${request.method()} /${bucket}${key.length > 0 ? `/${key[0]}/…` : ''}${query}`
}

interface Recorded {
  phase: string
  label: string
  request: Request
}

/** Counts a browser context's requests to local AWS, per phase of a journey. */
export class AwsCallLog {
  private current = ''
  private readonly recorded: Recorded[] = []

  constructor(context: BrowserContext, private readonly awsUrl: string) {
    context.on('request', (request) => {
      if (!request.url().startsWith(`${awsUrl}/`) || new URL(request.url()).pathname.startsWith('/_local/')) return
      this.recorded.push({ phase: this.current, label: describeAwsRequest(request, awsUrl), request })
    })
  }

  /** Requests from now on count towards `name`. */
  startPhase(name: string): void {
    this.current = name
  }

  /** `{ 'cognito-idp InitiateAuth': 1, … }` for one phase, preflights included (each is a round trip). */
  countsOf(phase: string): Record<string, number> {
    const counts: Record<string, number> = {}
    for (const { label } of this.recorded.filter((entry) => entry.phase === phase)) counts[label] = (counts[label] ?? 0) + 1
    return counts
  }

  /** Body bytes of the phase's S3 PUT requests (read after they finished). */
  async uploadedBytes(phase: string): Promise<number> {
    const puts = this.recorded.filter((entry) => entry.phase === phase && entry.request.method() === 'PUT')
    const sizes = await Promise.all(puts.map(async ({ request }) => (await request.sizes()).requestBodySize))
    return sizes.reduce((sum, size) => sum + size, 0)
  }
}
