// A user's passkeys as the user pool keeps them: on the user's own record in the data folder, so they survive a restart
// and go with the user when the user is deleted. Only public keys are kept; the private key never leaves the
// authenticator.

/** One registered passkey. Binary values are base64url, as WebAuthn's JSON forms carry them. */
export interface StoredPasskey {
  /** The credential id. */
  id: string
  /** The COSE public key. */
  publicKey: string
  /** The authenticator's signature counter at the last sign-in; 0 for authenticators that keep none. */
  counter: number
  transports: string[]
  /** `platform` or `cross-platform`, when the browser said. */
  attachment?: string
  friendlyName: string
  relyingPartyId: string
  /** Epoch milliseconds. */
  createdAt: number
  lastUsedAt?: number
}

export interface UserPasskeys {
  credentials: StoredPasskey[]
  /** SetUserMFAPreference `WebAuthnMfaSettings.Enabled`: a passkey with user verification is this user's second factor too. */
  isMfaEnabled: boolean
}

/** What a user record holds of passkeys (users.ts's StoredUser extends it). */
export interface PasskeyHolder {
  /** The user's passkeys (public keys only) and whether one also counts as their second factor. */
  passkeys?: UserPasskeys
}

export function passkeysOf(user: PasskeyHolder): StoredPasskey[] {
  return user.passkeys?.credentials ?? []
}

/** Whether any user of the pool registered this credential id already (a credential belongs to one user). */
export function isCredentialRegistered(users: Readonly<Record<string, PasskeyHolder>>, credentialId: string): boolean {
  return Object.values(users).some((user) => passkeysOf(user).some((passkey) => passkey.id === credentialId))
}

/** Adds a passkey to a user draft. */
export function addPasskey(user: PasskeyHolder, passkey: StoredPasskey): void {
  user.passkeys = { isMfaEnabled: user.passkeys?.isMfaEnabled ?? false, credentials: [...passkeysOf(user), passkey] }
}

/** Removes a passkey from a user draft; whether it was there. */
export function removePasskey(user: PasskeyHolder, credentialId: string): boolean {
  const credentials = passkeysOf(user)
  const remaining = credentials.filter((passkey) => passkey.id !== credentialId)
  if (!user.passkeys || remaining.length === credentials.length) return false
  user.passkeys.credentials = remaining
  return true
}

/** Records a sign-in with a passkey on a user draft: its new signature counter and when it was used. */
export function recordPasskeyUse(user: PasskeyHolder, credentialId: string, counter: number, now: number): void {
  const passkey = passkeysOf(user).find((candidate) => candidate.id === credentialId)
  if (passkey) Object.assign(passkey, { counter, lastUsedAt: now })
}

/** Turns passkey MFA on or off on a user draft. */
export function setPasskeyMfa(user: PasskeyHolder, isEnabled: boolean): void {
  user.passkeys = { credentials: passkeysOf(user), isMfaEnabled: isEnabled }
}
