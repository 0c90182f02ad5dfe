/*
 * A passkey authenticator for tests, written from the WebAuthn specification with node:crypto only (independent of the
 * server library local AWS verifies with): ES256 key pairs, 'none' attestation, assertions with a signature counter.
 * It answers the JSON options Cognito hands out and returns what a browser's `PublicKeyCredential.toJSON()` returns
 * (RegistrationResponseJSON, AuthenticationResponseJSON: base64url members). No vitest here, like the rest of
 * tests/support. https://www.w3.org/TR/webauthn-3/
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto'

/** The members of PublicKeyCredentialCreationOptionsJSON an authenticator reads. */
export interface CreationOptionsJSON {
  challenge: string
  rp: { id?: string; name: string }
  user: { id: string; name: string; displayName: string }
  pubKeyCredParams: { type: string; alg: number }[]
  excludeCredentials?: { id: string; type: string }[]
  authenticatorSelection?: { userVerification?: string; residentKey?: string }
}

/** The members of PublicKeyCredentialRequestOptionsJSON an authenticator reads. */
export interface RequestOptionsJSON {
  challenge: string
  rpId?: string
  allowCredentials?: { id: string; type: string }[]
  userVerification?: string
}

/** A type, not an interface, so that it is a JSON document to the SDK as it is. */
export type RegistrationResponseJSON = {
  id: string
  rawId: string
  type: 'public-key'
  authenticatorAttachment: 'platform' | 'cross-platform'
  clientExtensionResults: Record<string, never>
  response: { clientDataJSON: string; attestationObject: string; transports: string[] }
}

export interface AuthenticationResponseJSON {
  id: string
  rawId: string
  type: 'public-key'
  authenticatorAttachment: 'platform' | 'cross-platform'
  clientExtensionResults: Record<string, never>
  response: { clientDataJSON: string; authenticatorData: string; signature: string; userHandle: string }
}

/** What a test may make the authenticator or the browser around it do differently from an honest one. */
export interface CeremonyOverrides {
  /** The page's origin; `http://localhost:5173` unless told. */
  origin?: string
  /** The relying party the authenticator scopes the credential to, instead of the options' one. */
  rpId?: string
  /** The challenge signed, instead of the options' one. */
  challenge?: string
  /** Whether the user was verified (biometrics, PIN); the authenticator's own ability unless told. */
  isUserVerified?: boolean
  /** Ignore `excludeCredentials` and register the credential held already again (a browser refuses with InvalidStateError). */
  reregister?: boolean
  /** The signature counter to report instead of the next one (to replay an old value). */
  counter?: number
}

interface HeldCredential {
  id: Buffer
  rpId: string
  userHandle: string
  privateKey: KeyObject
  publicKey: KeyObject
  counter: number
}

const base64url = (bytes: Buffer | Uint8Array): string => Buffer.from(bytes).toString('base64url')
const sha256 = (data: Buffer | string): Buffer => createHash('sha256').update(data).digest()

// The deterministic CBOR subset WebAuthn needs (RFC 8949 §4.2): unsigned and negative integers, byte and text strings,
// maps. Written here so that the authenticator shares no code with the verifier.
function cborHead(major: number, value: number): Buffer {
  if (value < 24) return Buffer.from([(major << 5) | value])
  if (value < 0x100) return Buffer.from([(major << 5) | 24, value])
  if (value < 0x10000) return Buffer.from([(major << 5) | 25, value >> 8, value & 0xff])
  const head = Buffer.alloc(5)
  head[0] = (major << 5) | 26
  head.writeUInt32BE(value, 1)
  return head
}

type CborValue = number | string | Buffer | Map<number | string, CborValue>

function cbor(value: CborValue): Buffer {
  if (typeof value === 'number') return value >= 0 ? cborHead(0, value) : cborHead(1, -1 - value)
  if (typeof value === 'string') return Buffer.concat([cborHead(3, Buffer.byteLength(value)), Buffer.from(value)])
  if (Buffer.isBuffer(value)) return Buffer.concat([cborHead(2, value.length), value])
  return Buffer.concat([cborHead(5, value.size), ...[...value].flatMap(([key, item]) => [cbor(key), cbor(item)])])
}

/** The credential public key as a COSE_Key: EC2 on P-256 for ES256 (RFC 9053 §7.1). */
function coseKeyOf(publicKey: KeyObject): Buffer {
  const jwk = publicKey.export({ format: 'jwk' })
  return cbor(new Map<number, CborValue>([[1, 2], [3, -7], [-1, 1], [-2, Buffer.from(jwk.x!, 'base64url')], [-3, Buffer.from(jwk.y!, 'base64url')]]))
}

const FLAG_USER_PRESENT = 0x01
const FLAG_USER_VERIFIED = 0x04
const FLAG_ATTESTED_DATA = 0x40

export class PasskeyAuthenticator {
  private readonly credentials: HeldCredential[] = []

  constructor(
    private readonly settings: { isUserVerifying?: boolean; aaguid?: Buffer; attachment?: 'platform' | 'cross-platform' } = {},
  ) {}

  /** The credentials this authenticator holds, by base64url id. */
  get credentialIds(): string[] {
    return this.credentials.map((credential) => base64url(credential.id))
  }

  /** `navigator.credentials.create({ publicKey })` with Cognito's CredentialCreationOptions. */
  create(options: CreationOptionsJSON, overrides: CeremonyOverrides = {}): RegistrationResponseJSON {
    const rpId = overrides.rpId ?? options.rp.id ?? 'localhost'
    if (!options.pubKeyCredParams.some((parameter) => parameter.alg === -7)) throw new Error('NotSupportedError: ES256 is not among pubKeyCredParams')
    const excluded = new Set((options.excludeCredentials ?? []).map((descriptor) => descriptor.id))
    const held = this.credentials.find((candidate) => excluded.has(base64url(candidate.id)))
    if (held && !overrides.reregister) throw new Error('InvalidStateError: a credential of this authenticator is excluded')
    const credential = held ?? { id: randomBytes(32), rpId, userHandle: options.user.id, ...generateKeyPairSync('ec', { namedCurve: 'P-256' }), counter: 0 }
    const clientDataJSON = this.clientData('webauthn.create', overrides.challenge ?? options.challenge, overrides)
    const idLength = Buffer.alloc(2)
    idLength.writeUInt16BE(credential.id.length)
    const authData = Buffer.concat([
      this.authenticatorDataHead(rpId, FLAG_ATTESTED_DATA | this.verificationFlags(overrides), credential.counter),
      this.settings.aaguid ?? Buffer.alloc(16),
      idLength,
      credential.id,
      coseKeyOf(credential.publicKey),
    ])
    const attestationObject = cbor(new Map<string, CborValue>([['fmt', 'none'], ['attStmt', new Map()], ['authData', authData]]))
    if (!held) this.credentials.push(credential)
    return {
      id: base64url(credential.id),
      rawId: base64url(credential.id),
      type: 'public-key',
      authenticatorAttachment: this.settings.attachment ?? 'platform',
      clientExtensionResults: {},
      response: { clientDataJSON: base64url(clientDataJSON), attestationObject: base64url(attestationObject), transports: ['internal'] },
    }
  }

  /** `navigator.credentials.get({ publicKey })` with the options of a WEB_AUTHN challenge (parsed from its JSON string). */
  get(options: RequestOptionsJSON, overrides: CeremonyOverrides = {}): AuthenticationResponseJSON {
    const rpId = options.rpId ?? 'localhost'
    const allowed = new Set((options.allowCredentials ?? []).map((descriptor) => descriptor.id))
    const credential = this.credentials.find((candidate) => candidate.rpId === rpId && (allowed.size === 0 || allowed.has(base64url(candidate.id))))
    if (!credential) throw new Error('NotAllowedError: no credential of this authenticator is allowed')
    credential.counter += 1
    const clientDataJSON = this.clientData('webauthn.get', overrides.challenge ?? options.challenge, overrides)
    const authenticatorData = this.authenticatorDataHead(overrides.rpId ?? rpId, this.verificationFlags(overrides), overrides.counter ?? credential.counter)
    const signature = sign('sha256', Buffer.concat([authenticatorData, sha256(clientDataJSON)]), credential.privateKey)
    return {
      id: base64url(credential.id),
      rawId: base64url(credential.id),
      type: 'public-key',
      authenticatorAttachment: this.settings.attachment ?? 'platform',
      clientExtensionResults: {},
      response: {
        clientDataJSON: base64url(clientDataJSON),
        authenticatorData: base64url(authenticatorData),
        signature: base64url(signature),
        userHandle: credential.userHandle,
      },
    }
  }

  private clientData(type: string, challenge: string, overrides: CeremonyOverrides): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin: overrides.origin ?? 'http://localhost:5173', crossOrigin: false }))
  }

  private verificationFlags(overrides: CeremonyOverrides): number {
    const isVerified = overrides.isUserVerified ?? this.settings.isUserVerifying ?? true
    return FLAG_USER_PRESENT | (isVerified ? FLAG_USER_VERIFIED : 0)
  }

  /** rpIdHash ‖ flags ‖ signCount, the part every authenticator data starts with (WebAuthn §6.1). */
  private authenticatorDataHead(rpId: string, flags: number, counter: number): Buffer {
    const signCount = Buffer.alloc(4)
    signCount.writeUInt32BE(counter)
    return Buffer.concat([sha256(rpId), Buffer.from([flags]), signCount])
  }
}
