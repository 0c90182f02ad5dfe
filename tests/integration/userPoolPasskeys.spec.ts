import {
  CognitoIdentityProviderClient,
  CognitoIdentityProviderServiceException,
  CompleteWebAuthnRegistrationCommand,
  DeleteWebAuthnCredentialCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ListWebAuthnCredentialsCommand,
  RespondToAuthChallengeCommand,
  SetUserMFAPreferenceCommand,
  StartWebAuthnRegistrationCommand,
  type InitiateAuthCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider'
import { readFile, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { authenticatorCode } from '../support/authenticator.ts'
import { startTestAws, type LocalAwsEndpoint } from '../support/localAws.ts'
import { startWithTemplateEdits } from '../support/localAwsHooks.ts'
import { PasskeyAuthenticator, type CeremonyOverrides, type CreationOptionsJSON, type RequestOptionsJSON } from '../support/passkeyAuthenticator.ts'
import { RiderBrowser, signInNewRider, type RegisteredRider } from '../support/riders.ts'

// Passkeys through Cognito's own WebAuthn API, driven with the official SDK client and a software authenticator that
// shares no code with local AWS: registration, listing, deletion, and USER_AUTH sign-in, with every refusal AWS names.

let local: Awaited<ReturnType<typeof startTestAws>>

beforeAll(async () => {
  local = await startTestAws()
})
afterAll(() => local.stop())

function cognitoClient(aws: LocalAwsEndpoint): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({ region: aws.config.region, endpoint: aws.url, credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' } })
}

/** The AWS error an SDK call is refused with: its name, HTTP status and message. */
async function refusal(call: Promise<unknown>): Promise<{ code: string; status: number | undefined; message: string }> {
  const error = await call.then(
    () => undefined,
    (failure: unknown) => failure as CognitoIdentityProviderServiceException,
  )
  expect(error, 'the call should be refused').toBeInstanceOf(CognitoIdentityProviderServiceException)
  return { code: error!.name, status: error!.$metadata.httpStatusCode, message: error!.message }
}

interface PasskeyRider {
  rider: RegisteredRider
  accessToken: string
  authenticator: PasskeyAuthenticator
}

/** A new rider, signed in with their password, and an authenticator of their own. */
async function newPasskeyRider(aws: LocalAwsEndpoint = local.aws): Promise<PasskeyRider & { browser: RiderBrowser }> {
  const { browser, rider, session } = await signInNewRider(aws)
  return { browser, rider, accessToken: session.getAccessToken().getJwtToken(), authenticator: new PasskeyAuthenticator() }
}

async function startRegistration({ accessToken }: Pick<PasskeyRider, 'accessToken'>, aws: LocalAwsEndpoint = local.aws): Promise<CreationOptionsJSON> {
  const { CredentialCreationOptions } = await cognitoClient(aws).send(new StartWebAuthnRegistrationCommand({ AccessToken: accessToken }))
  return CredentialCreationOptions as unknown as CreationOptionsJSON
}

/** Start, the answer of an authenticator (the rider's own unless another device is given), as a browser gives it, Complete. */
async function addPasskey(
  passkeyRider: PasskeyRider,
  overrides: CeremonyOverrides = {},
  aws: LocalAwsEndpoint = local.aws,
  authenticator = passkeyRider.authenticator,
): Promise<string> {
  const credential = authenticator.create(await startRegistration(passkeyRider, aws), overrides)
  await cognitoClient(aws).send(new CompleteWebAuthnRegistrationCommand({ AccessToken: passkeyRider.accessToken, Credential: credential }))
  return credential.id
}

function listPasskeys(accessToken: string, page: { MaxResults?: number; NextToken?: string } = {}) {
  return cognitoClient(local.aws).send(new ListWebAuthnCredentialsCommand({ AccessToken: accessToken, ...page }))
}

function initiateUserAuth(email: string, parameters: Record<string, string> = {}, aws: LocalAwsEndpoint = local.aws): Promise<InitiateAuthCommandOutput> {
  return cognitoClient(aws).send(
    new InitiateAuthCommand({ ClientId: aws.config.userPoolClientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: email, ...parameters } }),
  )
}

function requestOptionsOf(answer: { ChallengeParameters?: Record<string, string> }): RequestOptionsJSON {
  const text = answer.ChallengeParameters?.CREDENTIAL_REQUEST_OPTIONS
  expect(typeof text).toBe('string')
  return JSON.parse(text!) as RequestOptionsJSON
}

function answerWithPasskey(email: string, session: string | undefined, credential: unknown) {
  return cognitoClient(local.aws).send(
    new RespondToAuthChallengeCommand({
      ClientId: local.aws.config.userPoolClientId,
      ChallengeName: 'WEB_AUTHN',
      Session: session,
      ChallengeResponses: { USERNAME: email, CREDENTIAL: JSON.stringify(credential) },
    }),
  )
}

/** USER_AUTH with the WEB_AUTHN preference, answered by the rider's authenticator. */
async function signInWithPasskey({ rider, authenticator }: PasskeyRider, overrides: CeremonyOverrides = {}) {
  const challenge = await initiateUserAuth(rider.email, { PREFERRED_CHALLENGE: 'WEB_AUTHN' })
  expect(challenge.ChallengeName).toBe('WEB_AUTHN')
  return answerWithPasskey(rider.email, challenge.Session, authenticator.get(requestOptionsOf(challenge), overrides))
}

describe('registering a passkey', () => {
  it('hands out creation options for a discoverable, user-verified passkey on localhost, and stores what the authenticator made', async () => {
    const passkeyRider = await newPasskeyRider()
    const options = await startRegistration(passkeyRider)
    expect(options).toMatchObject({
      rp: { id: 'localhost' },
      user: { name: passkeyRider.rider.email, displayName: passkeyRider.rider.name },
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
      excludeCredentials: [],
    })
    expect(options.pubKeyCredParams.map(({ alg }) => alg)).toEqual([-7, -257])
    expect(options.challenge).toMatch(/^[\w-]{22,}$/)

    const credential = passkeyRider.authenticator.create(options)
    expect(await cognitoClient(local.aws).send(new CompleteWebAuthnRegistrationCommand({ AccessToken: passkeyRider.accessToken, Credential: credential }))).toMatchObject({
      $metadata: { httpStatusCode: 200 },
    })
    const { Credentials, NextToken } = await listPasskeys(passkeyRider.accessToken)
    expect(NextToken).toBeUndefined()
    expect(Credentials).toEqual([
      {
        CredentialId: credential.id,
        FriendlyCredentialName: 'Passkey',
        RelyingPartyId: 'localhost',
        AuthenticatorAttachment: 'platform',
        AuthenticatorTransports: ['internal'],
        CreatedAt: new Date(local.clock.now()),
      },
    ])
    // The rider's next registration excludes the passkey they have.
    expect((await startRegistration(passkeyRider)).excludeCredentials).toEqual([{ id: credential.id, type: 'public-key', transports: ['internal'] }])
  })

  it('uses a challenge once and for three minutes: WebAuthnChallengeNotFoundException after that', async () => {
    const passkeyRider = await newPasskeyRider()
    const credential = passkeyRider.authenticator.create(await startRegistration(passkeyRider))
    const complete = () => cognitoClient(local.aws).send(new CompleteWebAuthnRegistrationCommand({ AccessToken: passkeyRider.accessToken, Credential: credential }))
    await complete()
    expect(await refusal(complete())).toMatchObject({ code: 'WebAuthnChallengeNotFoundException', status: 400 })

    const late = new PasskeyAuthenticator().create(await startRegistration(passkeyRider))
    local.clock.advance(3 * 60_000 + 1)
    expect(await refusal(cognitoClient(local.aws).send(new CompleteWebAuthnRegistrationCommand({ AccessToken: passkeyRider.accessToken, Credential: late })))).toMatchObject({
      code: 'WebAuthnChallengeNotFoundException',
    })
  })

  it.each([
    ['a page not on localhost', { origin: 'https://wild-rydes.example' }, 'WebAuthnOriginNotAllowedException'],
    ['localhost over https', { origin: 'https://localhost:5173' }, 'WebAuthnOriginNotAllowedException'],
    ['a credential made for another relying party', { rpId: 'wild-rydes.example' }, 'WebAuthnRelyingPartyMismatchException'],
    ['an authenticator that did not verify the rider', { isUserVerified: false }, 'WebAuthnCredentialNotSupportedException'],
  ] satisfies [string, CeremonyOverrides, string][])('refuses %s with %s', async (_what, overrides, code) => {
    const passkeyRider = await newPasskeyRider()
    expect(await refusal(addPasskey(passkeyRider, overrides))).toMatchObject({ code, status: 400 })
    expect((await listPasskeys(passkeyRider.accessToken)).Credentials).toEqual([])
  })

  it('accepts every http://localhost port: the dev server, the preview and the local site', async () => {
    const passkeyRider = await newPasskeyRider()
    for (const origin of ['http://localhost:5173', 'http://localhost:4173', 'http://localhost:4567']) await addPasskey(passkeyRider, { origin }, local.aws, new PasskeyAuthenticator())
    expect((await listPasskeys(passkeyRider.accessToken)).Credentials).toHaveLength(3)
  })

  it('refuses a passkey registered already, which the options excluded', async () => {
    const passkeyRider = await newPasskeyRider()
    await addPasskey(passkeyRider)
    const options = await startRegistration(passkeyRider)
    expect(() => passkeyRider.authenticator.create(options)).toThrow(/InvalidStateError/)
    // An authenticator that ignores the exclusion and registers its credential again is refused.
    const again = passkeyRider.authenticator.create(options, { reregister: true })
    expect(
      await refusal(cognitoClient(local.aws).send(new CompleteWebAuthnRegistrationCommand({ AccessToken: passkeyRider.accessToken, Credential: again }))),
    ).toMatchObject({ code: 'WebAuthnCredentialNotSupportedException', message: 'The passkey is not supported: this passkey is registered already' })
  })

  it('refuses a malformed credential and a missing or invalid access token', async () => {
    const passkeyRider = await newPasskeyRider()
    expect(
      await refusal(cognitoClient(local.aws).send(new CompleteWebAuthnRegistrationCommand({ AccessToken: passkeyRider.accessToken, Credential: { id: 'x' } }))),
    ).toMatchObject({ code: 'InvalidParameterException', message: 'Credential is not a valid WebAuthn credential' })
    expect(await refusal(cognitoClient(local.aws).send(new StartWebAuthnRegistrationCommand({ AccessToken: 'not.a.token' })))).toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Invalid Access Token',
    })
  })
})

describe('listing and deleting passkeys', () => {
  it('pages with MaxResults and NextToken, and refuses MaxResults past 20', async () => {
    const passkeyRider = await newPasskeyRider()
    const ids: string[] = []
    for (let device = 0; device < 3; device++) ids.push(await addPasskey(passkeyRider, {}, local.aws, new PasskeyAuthenticator()))
    const first = await listPasskeys(passkeyRider.accessToken, { MaxResults: 2 })
    expect(first.Credentials?.map(({ CredentialId }) => CredentialId)).toEqual(ids.slice(0, 2))
    expect(first.NextToken).toEqual(expect.any(String))
    const second = await listPasskeys(passkeyRider.accessToken, { MaxResults: 2, NextToken: first.NextToken })
    expect(second.Credentials?.map(({ CredentialId }) => CredentialId)).toEqual(ids.slice(2))
    expect(second.NextToken).toBeUndefined()
    expect(await refusal(listPasskeys(passkeyRider.accessToken, { MaxResults: 21 }))).toMatchObject({ code: 'InvalidParameterException' })
    expect(await refusal(listPasskeys(passkeyRider.accessToken, { NextToken: 'bm90LWEtdG9rZW4' }))).toMatchObject({ code: 'InvalidParameterException', message: 'Invalid NextToken' })
  })

  it("deletes one of the rider's passkeys, which then signs nobody in; another rider's or an unknown one is ResourceNotFoundException", async () => {
    const passkeyRider = await newPasskeyRider()
    const other = await newPasskeyRider()
    const id = await addPasskey(passkeyRider)
    const challenge = await initiateUserAuth(passkeyRider.rider.email, { PREFERRED_CHALLENGE: 'WEB_AUTHN' })
    const assertion = passkeyRider.authenticator.get(requestOptionsOf(challenge))

    expect(await refusal(cognitoClient(local.aws).send(new DeleteWebAuthnCredentialCommand({ AccessToken: other.accessToken, CredentialId: id })))).toMatchObject({
      code: 'ResourceNotFoundException',
    })
    await cognitoClient(local.aws).send(new DeleteWebAuthnCredentialCommand({ AccessToken: passkeyRider.accessToken, CredentialId: id }))
    expect((await listPasskeys(passkeyRider.accessToken)).Credentials).toEqual([])
    // A sign-in begun before the deletion is refused; a new one no longer offers the passkey.
    expect(await refusal(answerWithPasskey(passkeyRider.rider.email, challenge.Session, assertion))).toMatchObject({
      code: 'NotAuthorizedException',
      message: 'The passkey is not registered for this user.',
    })
    expect(await initiateUserAuth(passkeyRider.rider.email, { PREFERRED_CHALLENGE: 'WEB_AUTHN' })).toMatchObject({
      ChallengeName: 'SELECT_CHALLENGE',
      AvailableChallenges: ['PASSWORD', 'PASSWORD_SRP'],
    })
  })
})

describe('signing in with USER_AUTH', () => {
  it('signs in with a passkey: tokens like SRP gives, which refresh and call the user pool', async () => {
    const passkeyRider = await newPasskeyRider()
    await addPasskey(passkeyRider)
    const challenge = await initiateUserAuth(passkeyRider.rider.email, { PREFERRED_CHALLENGE: 'WEB_AUTHN' })
    const options = requestOptionsOf(challenge)
    expect(options).toMatchObject({ rpId: 'localhost', userVerification: 'required', allowCredentials: [{ id: passkeyRider.authenticator.credentialIds[0], type: 'public-key' }] })
    const { AuthenticationResult } = await answerWithPasskey(passkeyRider.rider.email, challenge.Session, passkeyRider.authenticator.get(options))
    expect(AuthenticationResult).toMatchObject({ TokenType: 'Bearer', ExpiresIn: 3600, RefreshToken: expect.any(String) })
    const user = await cognitoClient(local.aws).send(new GetUserCommand({ AccessToken: AuthenticationResult!.AccessToken }))
    expect(user.Username).toBe(passkeyRider.rider.sub)
    const refreshed = await cognitoClient(local.aws).send(
      new InitiateAuthCommand({ ClientId: local.aws.config.userPoolClientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: AuthenticationResult!.RefreshToken! } }),
    )
    expect(refreshed.AuthenticationResult?.IdToken).toEqual(expect.any(String))
  })

  it('offers the available challenges when no preference is given, and starts the one the rider selects', async () => {
    const passkeyRider = await newPasskeyRider()
    await addPasskey(passkeyRider)
    const offered = await initiateUserAuth(passkeyRider.rider.email)
    expect(offered).toMatchObject({ ChallengeName: 'SELECT_CHALLENGE', AvailableChallenges: ['PASSWORD', 'PASSWORD_SRP', 'WEB_AUTHN'] })
    const select = (Session: string | undefined, responses: Record<string, string>) =>
      cognitoClient(local.aws).send(
        new RespondToAuthChallengeCommand({
          ClientId: local.aws.config.userPoolClientId,
          ChallengeName: 'SELECT_CHALLENGE',
          Session,
          ChallengeResponses: { USERNAME: passkeyRider.rider.email, ...responses },
        }),
      )
    const webAuthn = await select(offered.Session, { ANSWER: 'WEB_AUTHN' })
    expect(webAuthn.ChallengeName).toBe('WEB_AUTHN')
    const signedIn = await answerWithPasskey(passkeyRider.rider.email, webAuthn.Session, passkeyRider.authenticator.get(requestOptionsOf(webAuthn)))
    expect(signedIn.AuthenticationResult?.AccessToken).toEqual(expect.any(String))

    const again = await initiateUserAuth(passkeyRider.rider.email)
    expect((await select(again.Session, { ANSWER: 'PASSWORD', PASSWORD: passkeyRider.rider.password })).AuthenticationResult?.IdToken).toEqual(expect.any(String))
    // A selection session answers once.
    expect(await refusal(select(again.Session, { ANSWER: 'PASSWORD', PASSWORD: passkeyRider.rider.password }))).toMatchObject({ code: 'NotAuthorizedException', message: 'Invalid session for the user.' })
    const srp = await select((await initiateUserAuth(passkeyRider.rider.email)).Session, { ANSWER: 'PASSWORD_SRP', SRP_A: 'a'.repeat(256) })
    expect(srp).toMatchObject({ ChallengeName: 'PASSWORD_VERIFIER', ChallengeParameters: { USER_ID_FOR_SRP: passkeyRider.rider.sub } })
  })

  it('signs in with PASSWORD and starts SRP with PASSWORD_SRP when preferred', async () => {
    const { rider } = await newPasskeyRider()
    expect((await initiateUserAuth(rider.email, { PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: rider.password })).AuthenticationResult?.AccessToken).toEqual(expect.any(String))
    expect(await refusal(initiateUserAuth(rider.email, { PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: 'Wrong-password-1' }))).toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    })
    expect(await initiateUserAuth(rider.email, { PREFERRED_CHALLENGE: 'PASSWORD_SRP', SRP_A: 'b'.repeat(256) })).toMatchObject({
      ChallengeName: 'PASSWORD_VERIFIER',
      ChallengeParameters: { SALT: expect.any(String), SRP_B: expect.any(String), SECRET_BLOCK: expect.any(String) },
    })
    expect(await refusal(initiateUserAuth(rider.email, { PREFERRED_CHALLENGE: 'PASSWORD_SRP' }))).toMatchObject({ code: 'InvalidParameterException', message: 'Missing required parameter SRP_A' })
  })

  it('answers a rider without a passkey, and an unknown one, with their choices instead of a passkey challenge', async () => {
    const { rider } = await newPasskeyRider()
    for (const email of [rider.email, 'nobody@example.com']) {
      expect(await initiateUserAuth(email, { PREFERRED_CHALLENGE: 'WEB_AUTHN' })).toMatchObject({ ChallengeName: 'SELECT_CHALLENGE', AvailableChallenges: ['PASSWORD', 'PASSWORD_SRP'] })
    }
  })

  it.each([
    ['another page', { origin: 'https://wild-rydes.example' }, "The passkey was used on a page outside the user pool's relying party."],
    ['another challenge', { challenge: 'bm90LXRoZS1jaGFsbGVuZ2U' }, 'The passkey answered another challenge.'],
    ['another relying party', { rpId: 'wild-rydes.example' }, 'The passkey could not be verified.'],
    ['no user verification', { isUserVerified: false }, 'The passkey could not be verified.'],
    ['a replayed signature counter', { counter: 0 }, 'The passkey could not be verified.'],
  ] satisfies [string, CeremonyOverrides, string][])('refuses an assertion from %s with NotAuthorizedException', async (_what, overrides, message) => {
    const passkeyRider = await newPasskeyRider()
    await addPasskey(passkeyRider)
    await signInWithPasskey(passkeyRider)
    expect(await refusal(signInWithPasskey(passkeyRider, overrides))).toMatchObject({ code: 'NotAuthorizedException', message })
  })

  it('uses a passkey challenge once and for three minutes', async () => {
    const passkeyRider = await newPasskeyRider()
    await addPasskey(passkeyRider)
    const { rider, authenticator } = passkeyRider
    const first = await initiateUserAuth(rider.email, { PREFERRED_CHALLENGE: 'WEB_AUTHN' })
    const assertion = authenticator.get(requestOptionsOf(first))
    await answerWithPasskey(rider.email, first.Session, assertion)
    expect(await refusal(answerWithPasskey(rider.email, first.Session, assertion))).toMatchObject({ code: 'NotAuthorizedException', message: 'Invalid session for the user.' })

    const late = await initiateUserAuth(rider.email, { PREFERRED_CHALLENGE: 'WEB_AUTHN' })
    const lateAssertion = authenticator.get(requestOptionsOf(late))
    local.clock.advance(3 * 60_000 + 1)
    expect(await refusal(answerWithPasskey(rider.email, late.Session, lateAssertion))).toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Invalid session for the user, session is expired.',
    })
  })
})

describe('a rider with two-step sign-in and a passkey', () => {
  it('signs in with the passkey alone once passkey MFA is on, and still with password and code', async () => {
    const passkeyRider = await newPasskeyRider()
    const { browser, rider, accessToken } = passkeyRider
    const secret = await browser.associateSoftwareToken()
    await browser.verifySoftwareToken(authenticatorCode(secret, local.clock.now()), 'Pixel')
    await browser.setSoftwareTokenMfa(true)
    await addPasskey(passkeyRider)

    // A passkey alone is no second factor until the rider says so.
    expect(await initiateUserAuth(rider.email, { PREFERRED_CHALLENGE: 'WEB_AUTHN' })).toMatchObject({
      ChallengeName: 'SELECT_CHALLENGE',
      AvailableChallenges: ['PASSWORD', 'PASSWORD_SRP'],
    })
    await cognitoClient(local.aws).send(new SetUserMFAPreferenceCommand({ AccessToken: accessToken, WebAuthnMfaSettings: { Enabled: true } }))
    const signedIn = await signInWithPasskey(passkeyRider)
    expect(signedIn.ChallengeName).toBeUndefined()
    expect(signedIn.AuthenticationResult?.IdToken).toEqual(expect.any(String))

    // The password still asks for the authenticator app's code.
    expect(await initiateUserAuth(rider.email, { PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: rider.password })).toMatchObject({ ChallengeName: 'SOFTWARE_TOKEN_MFA' })

    // Turning the app off turns passkey MFA off with it; asking for passkey MFA alone is refused.
    await browser.setSoftwareTokenMfa(false)
    expect(await refusal(cognitoClient(local.aws).send(new SetUserMFAPreferenceCommand({ AccessToken: accessToken, WebAuthnMfaSettings: { Enabled: true } })))).toMatchObject({
      code: 'InvalidParameterException',
      message: 'Passkey MFA needs another MFA factor turned on for the user',
    })
  })
})

describe('passkeys in the data folder', () => {
  it('keep public keys only, survive a restart, and go with the deleted rider', async () => {
    const first = await startTestAws()
    let current = first
    try {
      const passkeyRider = await newPasskeyRider(first.aws)
      const id = await addPasskey(passkeyRider, {}, first.aws)
      await first.aws.stop()
      current = await startTestAws({ dataDir: first.dataDir })
      const listed = await cognitoClient(current.aws).send(new ListWebAuthnCredentialsCommand({ AccessToken: passkeyRider.accessToken }))
      expect(listed.Credentials?.map(({ CredentialId }) => CredentialId)).toEqual([id])
      const poolFiles = async () => {
        const folder = join(first.dataDir, 'cognito-idp')
        return (await Promise.all((await readdir(folder)).map((file) => readFile(join(folder, file), 'utf8')))).join('\n')
      }
      expect(await poolFiles()).toContain(id)
      const browser = new RiderBrowser(current.aws)
      await browser.signIn(passkeyRider.rider.email, passkeyRider.rider.password)
      await browser.deleteUser()
      // The journal keeps a superseded line until it is compacted (docs/architecture.md#local-aws-state): what a client
      // sees after a restart is what counts.
      await current.aws.stop()
      current = await startTestAws({ dataDir: first.dataDir })
      const afterDeletion = cognitoClient(current.aws).send(new ListWebAuthnCredentialsCommand({ AccessToken: passkeyRider.accessToken }))
      expect(await refusal(afterDeletion)).toMatchObject({ code: 'NotAuthorizedException', status: 400 })
    } finally {
      await current.stop()
    }
  })
})

describe('pools without passkeys', () => {
  it('refuse StartWebAuthnRegistration with WebAuthnNotEnabledException (EnablePasskeys=false)', async () => {
    const started = await startTestAws({ parameters: { EnablePasskeys: 'false' } })
    try {
      const { accessToken } = await newPasskeyRider(started.aws)
      expect(await refusal(startRegistration({ accessToken }, started.aws))).toMatchObject({ code: 'WebAuthnNotEnabledException', status: 400 })
      expect(await refusal(initiateUserAuth('nobody@example.com', {}, started.aws))).toMatchObject({
        code: 'InvalidParameterException',
        message: 'USER_AUTH flow not enabled for this client',
      })
    } finally {
      await started.stop()
    }
  })

  it('refuse it with WebAuthnConfigurationMissingException without a relying party ID', async () => {
    const started = await startWithTemplateEdits([['      WebAuthnRelyingPartyID: !If [HasPasskeys, !GetAtt SiteDistribution.DomainName, !Ref AWS::NoValue]\n', '']])
    try {
      const { accessToken } = await newPasskeyRider(started.aws)
      expect(await refusal(startRegistration({ accessToken }, started.aws))).toMatchObject({ code: 'WebAuthnConfigurationMissingException' })
    } finally {
      await started.stop()
    }
  })
})
