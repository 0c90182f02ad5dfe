/*
 * The user pool's JSON API for the calls amazon-cognito-identity-js does not make for us (GetUser without the library,
 * the token refresh of the stored session, USER_AUTH and the WebAuthn operations of passkeys). Hand-written rather than
 * @aws-sdk/client-cognito-identity-provider: docs/architecture.md#the-user-pools-json-client says why.
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/CommonParameters.html
 */
import type {
  CompleteWebAuthnRegistrationRequest,
  CompleteWebAuthnRegistrationResponse,
  DeleteUserAttributesRequest,
  DeleteUserAttributesResponse,
  DeleteWebAuthnCredentialRequest,
  DeleteWebAuthnCredentialResponse,
  GetUserRequest,
  GetUserResponse,
  InitiateAuthRequest,
  InitiateAuthResponse,
  ListWebAuthnCredentialsRequest,
  ListWebAuthnCredentialsResponse,
  RespondToAuthChallengeRequest,
  RespondToAuthChallengeResponse,
  SetUserMFAPreferenceRequest,
  SetUserMFAPreferenceResponse,
  StartWebAuthnRegistrationRequest,
  StartWebAuthnRegistrationResponse,
  UpdateUserAttributesRequest,
  UpdateUserAttributesResponse,
} from '@aws-sdk/client-cognito-identity-provider'
import { getAwsConfig } from './config'

/** The SDK's types as they travel in JSON: timestamps are epoch seconds there, never `Date`s. */
type Wire<T> = T extends Date ? number : T extends readonly (infer Item)[] ? Wire<Item>[] : T extends object ? { [K in keyof T]: Wire<T[K]> } : T

/** The operations this client sends, as `Name: [request, response]` from the SDK's own types: one line each. */
interface Operations {
  GetUser: [GetUserRequest, GetUserResponse]
  InitiateAuth: [InitiateAuthRequest, InitiateAuthResponse]
  CompleteWebAuthnRegistration: [CompleteWebAuthnRegistrationRequest, CompleteWebAuthnRegistrationResponse]
  DeleteUserAttributes: [DeleteUserAttributesRequest, DeleteUserAttributesResponse]
  DeleteWebAuthnCredential: [DeleteWebAuthnCredentialRequest, DeleteWebAuthnCredentialResponse]
  ListWebAuthnCredentials: [ListWebAuthnCredentialsRequest, ListWebAuthnCredentialsResponse]
  RespondToAuthChallenge: [RespondToAuthChallengeRequest, RespondToAuthChallengeResponse]
  SetUserMFAPreference: [SetUserMFAPreferenceRequest, SetUserMFAPreferenceResponse]
  StartWebAuthnRegistration: [StartWebAuthnRegistrationRequest, StartWebAuthnRegistrationResponse]
  UpdateUserAttributes: [UpdateUserAttributesRequest, UpdateUserAttributesResponse]
}

export type UserPoolOperation = keyof Operations
export type UserPoolRequest<Name extends UserPoolOperation> = Wire<Operations[Name][0]>
export type UserPoolResponse<Name extends UserPoolOperation> = Wire<Operations[Name][1]>

/** A refusal as amazon-cognito-identity-js reports one: `name` and `code` are the error's name, e.g. `NotAuthorizedException`. */
export interface UserPoolError extends Error {
  code: string
  statusCode?: number
}

function userPoolError(code: string, message: string, statusCode?: number): UserPoolError {
  return Object.assign(new Error(message), { name: code, code, ...(statusCode === undefined ? {} : { statusCode }) })
}

/** Where the library sends its calls: the configured endpoint (local AWS), else the region of the pool id's prefix. */
function endpointUrl(): string {
  const { userPoolId, endpoint } = getAwsConfig()
  return endpoint ?? `https://cognito-idp.${userPoolId.split('_')[0] ?? ''}.amazonaws.com/`
}

/**
 * Sends one user-pool operation (`POST /`, `X-Amz-Target: AWSCognitoIdentityProviderService.{operation}`).
 * @throws a {@link UserPoolError}: the service's `__type` (the part after `#`) and message, or `NetworkError` when
 * the request never got an answer
 */
export async function sendUserPoolRequest<Name extends UserPoolOperation>(
  operation: Name,
  request: UserPoolRequest<Name>,
): Promise<UserPoolResponse<Name>> {
  let response: Response
  try {
    response = await fetch(endpointUrl(), {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.1',
        'X-Amz-Target': `AWSCognitoIdentityProviderService.${operation}`,
      },
      body: JSON.stringify(request),
    })
  } catch {
    throw userPoolError('NetworkError', 'Network error')
  }
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>
  if (response.ok) return body as UserPoolResponse<Name>
  const type = body.__type ?? body.code ?? response.headers.get('x-amzn-errortype')?.split(':')[0]
  const code = String(type ?? 'UnknownError').split('#').pop() ?? 'UnknownError'
  throw userPoolError(code, String(body.message ?? body.Message ?? response.status), response.status)
}
