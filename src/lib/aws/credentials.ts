/*
 * The signed-in rider's temporary AWS credentials from the identity pool. Imported lazily (with s3.ts) on /profile.
 */
// Not the umbrella @aws-sdk/credential-providers, which drags Node-only providers into the browser build.
// docs/aws-behaviour.md#the-credential-provider-package
import { fromCognitoIdentityPool, type CognitoIdentityCredentials } from '@aws-sdk/credential-provider-cognito-identity'
import { getAwsConfig } from './config'
import { NotSignedInError } from './errors'
import { currentClaims, freshIdToken, onSignedOut } from './tokens'

/** Credentials this close to expiry are fetched again, as the AWS SDK does for its own clients. */
const REFRESH_MARGIN_MS = 5 * 60 * 1000

/** One rider's credentials; a new rider on the same browser gets a new object (docs/aws-behaviour.md#identity-ids-are-cached-per-rider). */
export interface RiderCredentials {
  /** The user-pool `sub` of the rider these credentials belong to. */
  readonly sub: string
  /**
   * Resolves the credentials, fetching them (GetId once, then GetCredentialsForIdentity) only when none are held or
   * those held expire within five minutes. Give it to every client as `credentials`.
   */
  readonly provider: () => Promise<CognitoIdentityCredentials>
  /** The identity id (`region:uuid`), which keys the rider's S3 prefix; read from the credentials, at no extra call. */
  identityId(): Promise<string>
}

let current: RiderCredentials | undefined

onSignedOut(() => {
  current = undefined
})

function needsRefresh(credentials: CognitoIdentityCredentials, now = Date.now()): boolean {
  return credentials.expiration !== undefined && credentials.expiration.getTime() - now < REFRESH_MARGIN_MS
}

/** Shares one fetch between callers (the S3 client, the presigner, the identity id) until it nears expiry. */
function memoize(fetchCredentials: () => Promise<CognitoIdentityCredentials>): () => Promise<CognitoIdentityCredentials> {
  let cached: Promise<CognitoIdentityCredentials> | undefined
  const refetch = () => {
    const pending = fetchCredentials()
    cached = pending
    pending.catch(() => {
      if (cached === pending) cached = undefined
    })
    return pending
  }
  return async () => {
    const pending = cached ?? refetch()
    const credentials = await pending
    if (!needsRefresh(credentials)) return credentials
    // Another caller may already have started the refresh.
    return cached === pending || cached === undefined ? refetch() : cached
  }
}

function createRiderCredentials(sub: string): RiderCredentials {
  const { region, userPoolId, identityPoolId, endpoint } = getAwsConfig()
  const fetchCredentials = fromCognitoIdentityPool({
    identityPoolId,
    // A function, not a token: the provider calls it on every refresh, and a captured token dies after an hour.
    // docs/aws-behaviour.md#logins-return-a-fresh-id-token
    logins: { [`cognito-idp.${region}.amazonaws.com/${userPoolId}`]: freshIdToken },
    // Keys the cached identity id by rider, so the next rider on this browser does not get this one's.
    // docs/aws-behaviour.md#identity-ids-are-cached-per-rider
    userIdentifier: sub,
    // localStorage, not the SDK's default IndexedDB: its answers are events, which on a slow phone queue behind the
    // page's first render (docs/performance.md#the-identity-id-is-read-at-once).
    cache: localStorage,
    // Config, not a client: the provider lazy-loads its own Cognito client either way, and a second one costs bytes.
    // docs/aws-behaviour.md#the-credential-provider-package
    clientConfig: { region, ...(endpoint ? { endpoint } : {}) },
  })
  const provider = memoize(() => fetchCredentials())
  return {
    sub,
    provider,
    identityId: async () => (await provider()).identityId,
  }
}

/**
 * The signed-in rider's credentials: the same object for as long as they stay signed in, dropped on sign-out.
 * @throws NotSignedInError when nobody is signed in
 */
export async function getRiderCredentials(): Promise<RiderCredentials> {
  const claims = await currentClaims()
  if (!claims) throw new NotSignedInError()
  if (current?.sub !== claims.sub) current = createRiderCredentials(claims.sub)
  return current
}
