import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { riderClaims, unsignedJwt } from '../../../tests/support/fixtures'
import { sendSignInCode, signIn } from './userPool'

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
 * Cognito's answers for a rider with SMS MFA: the SRP challenge (not checked here: the exchange is local AWS's
 * subject), then SMS_MFA naming the masked number, then the tokens for the right code.
 */
function cognitoWithSmsMfa(): void {
  const claims = riderClaims({ email: 'ada@example.com' })
  fetchMock.mockImplementation(async (_url, init) => {
    const operation = String(new Headers(init?.headers).get('X-Amz-Target')).split('.')[1] ?? ''
    const body = JSON.parse(String(init?.body)) as Record<string, unknown>
    sent.push({ operation, body })
    if (operation === 'InitiateAuth') {
      return answer({
        ChallengeName: 'PASSWORD_VERIFIER',
        ChallengeParameters: { SALT: 'a1b2c3d4', SRP_B: 'f'.repeat(64), SECRET_BLOCK: 'c2VjcmV0', USER_ID_FOR_SRP: 'rider-sub', USERNAME: 'rider-sub' },
      })
    }
    if (body.ChallengeName === 'PASSWORD_VERIFIER') {
      return answer({
        ChallengeName: 'SMS_MFA',
        Session: 'sms-session',
        ChallengeParameters: { CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS', CODE_DELIVERY_DESTINATION: '+*******1234' },
      })
    }
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
