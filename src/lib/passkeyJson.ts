/*
 * WebAuthn's options and credentials between Cognito's JSON (base64url members: PublicKeyCredentialCreationOptionsJSON,
 * RegistrationResponseJSON and their sign-in kin) and the browser's binary forms. Hand-written, about forty lines:
 * `PublicKeyCredential.parseCreationOptionsFromJSON` and `toJSON()` are not in every browser riders use, and
 * @simplewebauthn/browser would add its whole error and abort machinery to the passkey chunk.
 * https://www.w3.org/TR/webauthn-3/#sctn-parseCreationOptionsFromJSON
 */

/** JSON as Cognito sends or takes it (the API's documents). */
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject
export interface JsonObject {
  [member: string]: JsonValue
}

/** base64url (no padding) of `bytes`. */
export function toBase64Url(bytes: ArrayBuffer | ArrayBufferView): string {
  const view = bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let binary = ''
  for (const byte of view) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/** The bytes of base64url (padded or not). */
export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'))
  return Uint8Array.from(binary, (char) => char.charCodeAt(0))
}

/** The JSON form of a WebAuthn dictionary: its binary `id` is base64url text. */
type WithTextId<T> = Omit<T, 'id'> & { id: string }

function descriptors(list: unknown): PublicKeyCredentialDescriptor[] | undefined {
  return Array.isArray(list)
    ? (list as WithTextId<PublicKeyCredentialDescriptor>[]).map((descriptor) => ({ ...descriptor, id: fromBase64Url(descriptor.id) }))
    : undefined
}

/** `navigator.credentials.create`'s `publicKey` from StartWebAuthnRegistration's `CredentialCreationOptions`. */
export function creationOptionsFromJson(json: JsonObject): PublicKeyCredentialCreationOptions {
  const { challenge, user, excludeCredentials, ...rest } = json as unknown as { challenge: string; user: WithTextId<PublicKeyCredentialUserEntity>; excludeCredentials?: unknown }
  const excluded = descriptors(excludeCredentials)
  return {
    ...(rest as Omit<PublicKeyCredentialCreationOptions, 'challenge' | 'user'>),
    challenge: fromBase64Url(challenge),
    user: { ...user, id: fromBase64Url(user.id) },
    ...(excluded ? { excludeCredentials: excluded } : {}),
  }
}

/** `navigator.credentials.get`'s `publicKey` from the WEB_AUTHN challenge's `CREDENTIAL_REQUEST_OPTIONS`. */
export function requestOptionsFromJson(json: JsonObject): PublicKeyCredentialRequestOptions {
  const { challenge, allowCredentials, ...rest } = json as unknown as { challenge: string; allowCredentials?: unknown }
  const allowed = descriptors(allowCredentials)
  return {
    ...(rest as Omit<PublicKeyCredentialRequestOptions, 'challenge'>),
    challenge: fromBase64Url(challenge),
    ...(allowed ? { allowCredentials: allowed } : {}),
  }
}

/** What a credential carries beside its response, as RegistrationResponseJSON and AuthenticationResponseJSON spell it. */
function credentialJson(credential: PublicKeyCredential, response: JsonObject): JsonObject {
  return {
    id: credential.id,
    rawId: toBase64Url(credential.rawId),
    type: credential.type,
    response,
    // Only extensions the options asked for answer, and Cognito asks for none that give binary results.
    clientExtensionResults: credential.getClientExtensionResults() as JsonObject,
    ...(credential.authenticatorAttachment ? { authenticatorAttachment: credential.authenticatorAttachment } : {}),
  }
}

/** CompleteWebAuthnRegistration's `Credential`: the RegistrationResponseJSON of a new passkey. */
export function registrationToJson(credential: PublicKeyCredential): JsonObject {
  const response = credential.response as AuthenticatorAttestationResponse
  return credentialJson(credential, {
    clientDataJSON: toBase64Url(response.clientDataJSON),
    attestationObject: toBase64Url(response.attestationObject),
    // Optional in Level 2 browsers; the server reads them from the attestation object when they are missing.
    ...(typeof response.getTransports === 'function' ? { transports: response.getTransports() as string[] } : {}),
  })
}

/** RespondToAuthChallenge WEB_AUTHN's `CREDENTIAL` (as JSON text): the AuthenticationResponseJSON of an assertion. */
export function assertionToJson(credential: PublicKeyCredential): JsonObject {
  const response = credential.response as AuthenticatorAssertionResponse
  return credentialJson(credential, {
    clientDataJSON: toBase64Url(response.clientDataJSON),
    authenticatorData: toBase64Url(response.authenticatorData),
    signature: toBase64Url(response.signature),
    ...(response.userHandle ? { userHandle: toBase64Url(response.userHandle) } : {}),
  })
}
