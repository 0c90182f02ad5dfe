import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
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
import { afterAll, beforeAll, expect } from 'vitest'
import { FakeClock } from '../../local-aws/clock.ts'
import { startLocalAws, type LocalAws, type StartOptions } from '../../local-aws/index.ts'
import type { MessageKind } from '../../local-aws/outbox.ts'

/** A local AWS on port 0 with a fresh data folder and a clock the test moves. */
export async function startTestAws(options: Partial<StartOptions> = {}): Promise<{ aws: LocalAws; clock: FakeClock; dataDir: string }> {
  const clock = new FakeClock()
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'la-')))
  const aws = await startLocalAws({ port: 0, log: () => {}, clock, ...options, dataDir })
  return { aws, clock, dataDir }
}

/**
 * One local AWS for a test file: {@link startTestAws} before its tests, stopped and its data folder removed after them.
 * Read `aws` and `clock` in tests and hooks, once `beforeAll` has run.
 */
export function useTestAws(): { readonly aws: LocalAws; readonly clock: FakeClock } {
  let started: Awaited<ReturnType<typeof startTestAws>> | undefined
  beforeAll(async () => {
    started = await startTestAws()
  })
  afterAll(async () => {
    await started?.aws.stop()
    if (started) await rm(started.dataDir, { recursive: true, force: true })
  })
  const current = () => {
    if (!started) throw new Error('Local AWS starts in beforeAll: read useTestAws() values in tests and hooks')
    return started
  }
  return {
    get aws() {
      return current().aws
    },
    get clock() {
      return current().clock
    },
  }
}

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

/** An AWS error as amazon-cognito-identity-js reports it. */
export interface ClientError extends Error {
  code: string
}

/** Expects a call to fail with this AWS error name and message. */
export async function expectAwsError(call: Promise<unknown>, code: string, message?: string | RegExp): Promise<void> {
  const error = (await call.then(
    () => undefined,
    (failure: unknown) => failure,
  )) as ClientError | undefined
  expect(error, `expected ${code}`).toBeDefined()
  expect(error!.code).toBe(code)
  if (message !== undefined) expect(error!.message).toMatch(typeof message === 'string' ? new RegExp(`^${escapeRegExp(message)}$`) : message)
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
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

  constructor(readonly aws: LocalAws) {
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
export async function latestCode(aws: LocalAws, to: string, kind: MessageKind): Promise<string> {
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

/** A new rider signed up, confirmed and signed in with SRP on a browser of their own. */
export async function signInNewRider(
  aws: LocalAws,
  overrides: Partial<RiderDetails> = {},
): Promise<{ browser: RiderBrowser; rider: RiderDetails & { sub: string }; session: CognitoUserSession }> {
  const browser = new RiderBrowser(aws)
  const rider = await registerRider(browser, overrides)
  const session = await browser.signIn(rider.email, rider.password)
  return { browser, rider, session }
}

/** One raw AWS JSON 1.1 request to the user pool, for what the library never sends. */
export async function callUserPool(aws: LocalAws, operation: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${aws.url}/`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': `AWSCognitoIdentityProviderService.${operation}` },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

/**
 * The InitiateAuth REFRESH_TOKEN_AUTH request `refreshSession` sends, sent once: the library retries a refused
 * refresh with back-off for several seconds, which tests of the refusal need not wait for.
 */
export function refreshDirectly(aws: LocalAws, refreshToken: string): Promise<{ status: number; body: Record<string, unknown> }> {
  return callUserPool(aws, 'InitiateAuth', { ClientId: aws.config.userPoolClientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: refreshToken } })
}
