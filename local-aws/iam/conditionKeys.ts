/**
 * The request context: condition key (lower case, as IAM compares key names case-insensitively) → its values. A key
 * that is absent has no entry.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html
 */
export type RequestContext = Record<string, string[]>

export interface ConditionKey {
  /** Lower case. */
  name: string
  multivalued: boolean
}

/**
 * The keys local AWS puts in a request context: those of an identity-pool role session (set by `sessionContext`), those
 * of the web-identity and service trust checks, and those S3 sends for `ListObjectsV2`. A policy naming any other key is refused at
 * start-up: its condition could never be evaluated as AWS would.
 */
const KNOWN_KEYS: ConditionKey[] = [
  { name: 'aws:userid', multivalued: false },
  // Absent for role sessions; known so that `${aws:username}` behaves as on AWS (the statement does not match).
  { name: 'aws:username', multivalued: false },
  { name: 'aws:principaltype', multivalued: false },
  { name: 'aws:principalarn', multivalued: false },
  { name: 'aws:principalaccount', multivalued: false },
  { name: 'cognito-identity.amazonaws.com:sub', multivalued: false },
  { name: 'cognito-identity.amazonaws.com:aud', multivalued: false },
  { name: 'cognito-identity.amazonaws.com:amr', multivalued: true },
  { name: 's3:prefix', multivalued: false },
  { name: 's3:delimiter', multivalued: false },
  { name: 's3:max-keys', multivalued: false },
  // Those of a service assuming a role on a resource's behalf (Cognito publishing SMS through the pool's SMS role).
  { name: 'sts:externalid', multivalued: false },
  { name: 'aws:sourceaccount', multivalued: false },
  { name: 'aws:sourcearn', multivalued: false },
  // Whether the request came over TLS; local AWS counts loopback as secure (local-aws/iam/secureTransport.ts).
  { name: 'aws:securetransport', multivalued: false },
]

const KEYS_BY_NAME = new Map(KNOWN_KEYS.map((key) => [key.name, key]))

/** The key as the evaluator knows it, or `undefined` for a key it cannot supply. */
export function conditionKeyOf(name: string): ConditionKey | undefined {
  return KEYS_BY_NAME.get(name.toLowerCase())
}

/** A request context from loosely typed values: names lower-cased, single values wrapped, `undefined` dropped. */
export function requestContext(values: Record<string, string | string[] | undefined>): RequestContext {
  const context: RequestContext = {}
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined) context[name.toLowerCase()] = Array.isArray(value) ? value : [value]
  }
  return context
}
