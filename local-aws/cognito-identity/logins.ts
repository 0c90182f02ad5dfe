import type { GetIdCommandInput } from '@aws-sdk/client-cognito-identity'
import { errors as joseErrors } from 'jose'
import type { Clock } from '../clock.ts'
import type { UserPoolTokenStatus } from '../cognito-idp/tokens.ts'
import { notAuthorized } from '../errors.ts'
import type { SigningKeys } from '../keys.ts'
import { stringMap, type UncheckedInput } from '../protocol/jsonInput.ts'
import type { IdentityPoolModel } from '../template/model.ts'

/** A login of the `Logins` map whose ID token checked out. */
export interface VerifiedLogin {
  providerName: string
  /** The rider's `sub` in the user pool. */
  sub: string
}

const NOT_SUPPORTED_PROVIDER = 'Token is not from a supported provider of this identity pool.'
// AWS documents only "a 400 Not Authorized error" for a signed-out or deleted user; this wording is ours.
// https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_CognitoIdentityProvider.html
const TOKEN_REVOKED = 'Invalid login token. Token has been revoked'

/** What checking the tokens of `Logins` takes: the user pools' signing keys, the clock, and the user pools themselves. */
export interface LoginCheckServices {
  keys: SigningKeys
  clock: Clock
  userPools: UserPoolTokenStatus
}

/**
 * Reads the `Logins` input (provider name → token); anything but a map of strings is the JSON protocol's
 * SerializationException, as at the user pool.
 */
export function loginsOf(input: UncheckedInput<Pick<GetIdCommandInput, 'Logins'>>): Record<string, string> {
  return stringMap(input, 'Logins')
}

/**
 * Checks the ID tokens of a `Logins` map as the identity pool does: the provider must be configured on the pool, the
 * token signed by the user pool's key, its `iss` the provider, its `aud` one of the pool's client ids for that provider,
 * `token_use` `id`, and not expired. With ServerSideTokenCheck on that provider and client, the user pool must also
 * still hold the token's sign-in (no GlobalSignOut, RevokeToken or DeleteUser since). Any failure refuses the whole request.
 * https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-integrating-user-pools-with-identity-pools.html
 */
export async function verifyLogins(
  pool: IdentityPoolModel,
  logins: Record<string, string>,
  { keys, clock, userPools }: LoginCheckServices,
): Promise<VerifiedLogin[]> {
  const verified: VerifiedLogin[] = []
  for (const [providerName, token] of Object.entries(logins)) {
    const links = pool.providers.filter((provider) => provider.providerName === providerName)
    if (links.length === 0) throw notAuthorized(NOT_SUPPORTED_PROVIDER)
    let claims
    try {
      claims = await keys.verify(token, { issuer: `https://${providerName}`, audience: links.map((link) => link.clientId) })
    } catch (error) {
      throw notAuthorized(refusalMessage(error, clock))
    }
    if (claims.token_use !== 'id' || typeof claims.sub !== 'string') throw notAuthorized('Invalid login token. Not a Cognito ID token.')
    const isCheckedServerSide = links.some((link) => link.serverSideTokenCheck && link.clientId === claims.aud)
    if (isCheckedServerSide && !userPools.isIdTokenActive(claims)) throw notAuthorized(TOKEN_REVOKED)
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
