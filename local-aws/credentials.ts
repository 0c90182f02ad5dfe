import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import type { Clock } from './clock.ts'
import { Journal } from './journal.ts'

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

interface CredentialCollections {
  /** By access key id. */
  sessions: Record<string, SessionCredentials>
}

/**
 * The credentials local AWS has issued, by access key id, as STS would remember them. Kept in the data folder so that
 * a browser's cached credentials keep working after a restart, as real ones would.
 */
export class CredentialRegistry {
  private readonly journal: Journal<CredentialCollections>

  constructor(
    dataDir: string,
    private readonly clock: Clock,
  ) {
    this.journal = new Journal<CredentialCollections>(join(dataDir, 'credentials.jsonl'), {
      collections: ['sessions'],
      // Sessions that expired a day ago go when the journal is rewritten; until then they get ExpiredToken.
      keep: { sessions: (session) => session.expiration >= clock.now() - 86_400_000 },
      legacy: { path: join(dataDir, 'credentials.json'), read: (content) => ({ sessions: content as Record<string, SessionCredentials> }) },
    })
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
    this.journal.update((draft) => void (draft.sessions[credentials.accessKeyId] = credentials))
    return credentials
  }

  /**
   * The long-term access key of the account's local administrator (an IAM user, so no session token and no expiry),
   * created once per data folder: what `npm run deploy -- --local` and other operator tools sign with.
   */
  administrator(userArn: string): SessionCredentials {
    const existing = Object.values(this.journal.current.sessions).find((session) => session.roleArn === userArn)
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
    this.journal.update((draft) => void (draft.sessions[key.accessKeyId] = key))
    return key
  }

  find(accessKeyId: string): SessionCredentials | undefined {
    // The id comes from the request: `__proto__` or `constructor` must not find Object's properties.
    const { sessions } = this.journal.current
    return Object.hasOwn(sessions, accessKeyId) ? sessions[accessKeyId] : undefined
  }
}
