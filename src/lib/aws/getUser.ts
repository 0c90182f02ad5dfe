/*
 * GetUser: the user-pool call every visit of /profile makes, sent with amazon-cognito-identity-js's own HTTP client and
 * the stored access token, so that it needs neither the rest of the library (~27 KiB gzipped, loaded only to sign in,
 * refresh tokens or change something) nor a second request for the two-step sign-in setting.
 * docs/aws-behaviour.md#getuser-without-the-rest-of-the-library
 */
import Client from 'amazon-cognito-identity-js/es/Client'
import { attributesOf, type UserAttributes } from './claims'
import { getAwsConfig } from './config'
import { freshTokens } from './storedSession'

/** Whether sign-in asks this rider for an authenticator code (GetUser's `UserMFASettingList`). */
export interface TwoStepSignIn {
  isOn: boolean
}

/** What the user pool holds of the signed-in rider now. */
export interface RiderAccount {
  attributes: UserAttributes
  twoStepSignIn: TwoStepSignIn
}

/** GetUser's answer, as far as the app reads it. https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetUser.html */
interface GetUserResponse {
  UserAttributes?: { Name: string; Value?: string }[]
  UserMFASettingList?: string[]
}

let client: Client | undefined
/** The request under way: the page's sections ask at once, and one answer serves them all. */
let inFlight: Promise<RiderAccount> | undefined

/** The client `CognitoUserPool` builds, for the same region (the pool id's prefix) and endpoint. */
function userPoolClient(): Client {
  if (!client) {
    const { userPoolId, endpoint } = getAwsConfig()
    client = new Client(userPoolId.split('_')[0] ?? '', endpoint)
  }
  return client
}

async function fetchRiderAccount(): Promise<RiderAccount> {
  const { accessToken } = await freshTokens()
  const response = (await userPoolClient().promisifyRequest('GetUser', { AccessToken: accessToken })) as GetUserResponse
  const attributes = Object.fromEntries((response.UserAttributes ?? []).map(({ Name, Value }) => [Name, Value]))
  return {
    attributes: attributesOf(attributes),
    twoStepSignIn: { isOn: response.UserMFASettingList?.includes('SOFTWARE_TOKEN_MFA') ?? false },
  }
}

/**
 * The rider's attributes and two-step sign-in setting (GetUser); callers while a request is under way share it.
 * @param isAfterWrite ask anew rather than share: a request under way may have been sent before the caller's write
 * @throws NotSignedInError when nobody is signed in; the user pool's errors (NotAuthorizedException for a revoked token)
 */
export function getUser({ isAfterWrite = false }: { isAfterWrite?: boolean } = {}): Promise<RiderAccount> {
  if (inFlight && !isAfterWrite) return inFlight
  const fetching = fetchRiderAccount().finally(() => {
    if (inFlight === fetching) inFlight = undefined
  })
  inFlight = fetching
  return fetching
}
