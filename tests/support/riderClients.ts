/*
 * A rider's official AWS clients in Node, pointed at local AWS: amazon-cognito-identity-js with its own storage, and
 * the identity-pool credential provider as the app builds it. No vitest here: the integration tests and the bench
 * (bench/localAws.ts) both use it.
 */
import {
  AuthenticationDetails,
  CognitoRefreshToken,
  CognitoUser,
  CognitoUserAttribute,
  CognitoUserPool,
  type CodeDeliveryDetails,
  type CognitoUserSession,
  type ICognitoStorage,
  type ISignUpResult,
} from 'amazon-cognito-identity-js'
import { fromCognitoIdentityPool } from '@aws-sdk/credential-provider-cognito-identity'
import type { LocalAws } from '../../local-aws/index.ts'

/** What a client needs of a local AWS: its URL and ids, whether it runs in this process or as `npm run local-aws`. */
export type LocalAwsEndpoint = Pick<LocalAws, 'url' | 'config'>
import type { MessageKind } from '../../local-aws/outbox.ts'

/** The browser's localStorage, per rider: the library's own fallback is one object shared by the whole process. */
export function memoryStorage(): ICognitoStorage {
  const items = new Map<string, string>()
  return {
    setItem: (key, value) => void items.set(key, value),
    getItem: (key) => items.get(key) ?? null,
    removeItem: (key) => void items.delete(key),
    clear: () => items.clear(),
  }
}

type NodeCallback<T> = (error: Error | null | undefined, result?: T) => void

function promised<T>(run: (callback: NodeCallback<T>) => void): Promise<T> {
  return new Promise((resolve, reject) => run((error, result) => (error ? reject(error) : resolve(result as T))))
}

/** What a new rider types on the sign-up form. */
export interface RiderDetails {
  email: string
  password: string
  phone: string
  name: string
}

let riderCount = 0

export function newRiderDetails(overrides: Partial<RiderDetails> = {}): RiderDetails {
  riderCount += 1
  return { email: `rider${riderCount}-${Date.now()}@example.com`, password: 'Unicorn-Ride-9', phone: '+15555550100', name: `Rider ${riderCount}`, ...overrides }
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

  /** The user as the app names it before sign-in (by email), or the remembered one after. */
  user(username?: string): CognitoUser {
    if (username === undefined) {
      const current = this.pool.getCurrentUser()
      if (!current) throw new Error('No rider is signed in on this browser')
      return current
    }
    return new CognitoUser({ Username: username, Pool: this.pool, Storage: this.storage })
  }

  signUp(details: RiderDetails, attributes: Record<string, string> = { email: details.email, phone_number: details.phone, name: details.name }): Promise<ISignUpResult> {
    const list = Object.entries(attributes).map(([Name, Value]) => new CognitoUserAttribute({ Name, Value }))
    return promised((callback) => this.pool.signUp(details.email, details.password, list, [], callback))
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

  /** The remembered user with its session loaded, as the app holds it after a restore. */
  private async signedInUser(): Promise<CognitoUser> {
    const user = this.user()
    await promised((callback) => user.getSession(callback))
    return user
  }
}

/** The newest code local AWS "sent" to an address for a purpose, read from the mailbox as a developer would. */
export async function latestCode(aws: LocalAwsEndpoint, to: string, kind: MessageKind): Promise<string> {
  const response = await fetch(`${aws.url}/_local/outbox`)
  const messages = (await response.json()) as { to: string; kind: string; code: string }[]
  const message = messages.findLast((candidate) => candidate.to === to && candidate.kind === kind)
  if (!message) throw new Error(`No ${kind} code was sent to ${to}`)
  return message.code
}

/** Signs a new rider up and confirms them; returns the rider's details and sub. */
export async function registerRider(browser: RiderBrowser, overrides: Partial<RiderDetails> = {}): Promise<RiderDetails & { sub: string }> {
  const details = newRiderDetails(overrides)
  const { userSub } = await browser.signUp(details)
  await browser.confirmSignUp(details.email, await latestCode(browser.aws, details.email, 'sign-up'))
  return { ...details, sub: userSub }
}

/** The `Logins` key of the local user pool: its token issuer without the scheme. */
export function providerNameOf(aws: LocalAwsEndpoint): string {
  return `cognito-idp.${aws.config.region}.amazonaws.com/${aws.config.userPoolId}`
}

/** The app's credential provider (DESIGN.md: `logins` as a function, `userIdentifier` = the rider's sub). */
export function riderCredentials(aws: LocalAwsEndpoint, idToken: () => Promise<string> | string, sub: string) {
  return fromCognitoIdentityPool({
    identityPoolId: aws.config.identityPoolId,
    logins: { [providerNameOf(aws)]: async () => idToken() },
    userIdentifier: sub,
    clientConfig: { region: aws.config.region, endpoint: aws.url },
  })
}
