import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { PasskeyError, signInWithPasskey } from '@/lib/aws/passkeys'
import { cognitoError, riderClaims } from '../../tests/support/fixtures'
import { useSessionStore } from './session'

vi.mock('@/lib/aws/passkeys', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@/lib/aws/passkeys')>()),
  signInWithPasskey: vi.fn(),
}))

beforeEach(() => {
  vi.resetAllMocks()
  setActivePinia(createPinia())
})

describe('the session store’s signInWithPasskey', () => {
  it('makes the claims of the passkey’s tokens the rider’s session', async () => {
    vi.mocked(signInWithPasskey).mockResolvedValue(riderClaims())
    const session = useSessionStore()

    expect(await session.signInWithPasskey('ada@example.com')).toBe(true)

    expect(signInWithPasskey).toHaveBeenCalledWith('ada@example.com')
    expect(session.isSignedIn).toBe(true)
    expect(session.claims?.email).toBe('ada@example.com')
    expect(session.actionState.signInWithPasskey.error).toBeNull()
  })

  it.each([
    [new PasskeyError('PasskeyCancelled'), "The passkey prompt was closed before it finished. Try again when you're ready."],
    [new PasskeyError('PasskeyWrongSite'), "That passkey was made for another website, so it can't be used here. Choose a passkey made for Wild Rydes."],
    [new PasskeyError('PasskeysUnsupported'), "This browser can't use passkeys. Update it or use another browser, or sign in with your password."],
    [new PasskeyError('NoPasskey'), 'This account has no passkey yet. Sign in with your password, then add a passkey on your profile.'],
    [cognitoError('NotAuthorizedException', 'Incorrect username or password.'), "That passkey isn't on your account any more. Sign in with your password, or use another passkey."],
    [cognitoError('WebAuthnRelyingPartyMismatchException', 'RP ID mismatch'), "That passkey was made for another website, so it can't be used here. Choose a passkey made for Wild Rydes."],
  ])('says %s in the rider’s words and stays signed out', async (failure, message) => {
    vi.mocked(signInWithPasskey).mockRejectedValue(failure)
    const session = useSessionStore()

    expect(await session.signInWithPasskey('ada@example.com')).toBe(false)

    expect(session.isSignedIn).toBe(false)
    expect(session.actionState.signInWithPasskey.error?.message).toBe(message)
  })
})
