import { describe, expect, it } from 'vitest'
import { refusal } from '../../tests/support/awsErrors.ts'
import { PasskeyAuthenticator, type CreationOptionsJSON, type RequestOptionsJSON } from '../../tests/support/passkeyAuthenticator.ts'
import { model } from '../../tests/support/localAwsFakes.ts'
import {
  isAllowedOrigin,
  parseAuthenticationResponse,
  parseRegistrationResponse,
  registrationOptions,
  relyingPartyOf,
  requestOptions,
  verifyAssertion,
  verifyRegistration,
} from './webauthn.ts'

const pool = model.userPools[0]!
const rider = { id: '7d3c1b4e-0000-4000-8000-000000000001', name: 'ada@example.com', displayName: 'Ada' }

/** A passkey registered through the relying party by an independent authenticator. */
async function registered(authenticator = new PasskeyAuthenticator()) {
  const options = await registrationOptions(pool, rider, [])
  const credential = authenticator.create(options as unknown as CreationOptionsJSON)
  return { authenticator, passkey: await verifyRegistration(pool, parseRegistrationResponse(credential), options.challenge, 1_700_000_000_000) }
}

describe('the local relying party', () => {
  it.each([
    ['http://localhost:5173', true],
    ['http://localhost:4567', true],
    ['http://localhost', true],
    ['https://localhost:5173', false],
    ['http://127.0.0.1:5173', false],
    ['http://localhost.wild-rydes.example', false],
    ['http://localhost:5173/profile', false],
    ['not an origin', false],
  ])('accepts %s as an origin: %s', (origin, isAllowed) => {
    expect(isAllowedOrigin(origin)).toBe(isAllowed)
  })

  it('is localhost, with the settings of the template, and refuses pools without passkeys or a relying party', async () => {
    expect(relyingPartyOf(pool)).toEqual({ ...pool.webAuthn, id: 'localhost' })
    expect(await refusal(Promise.resolve().then(() => relyingPartyOf({ ...pool, allowedFirstAuthFactors: ['PASSWORD'] })))).toMatchObject({
      code: 'WebAuthnNotEnabledException',
      status: 400,
    })
    expect(
      await refusal(Promise.resolve().then(() => relyingPartyOf({ ...pool, webAuthn: { userVerification: 'preferred', factorConfiguration: 'SINGLE_FACTOR' } }))),
    ).toMatchObject({ code: 'WebAuthnConfigurationMissingException' })
  })
})

describe('creation and request options', () => {
  it('ask for a discoverable ES256 or RS256 passkey that verifies the user, excluding the ones held, in base64url JSON', async () => {
    const options = await registrationOptions(pool, rider, [
      { id: 'AAEC', publicKey: '', counter: 0, transports: ['usb'], friendlyName: 'Security key', relyingPartyId: 'localhost', createdAt: 0 },
    ])
    expect(options).toMatchObject({
      rp: { id: 'localhost', name: 'localhost' },
      user: { id: Buffer.from(rider.id).toString('base64url'), name: 'ada@example.com', displayName: 'Ada' },
      pubKeyCredParams: [
        { alg: -7, type: 'public-key' },
        { alg: -257, type: 'public-key' },
      ],
      timeout: 180_000,
      attestation: 'none',
      excludeCredentials: [{ id: 'AAEC', type: 'public-key', transports: ['usb'] }],
      authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'required' },
    })
    expect(options.challenge).toMatch(/^[\w-]{43}$/)
    expect(JSON.parse(JSON.stringify(options))).toEqual(options)
  })

  it("ask to sign in with any of the user's passkeys on localhost", async () => {
    const { passkey } = await registered()
    const options = await requestOptions(pool, [passkey])
    expect(options).toMatchObject({ rpId: 'localhost', userVerification: 'required', timeout: 180_000, allowCredentials: [{ id: passkey.id, type: 'public-key', transports: ['internal'] }] })
    expect(options.challenge).not.toBe((await requestOptions(pool, [passkey])).challenge)
  })
})

describe('credentials as JSON', () => {
  it('reads the RegistrationResponseJSON document and the AuthenticationResponseJSON string, and refuses anything else', async () => {
    const { authenticator, passkey } = await registered()
    const assertion = authenticator.get((await requestOptions(pool, [passkey])) as unknown as RequestOptionsJSON)
    expect(parseAuthenticationResponse(JSON.stringify(assertion))).toEqual(assertion)
    for (const text of ['not json', '[]', JSON.stringify({ ...assertion, type: 'password' }), JSON.stringify({ ...assertion, response: { clientDataJSON: 1 } })]) {
      expect(await refusal(Promise.resolve().then(() => parseAuthenticationResponse(text)))).toEqual({
        code: 'InvalidParameterException',
        status: 400,
        message: 'CREDENTIAL is not a valid WebAuthn credential',
      })
    }
    expect(await refusal(Promise.resolve().then(() => parseRegistrationResponse({ id: 'x', rawId: 'x', type: 'public-key', response: {} })))).toMatchObject({
      code: 'InvalidParameterException',
      message: 'Credential is not a valid WebAuthn credential',
    })
  })
})

describe('verifying', () => {
  it('stores a new passkey with its public key, counter, transports, attachment and name', async () => {
    const { passkey, authenticator } = await registered()
    expect(passkey).toEqual({
      id: authenticator.credentialIds[0],
      publicKey: expect.stringMatching(/^[\w-]+$/),
      counter: 0,
      transports: ['internal'],
      attachment: 'platform',
      friendlyName: 'Passkey',
      relyingPartyId: 'localhost',
      createdAt: 1_700_000_000_000,
    })
  })

  it('accepts an assertion over the challenge and reports its counter; refuses another challenge, origin or an old counter', async () => {
    const { passkey, authenticator } = await registered()
    const options = (await requestOptions(pool, [passkey])) as unknown as RequestOptionsJSON
    const verified = await verifyAssertion(pool, parseAuthenticationResponse(JSON.stringify(authenticator.get(options))), options.challenge, passkey)
    expect(verified).toEqual({ counter: 1, isUserVerified: true })
    const later = { ...passkey, counter: 1 }
    expect(await verifyAssertion(pool, authenticatorAnswer(authenticator, options, { challenge: 'b3RoZXI' }), options.challenge, later)).toEqual({ failure: 'challenge' })
    expect(await verifyAssertion(pool, authenticatorAnswer(authenticator, options, { origin: 'https://wild-rydes.example' }), options.challenge, later)).toEqual({ failure: 'origin' })
    expect(await verifyAssertion(pool, authenticatorAnswer(authenticator, options, { counter: 1 }), options.challenge, later)).toEqual({ failure: 'invalid' })
  })
})

function authenticatorAnswer(authenticator: PasskeyAuthenticator, options: RequestOptionsJSON, overrides: Parameters<PasskeyAuthenticator['get']>[1]) {
  return parseAuthenticationResponse(JSON.stringify(authenticator.get(options, overrides)))
}
