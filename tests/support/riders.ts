/*
 * Riders for every kind of test and the bench: one `Rider` (what a rider types on the sign-up form), their official
 * AWS clients in Node pointed at local AWS (amazon-cognito-identity-js with its own storage, the identity-pool
 * credential provider and S3Client as the app builds them). No vitest here: the bench imports it too.
 */
import { randomBytes } from 'node:crypto'
import { AdminCreateUserCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider'
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3'
import {
  AuthenticationDetails,
  CognitoRefreshToken,
  CognitoUser,
  CognitoUserAttribute,
  CognitoUserPool,
  type CodeDeliveryDetails,
  type CognitoUserSession,
  type ISignUpResult,
  type UserData,
} from 'amazon-cognito-identity-js'
import { fromCognitoIdentityPool } from '@aws-sdk/credential-provider-cognito-identity'
import { fetchLocalAwsEndpoint, providerNameOf, type LocalAwsEndpoint } from './localAws.ts'
import { latestCode, uniqueEmail } from './mailbox.ts'

/** The DOM's `Storage`, every member of it (this file is checked without the DOM's types). */
export type WebStorage = {
  readonly length: number
  key(index: number): string | null
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
  clear(): void
}

/**
 * The browser's localStorage, per rider, with every member of `Storage` (the app walks its keys to forget a rider):
 * the library's own fallback is one object shared by the whole process.
 */
export function memoryStorage(): WebStorage {
  const items = new Map<string, string>()
  return {
    get length() {
      return items.size
    },
    key: (index) => [...items.keys()][index] ?? null,
    setItem: (key, value) => void items.set(key, String(value)),
    getItem: (key) => items.get(key) ?? null,
    removeItem: (key) => void items.delete(key),
    clear: () => items.clear(),
  }
}

/** Every key `storage` holds, walked as the app walks localStorage. */
export function storedKeys(storage: WebStorage): string[] {
  return Array.from({ length: storage.length }, (_, index) => storage.key(index) ?? '')
}

type NodeCallback<T> = (error: Error | null | undefined, result?: T) => void

function promised<T>(run: (callback: NodeCallback<T>) => void): Promise<T> {
  return new Promise((resolve, reject) => run((error, result) => (error ? reject(error) : resolve(result as T))))
}

/** What a rider types on the sign-up form. */
export interface Rider {
  name: string
  email: string
  /** As a rider types it; the user pool stores it in E.164 ({@link e164}). */
  phone: string
  password: string
}

/** A rider the user pool has confirmed, with the `sub` it gave them. */
export type RegisteredRider = Rider & { sub: string }

let riderCount = 0

/**
 * A rider nobody has signed up yet: an address no other test or run has used (its label the name's first word) and a
 * password that meets the pool's policy.
 */
export function newRider(overrides: Partial<Rider> = {}): Rider {
  riderCount += 1
  const name = overrides.name ?? `Rider ${riderCount}`
  return {
    name,
    email: uniqueEmail(name.split(' ')[0]?.toLowerCase()),
    phone: '+14155550123',
    password: `Unicorn-${randomBytes(4).toString('hex')}-Ride9`,
    ...overrides,
  }
}

/** The phone number as Cognito stores it and the profile shows it. */
export function e164(phone: string): string {
  return phone.replace(/\s/g, '')
}

/**
 * One browser of one rider: amazon-cognito-identity-js, unmodified but for `endpoint`, with its own storage. Each
 * method is the library call the app makes, as a promise.
 */
export class RiderBrowser {
  readonly storage = memoryStorage()
  readonly pool: CognitoUserPool

  constructor(readonly aws: LocalAwsEndpoint) {
    this.pool = new CognitoUserPool({ UserPoolId: aws.config.userPoolId, ClientId: aws.config.userPoolClientId, endpoint: `${aws.url}/`, Storage: this.storage })
  }

  /** A browser of the local AWS at `awsUrl`, whichever process serves it (its ids read from `/_local/config`). */
  static async at(awsUrl: string): Promise<RiderBrowser> {
    return new RiderBrowser(await fetchLocalAwsEndpoint(awsUrl))
  }

  /** The user as the app names it before sign-in (by email), or the remembered one after. */
  user(username?: string): CognitoUser {
    if (username === undefined) {
      const current = this.pool.getCurrentUser()
      if (!current) throw new Error('No rider is signed in on this browser')
      return current
    }
    return new CognitoUser({ Username: username, Pool: this.pool, Storage: this.storage })
  }

  signUp(rider: Rider, attributes: Record<string, string> = { email: rider.email, phone_number: e164(rider.phone), name: rider.name }): Promise<ISignUpResult> {
    const list = Object.entries(attributes).map(([Name, Value]) => new CognitoUserAttribute({ Name, Value }))
    return promised((callback) => this.pool.signUp(rider.email, rider.password, list, [], callback))
  }

  confirmSignUp(email: string, code: string): Promise<string> {
    return promised((callback) => this.user(email).confirmRegistration(code, false, callback))
  }

  resendConfirmationCode(email: string): Promise<{ CodeDeliveryDetails: CodeDeliveryDetails }> {
    return promised((callback) => this.user(email).resendConfirmationCode(callback))
  }

  /** `authenticateUser`, by default with SRP as the app signs in. */
  signIn(email: string, password: string, flow: 'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH' = 'USER_SRP_AUTH'): Promise<CognitoUserSession> {
    const user = this.user(email)
    user.setAuthenticationFlowType(flow)
    return new Promise((resolve, reject) =>
      user.authenticateUser(new AuthenticationDetails({ Username: email, Password: password }), {
        onSuccess: resolve,
        onFailure: reject,
        newPasswordRequired: () => reject(new Error('unexpected NEW_PASSWORD_REQUIRED')),
      }),
    )
  }

  /** Signs in a rider with a temporary password and answers NEW_PASSWORD_REQUIRED as the app's new-password step does. */
  signInWithNewPassword(
    email: string,
    temporaryPassword: string,
    newPassword: string,
    attributes: Record<string, string> = {},
  ): Promise<{ session: CognitoUserSession; challengeAttributes: Record<string, string>; requiredAttributes: string[] }> {
    const user = this.user(email)
    return new Promise((resolve, reject) =>
      user.authenticateUser(new AuthenticationDetails({ Username: email, Password: temporaryPassword }), {
        onSuccess: () => reject(new Error('expected NEW_PASSWORD_REQUIRED')),
        onFailure: reject,
        newPasswordRequired: (challengeAttributes: Record<string, string>, requiredAttributes: string[]) => {
          user.completeNewPasswordChallenge(newPassword, attributes, {
            onSuccess: (session) => resolve({ session, challengeAttributes, requiredAttributes }),
            onFailure: reject,
          })
        },
      }),
    )
  }

  /** The app's session restore: from storage, refreshed with the refresh token when the tokens are no longer valid. */
  getSession(): Promise<CognitoUserSession> {
    return promised((callback) => this.user().getSession(callback))
  }

  /** The current ID token, refreshed by the library when it has expired: what the app hands the identity pool. */
  async idToken(): Promise<string> {
    return (await this.getSession()).getIdToken().getJwtToken()
  }

  refreshSession(refreshToken: string): Promise<CognitoUserSession> {
    return promised((callback) => this.user().refreshSession(new CognitoRefreshToken({ RefreshToken: refreshToken }), callback))
  }

  async attributes(): Promise<Record<string, string>> {
    const list = await promised<CognitoUserAttribute[]>((callback) => this.signedInUser().then((user) => user.getUserAttributes(callback), callback))
    return Object.fromEntries(list.map((attribute) => [attribute.getName(), attribute.getValue()]))
  }

  async updateAttributes(attributes: Record<string, string>): Promise<unknown> {
    const user = await this.signedInUser()
    const list = Object.entries(attributes).map(([Name, Value]) => new CognitoUserAttribute({ Name, Value }))
    return new Promise((resolve, reject) => user.updateAttributes(list, (error, _result, details) => (error ? reject(error) : resolve(details))))
  }

  async getAttributeVerificationCode(attribute: string): Promise<{ CodeDeliveryDetails: CodeDeliveryDetails }> {
    const user = await this.signedInUser()
    return new Promise((resolve, reject) =>
      user.getAttributeVerificationCode(attribute, {
        onSuccess: () => reject(new Error('expected delivery details')),
        onFailure: reject,
        // The library's types say string; it passes the response, `{ CodeDeliveryDetails }`.
        inputVerificationCode: (data: unknown) => resolve(data as { CodeDeliveryDetails: CodeDeliveryDetails }),
      }),
    )
  }

  async verifyAttribute(attribute: string, code: string): Promise<string> {
    const user = await this.signedInUser()
    return new Promise((resolve, reject) => user.verifyAttribute(attribute, code, { onSuccess: resolve, onFailure: reject }))
  }

  async deleteAttributes(names: string[]): Promise<string> {
    const user = await this.signedInUser()
    return promised((callback) => user.deleteAttributes(names, callback))
  }

  forgotPassword(email: string): Promise<{ CodeDeliveryDetails: CodeDeliveryDetails }> {
    const user = this.user(email)
    return new Promise((resolve, reject) => user.forgotPassword({ onSuccess: resolve, onFailure: reject }))
  }

  confirmPassword(email: string, code: string, newPassword: string): Promise<string> {
    const user = this.user(email)
    return new Promise((resolve, reject) => user.confirmPassword(code, newPassword, { onSuccess: resolve, onFailure: reject }))
  }

  async changePassword(oldPassword: string, newPassword: string): Promise<string> {
    const user = await this.signedInUser()
    return promised((callback) => user.changePassword(oldPassword, newPassword, callback))
  }

  async globalSignOut(): Promise<string> {
    const user = await this.signedInUser()
    return new Promise((resolve, reject) => user.globalSignOut({ onSuccess: resolve, onFailure: reject }))
  }

  /** `signOut(callback)`: revokes the refresh token (RevokeToken) and forgets the tokens. */
  async signOut(): Promise<void> {
    const user = await this.signedInUser()
    return promised<void>((callback) => user.signOut((error?: Error) => callback(error)))
  }

  async deleteUser(): Promise<string> {
    const user = await this.signedInUser()
    return promised((callback) => user.deleteUser(callback))
  }

  /**
   * Signs in up to the authenticator-code step (SOFTWARE_TOKEN_MFA) and returns the user holding the challenge session,
   * with the challenge's parameters (`FRIENDLY_DEVICE_NAME`); fails if the sign-in asks for no code.
   */
  signInUntilCode(email: string, password: string): Promise<{ user: CognitoUser; parameters: Record<string, string> }> {
    const user = this.user(email)
    return new Promise((resolve, reject) =>
      user.authenticateUser(new AuthenticationDetails({ Username: email, Password: password }), {
        onSuccess: () => reject(new Error('expected SOFTWARE_TOKEN_MFA')),
        onFailure: reject,
        totpRequired: (_challengeName: string, parameters: Record<string, string>) => resolve({ user, parameters }),
      }),
    )
  }

  /** Answers the code step as the app does: `sendMFACode(code, …, 'SOFTWARE_TOKEN_MFA')` on the challenged user. */
  sendSoftwareTokenCode(user: CognitoUser, code: string): Promise<CognitoUserSession> {
    return new Promise((resolve, reject) => user.sendMFACode(code, { onSuccess: resolve, onFailure: reject }, 'SOFTWARE_TOKEN_MFA'))
  }

  /** `associateSoftwareToken` for the signed-in rider: the new secret (base32). */
  async associateSoftwareToken(): Promise<string> {
    const user = await this.signedInUser()
    return new Promise((resolve, reject) => user.associateSoftwareToken({ associateSecretCode: resolve, onFailure: reject }))
  }

  /** `verifySoftwareToken` for the signed-in rider, naming the authenticator. */
  async verifySoftwareToken(code: string, friendlyDeviceName: string): Promise<unknown> {
    const user = await this.signedInUser()
    return new Promise((resolve, reject) => user.verifySoftwareToken(code, friendlyDeviceName, { onSuccess: resolve, onFailure: reject }))
  }

  /** `setUserMfaPreference` turning the authenticator on (as the preferred factor) or off. */
  async setSoftwareTokenMfa(isOn: boolean): Promise<string> {
    const user = await this.signedInUser()
    return promised((callback) => user.setUserMfaPreference(null, { Enabled: isOn, PreferredMfa: isOn }, callback))
  }

  /** GetUser through `getUserData`, bypassing the library's cache: attributes and MFA settings. */
  async userData(): Promise<UserData> {
    const user = await this.signedInUser()
    return promised((callback) => user.getUserData(callback, { bypassCache: true }))
  }

  /** The remembered user with its session loaded, as the app holds it after a restore. */
  private async signedInUser(): Promise<CognitoUser> {
    const user = this.user()
    await promised((callback) => user.getSession(callback))
    return user
  }
}

/**
 * Signs `rider` up and confirms them with the code from the outbox: the calls the app's sign-up and confirm pages
 * make, for tests whose subject comes after them.
 */
export async function registerRider(browser: RiderBrowser, rider: Rider = newRider()): Promise<RegisteredRider> {
  const { userSub } = await browser.signUp(rider)
  await browser.confirmSignUp(rider.email, await latestCode(browser.aws.url, rider.email, 'sign-up'))
  return { ...rider, sub: userSub }
}

/**
 * A rider an administrator created (AdminCreateUser, signed with local AWS's administrator key) with their email and
 * phone number but no name: in FORCE_CHANGE_PASSWORD, their temporary password emailed to them (`invitation` in the
 * mailbox).
 */
export async function inviteRider(aws: LocalAwsEndpoint, rider: Rider, temporaryPassword: string): Promise<void> {
  const admin = new CognitoIdentityProviderClient({ region: aws.config.region, endpoint: aws.url, credentials: aws.config.administrator })
  await admin.send(
    new AdminCreateUserCommand({
      UserPoolId: aws.config.userPoolId,
      Username: rider.email,
      TemporaryPassword: temporaryPassword,
      UserAttributes: [
        { Name: 'email', Value: rider.email },
        { Name: 'email_verified', Value: 'true' },
        { Name: 'phone_number', Value: e164(rider.phone) },
      ],
      DesiredDeliveryMediums: ['EMAIL'],
    }),
  )
}

/** A new rider signed up, confirmed and signed in with SRP on a browser of their own. */
export async function signInNewRider(
  aws: LocalAwsEndpoint,
  rider: Rider = newRider(),
): Promise<{ browser: RiderBrowser; rider: RegisteredRider; session: CognitoUserSession }> {
  const browser = new RiderBrowser(aws)
  const registered = await registerRider(browser, rider)
  const session = await browser.signIn(registered.email, registered.password)
  return { browser, rider: registered, session }
}

/**
 * The app's credential provider: `logins` as a function, so every call gets a current ID token, and the rider's sub as
 * `userIdentifier`, so one rider's cached identity id never serves another
 * (docs/aws-behaviour.md#logins-return-a-fresh-id-token, docs/aws-behaviour.md#identity-ids-are-cached-per-rider).
 */
export function riderCredentials(aws: LocalAwsEndpoint, idToken: () => Promise<string> | string, sub: string) {
  return fromCognitoIdentityPool({
    identityPoolId: aws.config.identityPoolId,
    logins: { [providerNameOf(aws)]: async () => idToken() },
    userIdentifier: sub,
    clientConfig: { region: aws.config.region, endpoint: aws.url },
  })
}

/**
 * S3Client as the app configures it against local AWS: path-style addressing and checksums only where S3 requires them
 * (docs/aws-behaviour.md#path-style-addressing-for-a-custom-endpoint, docs/aws-behaviour.md#s3-checksums-only-when-required).
 */
export function riderS3Client(aws: LocalAwsEndpoint, credentials: ReturnType<typeof riderCredentials>): S3Client {
  return new S3Client({
    region: aws.config.region,
    endpoint: aws.url,
    forcePathStyle: true,
    credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  })
}

/** One object as the rider's credentials read it. */
export interface StoredObject {
  bytes: Buffer
  contentType: string | undefined
}

/** A rider signed in from Node: their `picture` attribute and the photo bucket as their own credentials see it. */
export interface NodeSession {
  /** The `picture` claim of a freshly issued ID token: the attribute as the user pool holds it now. */
  picture: string | undefined
  /** `region:uuid`, which keys the rider's `protected/{identityId}/` prefix. */
  identityId: string
  /** Every key under `prefix` (the rider may list only their own prefixes). */
  listKeys(prefix: string): Promise<string[]>
  getObject(key: string): Promise<StoredObject>
  /** Deletes one of the rider's objects, as their credentials may (e.g. a photo gone behind the app's back). */
  deleteObject(key: string): Promise<void>
}

/**
 * Signs a registered rider in from Node (SRP), trades the ID token for identity-pool credentials and opens the bucket
 * with the official S3Client: what the rider's own browser could read, no back door into local AWS.
 */
export async function signInFromNode(awsUrl: string, rider: RegisteredRider): Promise<NodeSession> {
  const browser = await RiderBrowser.at(awsUrl)
  const idToken = (await browser.signIn(rider.email, rider.password)).getIdToken()
  const credentials = riderCredentials(browser.aws, () => idToken.getJwtToken(), rider.sub)
  const { identityId } = await credentials()
  const client = riderS3Client(browser.aws, credentials)
  const Bucket = browser.aws.config.bucket
  return {
    picture: idToken.payload.picture as string | undefined,
    identityId,
    listKeys: async (prefix) => {
      const { Contents = [] } = await client.send(new ListObjectsV2Command({ Bucket, Prefix: prefix }))
      return Contents.flatMap(({ Key }) => (Key ? [Key] : []))
    },
    getObject: async (key) => {
      const { Body, ContentType } = await client.send(new GetObjectCommand({ Bucket, Key: key }))
      if (!Body) throw new Error(`GetObject ${key} returned no body`)
      return { bytes: Buffer.from(await Body.transformToByteArray()), contentType: ContentType }
    },
    deleteObject: async (key) => {
      await client.send(new DeleteObjectCommand({ Bucket, Key: key }))
    },
  }
}
