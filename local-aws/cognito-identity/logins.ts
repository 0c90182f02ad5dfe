import { errors as joseErrors } from 'jose'
import type { Clock } from '../clock.ts'
import { AwsError, invalidParameter } from '../errors.ts'
import type { SigningKeys } from '../keys.ts'
import type { IdentityPoolModel } from '../template/provision.ts'

/** A login of the `Logins` map whose ID token checked out. */
export interface VerifiedLogin {
  providerName: string
  /** The rider's `sub` in the user pool. */
  sub: string
}

/** Cognito answers every refused login with NotAuthorizedException; the messages below are AWS's own wording. */
export function notAuthorized(message: string): AwsError {
  return new AwsError('NotAuthorizedException', message)
}

const NOT_SUPPORTED_PROVIDER = 'Token is not from a supported provider of this identity pool.'

/** Reads the `Logins` input (provider name → token), refusing anything that is not a map of strings. */
export function loginsOf(input: Record<string, unknown>): Record<string, string> {
  const logins = input.Logins
  if (logins === undefined || logins === null) return {}
  if (typeof logins !== 'object' || Array.isArray(logins) || Object.values(logins).some((token) => typeof token !== 'string')) {
    throw invalidParameter('Logins must be a map of provider names to tokens')
  }
  return logins as Record<string, string>
}

/**
 * Checks the ID tokens of a `Logins` map as the identity pool does: the provider must be configured on the pool, the
 * token signed by the user pool's key, its `iss` the provider, its `aud` one of the pool's client ids for that provider,
 * `token_use` `id`, and not expired. Any failure refuses the whole request.
 * https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-integrating-user-pools-with-identity-pools.html
 */
export async function verifyLogins(
  pool: IdentityPoolModel,
  logins: Record<string, string>,
  keys: SigningKeys,
  clock: Clock,
): Promise<VerifiedLogin[]> {
  const verified: VerifiedLogin[] = []
  for (const [providerName, token] of Object.entries(logins)) {
    const clientIds = pool.providers.filter((provider) => provider.providerName === providerName).map((provider) => provider.clientId)
    if (clientIds.length === 0) throw notAuthorized(NOT_SUPPORTED_PROVIDER)
    let claims
    try {
      claims = await keys.verify(token, { issuer: `https://${providerName}`, audience: clientIds })
    } catch (error) {
      throw notAuthorized(refusalMessage(error, clock))
    }
    if (claims.token_use !== 'id' || typeof claims.sub !== 'string') throw notAuthorized('Invalid login token. Not a Cognito ID token.')
    verified.push({ providerName, sub: claims.sub })
  }
  return verified
}

function refusalMessage(error: unknown, clock: Clock): string {
  if (error instanceof joseErrors.JWTExpired) {
    const now = Math.floor(clock.now() / 1000)
    return `Invalid login token. Token expired: ${now} >= ${String(error.payload.exp)}`
  }
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return "Invalid login token. Issuer doesn't match providerName"
    if (error.claim === 'aud') {
      // An access token carries client_id, not aud: AWS names the missing claim.
      return error.payload.aud === undefined ? 'Invalid login token. Missing a required claim: aud' : NOT_SUPPORTED_PROVIDER
    }
  }
  return "Invalid login token. Couldn't verify signed token."
}
