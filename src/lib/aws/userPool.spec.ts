import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { riderClaims, storeSession, unsignedJwt } from '../../../tests/support/fixtures'
import { describeCheckedChangeError } from '../identityCheck'
import { CodeRequiredError, IdentityCheckError } from './errors'
import { confirmIdentity, sendSignInCode, signIn } from './userPool'

// The SMS code step as Cognito drives it on the wire. Local AWS cannot text a rider (it refuses SMS MFA for a user,
// as AWS does without a delivery configuration), so Cognito's answers are played back here to the real library.

vi.mock('./config', () => ({
  getAwsConfig: () => ({ userPoolId: 'eu-west-1_Riders', userPoolClientId: 'client', endpoint: 'http://127.0.0.1:4566' }),
}))

const fetchMock = vi.fn<typeof fetch>()
/** The requests the library sent: X-Amz-Target's operation and the JSON body. */
const sent: { operation: string; body: Record<string, unknown> }[] = []

function answer(body: unknown): Response {
  return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/x-amz-json-1.1' } })
}

/**
 * Plays Cognito back to the real library: records each request, answers InitiateAuth with the SRP challenge (not
 * checked here: the exchange is local AWS's subject), and every other request with `respond`.
 */
function playCognito(userId: string, respond: (operation: string, body: Record<string, unknown>) => Response): void {
  fetchMock.mockImplementation(async (_url, init) => {
    const operation = String(new Headers(init?.headers).get('X-Amz-Target')).split('.')[1] ?? ''
    const body = JSON.parse(String(init?.body)) as Record<string, unknown>
    sent.push({ operation, body })
    if (operation !== 'InitiateAuth') return respond(operation, body)
    return answer({
      ChallengeName: 'PASSWORD_VERIFIER',
      ChallengeParameters: { SALT: 'a1b2c3d4', SRP_B: 'f'.repeat(64), SECRET_BLOCK: 'c2VjcmV0', USER_ID_FOR_SRP: userId, USERNAME: userId },
    })
  })
}

/** Cognito's SMS_MFA challenge, once the password is verified: a code texted to the masked number. */
function smsChallenge(session: string): Response {
  return answer({
    ChallengeName: 'SMS_MFA',
    Session: session,
    ChallengeParameters: { CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS', CODE_DELIVERY_DESTINATION: '+*******1234' },
  })
}

/** Cognito's answers for a rider with SMS MFA: SMS_MFA after the password, then the tokens for the code. */
function cognitoWithSmsMfa(): void {
  const claims = riderClaims({ email: 'ada@example.com' })
  playCognito('rider-sub', (_operation, body) => {
    if (body.ChallengeName === 'PASSWORD_VERIFIER') return smsChallenge('sms-session')
    return answer({
      AuthenticationResult: {
        IdToken: unsignedJwt({ ...claims, token_use: 'id' }),
        AccessToken: unsignedJwt({ sub: claims.sub, exp: claims.exp, token_use: 'access' }),
        RefreshToken: 'refresh-token',
        ExpiresIn: 3600,
        TokenType: 'Bearer',
      },
    })
  })
}

beforeEach(() => {
  vi.stubGlobal('fetch', fetchMock)
  fetchMock.mockReset()
  sent.length = 0
  localStorage.clear()
})

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('signing in with a code Cognito texted (SMS_MFA)', () => {
  it('asks for the code, naming the masked number, and answers SMS_MFA with it', async () => {
    cognitoWithSmsMfa()

    expect(await signIn('ada@example.com', 'Unicorn1rides')).toEqual({ kind: 'codeRequired', textedTo: '+*******1234' })
    expect(await sendSignInCode('123456')).toMatchObject({ email: 'ada@example.com' })

    expect(sent.at(-1)).toEqual({
      operation: 'RespondToAuthChallenge',
      body: expect.objectContaining({
        ChallengeName: 'SMS_MFA',
        Session: 'sms-session',
        ChallengeResponses: expect.objectContaining({ USERNAME: 'rider-sub', SMS_MFA_CODE: '123456' }),
      }) as unknown,
    })
  })
})

describe('the identity check of a rider whose two-step sign-in texts a code (SMS_MFA)', () => {
  const RIGHT_CODE = '246810'
  const claims = riderClaims()

  function refusal(type: string, message: string): Response {
    return new Response(JSON.stringify({ __type: type, message }), { status: 400, headers: { 'Content-Type': 'application/x-amz-json-1.1' } })
  }

  /**
   * Cognito's answers to the check's sign-ins: each texts a code once the password is verified (session `sms-1`,
   * `sms-2`…); RIGHT_CODE answers it, unless its session is in `expired`; RevokeToken revokes the check's refresh token.
   */
  function cognitoTextingCodes(expired: ReadonlySet<string> = new Set()): void {
    let texts = 0
    playCognito(claims.sub, (operation, body) => {
      if (operation === 'RevokeToken') return answer({})
      if (body.ChallengeName === 'PASSWORD_VERIFIER') return smsChallenge(`sms-${(texts += 1)}`)
      if (expired.has(String(body.Session))) return refusal('NotAuthorizedException', 'Invalid session for the user, session is expired.')
      if ((body.ChallengeResponses as Record<string, string>).SMS_MFA_CODE !== RIGHT_CODE) {
        return refusal('CodeMismatchException', 'Invalid code or auth state for the user.')
      }
      return answer({
        AuthenticationResult: {
          IdToken: unsignedJwt({ ...claims, token_use: 'id' }),
          AccessToken: unsignedJwt({ sub: claims.sub, exp: claims.exp, iat: claims.iat, token_use: 'access', origin_jti: 'check' }),
          RefreshToken: `check-refresh-token-${String(body.Session)}`,
          ExpiresIn: 3600,
          TokenType: 'Bearer',
        },
      })
    })
  }

  /** The check's failure as the rider reads it. */
  async function refusedCheck(check: Promise<void>) {
    const caught = await check.then(
      () => expect.fail('the identity check passed'),
      (error: unknown) => error,
    )
    expect(caught).toBeInstanceOf(IdentityCheckError)
    return describeCheckedChangeError(caught)
  }

  function storedRefreshToken(): string | null {
    return localStorage.getItem(`CognitoIdentityServiceProvider.client.${claims['cognito:username']}.refreshToken`)
  }

  beforeEach(() => storeSession(localStorage, 'client', claims))

  it('texts a code once the password is right, asks for it, and answers that same sign-in with it, after a wrong one', async () => {
    cognitoTextingCodes()

    expect(await refusedCheck(confirmIdentity({ password: 'Unicorn1rides' }))).toEqual({
      code: 'CodeTexted',
      message: 'We texted a code to +*******1234. Enter it to continue.',
    })
    expect(await refusedCheck(confirmIdentity({ password: 'Unicorn1rides', code: '135790' }))).toEqual({
      code: 'CodeMismatchException',
      message: "That code isn't right. Check the latest code we sent and try again.",
    })
    await confirmIdentity({ password: 'Unicorn1rides', code: RIGHT_CODE })

    // One sign-in, so one text: both codes answer its SMS_MFA step; then the check's own refresh token is revoked.
    expect(sent.map(({ operation, body }) => [operation, body.ChallengeName ?? null, body.Session ?? null])).toEqual([
      ['InitiateAuth', null, null],
      ['RespondToAuthChallenge', 'PASSWORD_VERIFIER', null],
      ['RespondToAuthChallenge', 'SMS_MFA', 'sms-1'],
      ['RespondToAuthChallenge', 'SMS_MFA', 'sms-1'],
      ['RevokeToken', null, null],
    ])
    expect(sent.at(-2)?.body.ChallengeResponses).toMatchObject({ USERNAME: claims.sub, SMS_MFA_CODE: RIGHT_CODE })
    expect(sent.at(-1)?.body).toMatchObject({ Token: 'check-refresh-token-sms-1' })
    expect(storedRefreshToken()).toBe('refresh-token')
  })

  it('says a texted code has expired with its sign-in, and the next check texts a new one', async () => {
    cognitoTextingCodes(new Set(['sms-1']))

    await refusedCheck(confirmIdentity({ password: 'Unicorn1rides' }))
    expect(await refusedCheck(confirmIdentity({ password: 'Unicorn1rides', code: RIGHT_CODE }))).toEqual({
      code: 'ChallengeExpired',
      message: 'That code has expired. Try again to get a new one.',
    })
    expect(await refusedCheck(confirmIdentity({ password: 'Unicorn1rides', code: RIGHT_CODE }))).toMatchObject({ code: 'CodeTexted' })
    await confirmIdentity({ password: 'Unicorn1rides', code: RIGHT_CODE })

    expect(sent.filter(({ operation }) => operation === 'InitiateAuth')).toHaveLength(2)
    expect(sent.at(-2)?.body).toMatchObject({ ChallengeName: 'SMS_MFA', Session: 'sms-2' })
  })

  it("answers a texted code only for the rider it was texted to: another rider's check starts its own", async () => {
    cognitoTextingCodes()
    await refusedCheck(confirmIdentity({ password: 'Unicorn1rides' }))
    storeSession(localStorage, 'client', riderClaims({ sub: 'another-rider', 'cognito:username': 'another-rider' }))

    const caught = await confirmIdentity({ password: 'Another1rides', code: RIGHT_CODE }).catch((error: unknown) => error)

    expect((caught as IdentityCheckError).cause).toBeInstanceOf(CodeRequiredError)
    expect(sent.filter(({ operation }) => operation === 'InitiateAuth')).toHaveLength(2)
  })
})
