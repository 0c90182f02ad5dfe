import { describe, expect, it } from 'vitest'
import { assertionToJson, creationOptionsFromJson, fromBase64Url, registrationToJson, requestOptionsFromJson, toBase64Url } from './passkeyJson'

const bytes = (...values: number[]) => new Uint8Array(values)

/** A credential as a browser returns it, with `response` of the given members. */
function credential(response: Record<string, unknown>): PublicKeyCredential {
  return {
    id: 'AQID_-8',
    rawId: bytes(1, 2, 3, 255, 239).buffer,
    type: 'public-key',
    authenticatorAttachment: 'platform',
    response,
    getClientExtensionResults: () => ({ credProps: { rk: true } }),
  } as unknown as PublicKeyCredential
}

describe('base64url', () => {
  it('round-trips every byte value without padding, in the URL-safe alphabet', () => {
    const all = Uint8Array.from({ length: 256 }, (_, index) => index)
    const text = toBase64Url(all)
    expect(text).not.toMatch(/[+/=]/)
    expect(fromBase64Url(text)).toEqual(all)
    expect(toBase64Url(bytes(251, 255))).toBe('-_8')
    expect(fromBase64Url('-_8=')).toEqual(bytes(251, 255))
  })

  it('reads a view of part of a buffer, not the whole buffer', () => {
    expect(toBase64Url(new Uint8Array(bytes(9, 1, 2, 9).buffer, 1, 2))).toBe('AQI')
  })
})

describe('creationOptionsFromJson', () => {
  it('turns the challenge, the user id and the excluded ids into bytes and keeps the rest as Cognito sent it', () => {
    const options = creationOptionsFromJson({
      challenge: 'AQID',
      rp: { id: 'localhost', name: 'Wild Rydes' },
      user: { id: 'BAUG', name: 'rider@example.com', displayName: 'Rider' },
      pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
      excludeCredentials: [{ type: 'public-key', id: 'BwgJ', transports: ['internal'] }],
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
      timeout: 180000,
    })

    expect(options).toEqual({
      challenge: bytes(1, 2, 3),
      rp: { id: 'localhost', name: 'Wild Rydes' },
      user: { id: bytes(4, 5, 6), name: 'rider@example.com', displayName: 'Rider' },
      pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
      excludeCredentials: [{ type: 'public-key', id: bytes(7, 8, 9), transports: ['internal'] }],
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
      timeout: 180000,
    })
  })

  it('adds no excludeCredentials when Cognito sent none', () => {
    expect(creationOptionsFromJson({ challenge: 'AQID', rp: { name: 'Wild Rydes' }, user: { id: 'BAUG', name: 'a', displayName: 'a' }, pubKeyCredParams: [] })).not.toHaveProperty('excludeCredentials')
  })
})

describe('requestOptionsFromJson', () => {
  it('turns the challenge and the allowed ids into bytes', () => {
    expect(
      requestOptionsFromJson({ challenge: 'AQID', rpId: 'localhost', userVerification: 'required', allowCredentials: [{ type: 'public-key', id: 'BwgJ' }] }),
    ).toEqual({ challenge: bytes(1, 2, 3), rpId: 'localhost', userVerification: 'required', allowCredentials: [{ type: 'public-key', id: bytes(7, 8, 9) }] })
  })
})

describe('registrationToJson and assertionToJson', () => {
  it('give the RegistrationResponseJSON of a new passkey, transports included', () => {
    const json = registrationToJson(
      credential({ clientDataJSON: bytes(1).buffer, attestationObject: bytes(2, 3).buffer, getTransports: () => ['internal', 'hybrid'] }),
    )

    expect(json).toEqual({
      id: 'AQID_-8',
      rawId: 'AQID_-8',
      type: 'public-key',
      authenticatorAttachment: 'platform',
      clientExtensionResults: { credProps: { rk: true } },
      response: { clientDataJSON: 'AQ', attestationObject: 'AgM', transports: ['internal', 'hybrid'] },
    })
  })

  it('give the AuthenticationResponseJSON of an assertion, with the user handle when there is one', () => {
    const response = { clientDataJSON: bytes(1).buffer, authenticatorData: bytes(2).buffer, signature: bytes(3).buffer }

    expect(assertionToJson(credential({ ...response, userHandle: bytes(4).buffer })).response).toEqual({
      clientDataJSON: 'AQ',
      authenticatorData: 'Ag',
      signature: 'Aw',
      userHandle: 'BA',
    })
    expect(assertionToJson(credential({ ...response, userHandle: null })).response).not.toHaveProperty('userHandle')
  })
})
