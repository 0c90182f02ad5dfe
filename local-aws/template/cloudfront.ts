/** Builders for the CloudFront distribution local AWS's site server reproduces, with its function and headers policy. */
import type { BucketModel, DistributionModel, ResponseHeader } from './model.ts'
import { toBoolean, type Properties } from './properties.ts'

/** A CloudFront Function's source. Only JavaScript functions exist; the runtime is checked so a new one is noticed. */
export function cloudFrontFunctionCode(logicalId: string, properties: Properties): string {
  const runtime = String((properties.FunctionConfig as Properties | undefined)?.Runtime ?? '')
  if (!['cloudfront-js-1.0', 'cloudfront-js-2.0'].includes(runtime)) {
    throw new Error(`Local AWS cannot run ${logicalId}: unknown CloudFront Functions runtime "${runtime}"`)
  }
  return String(properties.FunctionCode ?? '')
}

/**
 * The headers a response headers policy adds, named and formatted as CloudFront sends them. Parts local AWS does not
 * reproduce (CORS, removed headers, Server-Timing) are a start-up error rather than silently missing locally.
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/understanding-response-headers-policies.html
 */
export function responseHeaders(logicalId: string, properties: Properties): ResponseHeader[] {
  const config = (properties.ResponseHeadersPolicyConfig ?? {}) as Properties
  for (const unsupported of ['CorsConfig', 'RemoveHeadersConfig', 'ServerTimingHeadersConfig']) {
    if (config[unsupported] !== undefined) throw new Error(`Local AWS does not reproduce ${logicalId}.${unsupported}`)
  }
  const security = (config.SecurityHeadersConfig ?? {}) as Record<string, Properties | undefined>
  const headers: ResponseHeader[] = []
  const add = (name: string, value: string | undefined) => value !== undefined && headers.push({ name, value })
  add('Content-Security-Policy', security.ContentSecurityPolicy && String(security.ContentSecurityPolicy.ContentSecurityPolicy))
  const hsts = security.StrictTransportSecurity
  add(
    'Strict-Transport-Security',
    hsts &&
      [`max-age=${Number(hsts.AccessControlMaxAgeSec)}`, toBoolean(hsts.IncludeSubdomains, false) && 'includeSubDomains', toBoolean(hsts.Preload, false) && 'preload']
        .filter(Boolean)
        .join('; '),
  )
  add('X-Content-Type-Options', security.ContentTypeOptions && 'nosniff')
  add('Referrer-Policy', security.ReferrerPolicy && String(security.ReferrerPolicy.ReferrerPolicy))
  add('X-Frame-Options', security.FrameOptions && String(security.FrameOptions.FrameOption))
  const xss = security.XSSProtection
  add(
    'X-XSS-Protection',
    xss &&
      (toBoolean(xss.Protection, false)
        ? ['1', toBoolean(xss.ModeBlock, false) && 'mode=block', xss.ReportUri !== undefined && `report=${String(xss.ReportUri)}`].filter(Boolean).join('; ')
        : '0'),
  )
  const custom = ((config.CustomHeadersConfig as Properties | undefined)?.Items ?? []) as Properties[]
  for (const item of custom) add(String(item.Header), String(item.Value))
  return headers
}

export interface DistributionParts {
  id: string
  arn: string
  domainName: string
  buckets: BucketModel[]
  /** Function source by FunctionARN. */
  functions: Record<string, string>
  /** Headers by response headers policy id. */
  headersPolicies: Record<string, ResponseHeader[]>
}

/**
 * The distribution as local AWS serves it: its default cache behaviour only, whose origin must be one of the
 * template's buckets behind Origin Access Control. Anything local AWS would serve differently is a start-up error.
 */
export function distributionModel(logicalId: string, properties: Properties, parts: DistributionParts): DistributionModel {
  const config = (properties.DistributionConfig ?? {}) as Properties
  for (const unsupported of ['CacheBehaviors', 'CustomErrorResponses', 'OriginGroups', 'DefaultCacheBehavior.LambdaFunctionAssociations']) {
    const [first, second] = unsupported.split('.') as [string, string | undefined]
    const value = second ? (config[first] as Properties | undefined)?.[second] : config[first]
    if (value !== undefined && !(Array.isArray(value) && value.length === 0)) {
      throw new Error(`Local AWS does not reproduce ${logicalId}.${unsupported}`)
    }
  }
  const behaviour = (config.DefaultCacheBehavior ?? {}) as Properties
  const origin = ((config.Origins ?? []) as Properties[]).find((candidate) => candidate.Id === behaviour.TargetOriginId)
  const bucket = parts.buckets.find((candidate) => String(origin?.DomainName ?? '').startsWith(`${candidate.name}.s3.`))
  if (!origin || !bucket || origin.OriginAccessControlId === undefined) {
    throw new Error(`Local AWS serves ${logicalId} only from a bucket of the template through Origin Access Control`)
  }
  const associations = (behaviour.FunctionAssociations ?? []) as Properties[]
  const viewerRequest = associations.find((association) => association.EventType === 'viewer-request')
  if (associations.some((association) => association.EventType !== 'viewer-request')) {
    throw new Error(`Local AWS runs only viewer-request functions (${logicalId})`)
  }
  const functionArn = viewerRequest && String(viewerRequest.FunctionARN)
  if (functionArn !== undefined && parts.functions[functionArn] === undefined) {
    throw new Error(`${logicalId} names a CloudFront Function the template does not define: ${functionArn}`)
  }
  const headersPolicyId = behaviour.ResponseHeadersPolicyId === undefined ? undefined : String(behaviour.ResponseHeadersPolicyId)
  const headers = headersPolicyId === undefined ? [] : parts.headersPolicies[headersPolicyId]
  if (!headers) throw new Error(`${logicalId} names a response headers policy the template does not define: ${headersPolicyId}`)
  return {
    logicalId,
    id: parts.id,
    arn: parts.arn,
    domainName: parts.domainName,
    originBucket: bucket.name,
    ...(config.DefaultRootObject !== undefined && { defaultRootObject: String(config.DefaultRootObject) }),
    ...(functionArn !== undefined && { viewerRequestFunction: parts.functions[functionArn] }),
    responseHeaders: headers,
    compress: behaviour.Compress === true || behaviour.Compress === 'true',
  }
}
