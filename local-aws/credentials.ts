import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import type { Clock } from './clock.ts'
import { JsonDocument } from './store.ts'

/** Temporary credentials handed out for a role session, with what IAM needs to know about that session. */
export interface SessionCredentials {
  accessKeyId: string
  secretAccessKey: string
  sessionToken: string
  /** Epoch milliseconds. */
  expiration: number
  roleArn: string
  roleId: string
  /** The identity id (`region:uuid`): `${cognito-identity.amazonaws.com:sub}` in policies. */
  identityId: string
  /** The identity pool id: `${cognito-identity.amazonaws.com:aud}`. */
  identityPoolId: string
  /** `cognito-identity.amazonaws.com:amr`, e.g. `["authenticated", "cognito-idp…", "cognito-idp…:CognitoSignIn:sub"]`. */
  amr: string[]
}

export interface IssueRequest {
  roleArn: string
  roleId: string
  identityId: string
  identityPoolId: string
  amr: string[]
  durationSeconds: number
}

function randomKey(prefix: string, length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  return prefix + Array.from(randomBytes(length), (byte) => alphabet[byte % alphabet.length]).join('')
}

/**
 * The credentials local AWS has issued, by access key id, as STS would remember them. Kept in the data folder so that
 * a browser's cached credentials keep working after a restart, as real ones would.
 */
export class CredentialRegistry {
  private readonly document: JsonDocument<Record<string, SessionCredentials>>

  constructor(
    dataDir: string,
    private readonly clock: Clock,
  ) {
    this.document = new JsonDocument(join(dataDir, 'credentials.json'), () => ({}))
  }

  issue(request: IssueRequest): SessionCredentials {
    const now = this.clock.now()
    const credentials: SessionCredentials = {
      accessKeyId: randomKey('ASIA', 16),
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: randomBytes(96).toString('base64'),
      expiration: now + request.durationSeconds * 1000,
      roleArn: request.roleArn,
      roleId: request.roleId,
      identityId: request.identityId,
      identityPoolId: request.identityPoolId,
      amr: request.amr,
    }
    this.document.update((all) => {
      // Forget sessions that expired a day ago: a request with them still gets ExpiredToken until then.
      for (const [key, session] of Object.entries(all)) {
        if (session.expiration < now - 86_400_000) delete all[key]
      }
      all[credentials.accessKeyId] = credentials
    })
    return credentials
  }

  /**
   * The long-term access key of the account's local administrator (an IAM user, so no session token and no expiry),
   * created once per data folder: what `npm run deploy -- --local` and other operator tools sign with.
   */
  administrator(userArn: string): SessionCredentials {
    const existing = Object.values(this.document.current).find((session) => session.roleArn === userArn)
    if (existing) return existing
    const key: SessionCredentials = {
      accessKeyId: randomKey('AKIA', 16),
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: '',
      expiration: Number.MAX_SAFE_INTEGER,
      roleArn: userArn,
      roleId: randomKey('AIDA', 17),
      identityId: '',
      identityPoolId: '',
      amr: [],
    }
    this.document.update((all) => {
      all[key.accessKeyId] = key
    })
    return key
  }

  find(accessKeyId: string): SessionCredentials | undefined {
    // The id comes from the request: `__proto__` or `constructor` must not find Object's properties.
    const all = this.document.current
    return Object.hasOwn(all, accessKeyId) ? all[accessKeyId] : undefined
  }
}
