/*
 * GetUser, the call every visit of /profile makes: through the JSON client, without the user-pool library, one request
 * for the attributes and the two-step sign-in setting. docs/aws-behaviour.md#getuser-without-the-rest-of-the-library
 */
import { attributesOf, type UserAttributes } from './claims'
import { freshTokens } from './tokens'
import { sendUserPoolRequest } from './userPoolClient'

/** Whether sign-in asks this rider for an authenticator code (GetUser's `UserMFASettingList`). */
export interface TwoStepSignIn {
  isOn: boolean
}

/** What the user pool holds of the signed-in rider now. */
export interface RiderAccount {
  attributes: UserAttributes
  twoStepSignIn: TwoStepSignIn
}

/** The request under way: the page's sections ask at once, and one answer serves them all. */
let inFlight: Promise<RiderAccount> | undefined

async function fetchRiderAccount(): Promise<RiderAccount> {
  const { accessToken } = await freshTokens()
  // https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetUser.html
  const response = await sendUserPoolRequest('GetUser', { AccessToken: accessToken })
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
