// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_InitiateAuth.html
import type { InitiateAuthCommandInput, InitiateAuthCommandOutput } from '@aws-sdk/client-cognito-identity-provider'
import { createHmac } from 'node:crypto'
import type { JsonOperation } from '../../context.ts'
import { invalidParameter, notAuthorized } from '../../errors.ts'
import type { UserPoolClientModel } from '../../template/model.ts'
import { checkPasswordProof, completeSignIn, type SignInResult, type SignInServices, type SignInTarget } from '../authentication.ts'
import type { ChallengeStore } from '../challenges.ts'
import { INCORRECT_CREDENTIALS, userNotConfirmed, userNotFound } from '../errors.ts'
import { requiredParameter, requiredString, stringMap } from '../../protocol/jsonInput.ts'
import { CLIENT_ID } from '../memberRules.ts'
import { SRP_N, createServerEphemeral, padHex, passwordMatchesVerifier } from '../srp.ts'
import { findSessionByRefreshToken } from '../tokens.ts'
import { srpPoolName, type UserPoolDirectory, type UserPoolStore } from '../users.ts'

const AUTH_FLOWS = [
  'USER_SRP_AUTH', 'REFRESH_TOKEN_AUTH', 'REFRESH_TOKEN', 'CUSTOM_AUTH', 'ADMIN_NO_SRP_AUTH', 'USER_PASSWORD_AUTH',
  'ADMIN_USER_PASSWORD_AUTH', 'USER_AUTH',
]

/** The ExplicitAuthFlows value that lets a client use a flow; an empty list means Cognito's defaults. */
const FLOW_PERMISSIONS: Record<string, string> = {
  USER_SRP_AUTH: 'ALLOW_USER_SRP_AUTH',
  REFRESH_TOKEN_AUTH: 'ALLOW_REFRESH_TOKEN_AUTH',
  REFRESH_TOKEN: 'ALLOW_REFRESH_TOKEN_AUTH',
  USER_PASSWORD_AUTH: 'ALLOW_USER_PASSWORD_AUTH',
  CUSTOM_AUTH: 'ALLOW_CUSTOM_AUTH',
  USER_AUTH: 'ALLOW_USER_AUTH',
}
const DEFAULT_FLOWS = ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_CUSTOM_AUTH']
/** The names ExplicitAuthFlows had before the ALLOW_ ones. */
const LEGACY_FLOWS: Record<string, string> = { USER_PASSWORD_AUTH: 'ALLOW_USER_PASSWORD_AUTH', CUSTOM_AUTH_FLOW_ONLY: 'ALLOW_CUSTOM_AUTH' }

function isFlowAllowed(client: UserPoolClientModel, flow: string): boolean {
  const granted = client.explicitAuthFlows.length === 0 ? DEFAULT_FLOWS : client.explicitAuthFlows.map((name) => LEGACY_FLOWS[name] ?? name)
  const permission = FLOW_PERMISSIONS[flow]
  return permission !== undefined && granted.includes(permission)
}

interface Services extends SignInServices {
  directory: UserPoolDirectory
}

/** Starts a sign-in: SRP (the client's default), a refresh, or a plain password when the client allows it. */
export function createInitiateAuth(services: Services): JsonOperation<InitiateAuthCommandInput, InitiateAuthCommandOutput> {
  return async (input) => {
    const flow = requiredString(input, 'AuthFlow')
    const clientId = requiredString(input, 'ClientId', CLIENT_ID)
    const parameters = stringMap(input, 'AuthParameters')
    if (!AUTH_FLOWS.includes(flow)) {
      throw invalidParameter(
        `1 validation error detected: Value '${flow}' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set: [${AUTH_FLOWS.join(', ')}]`,
      )
    }
    const target = services.directory.forClient(clientId)
    if (!isFlowAllowed(target.client, flow)) throw invalidParameter(`${flow} flow not enabled for this client`)
    switch (flow) {
      case 'USER_SRP_AUTH':
        return startSrp(services.challenges, target, requiredParameter(parameters, 'USERNAME'), requiredParameter(parameters, 'SRP_A'))
      case 'REFRESH_TOKEN_AUTH':
      case 'REFRESH_TOKEN':
        return refresh(services, target, requiredParameter(parameters, 'REFRESH_TOKEN'))
      case 'USER_PASSWORD_AUTH':
        return signInWithPassword(services, target, requiredParameter(parameters, 'USERNAME'), requiredParameter(parameters, 'PASSWORD'))
      default:
        throw invalidParameter('Initiate Auth method not supported.')
    }
  }
}

/**
 * PASSWORD_VERIFIER with B = kv + g^b. An unknown user under PreventUserExistenceErrors gets a made-up but stable salt
 * and user id, so the answer looks like a real one and the sign-in fails only at the password check.
 */
function startSrp(challenges: ChallengeStore, { client, store }: SignInTarget, signInName: string, srpA: string): SignInResult {
  if (!/^[0-9a-fA-F]+$/.test(srpA)) throw invalidParameter('SRP_A must be a hexadecimal number')
  const clientPublicValue = BigInt(`0x${srpA}`)
  if (clientPublicValue % SRP_N === 0n) throw invalidParameter('SRP_A cannot be 0 modulo N')
  const user = store.findUser(signInName)
  if (!user && !client.preventUserExistenceErrors) throw userNotFound()
  const srp = user ? { userIdForSrp: user.username, ...user.verifier } : decoyVerifier(store, signInName)
  const server = createServerEphemeral(srp.verifier)
  const secretBlock = challenges.open({
    kind: 'PASSWORD_VERIFIER',
    clientId: client.id,
    username: user?.username,
    userIdForSrp: srp.userIdForSrp,
    clientPublicValue,
    server,
  })
  return {
    ChallengeName: 'PASSWORD_VERIFIER',
    ChallengeParameters: {
      SALT: srp.salt,
      SECRET_BLOCK: secretBlock,
      SRP_B: server.publicValue.toString(16),
      USERNAME: srp.userIdForSrp,
      USER_ID_FOR_SRP: srp.userIdForSrp,
    },
  }
}

function decoyVerifier(store: UserPoolStore, signInName: string): { userIdForSrp: string; salt: string; verifier: string } {
  const derive = (purpose: string) => createHmac('sha256', store.state.decoySecret).update(`${purpose}:${signInName.toLowerCase()}`).digest('hex')
  const id = derive('id')
  return {
    userIdForSrp: `${id.slice(0, 8)}-${id.slice(8, 12)}-4${id.slice(13, 16)}-a${id.slice(17, 20)}-${id.slice(20, 32)}`,
    salt: padHex(BigInt(`0x${derive('salt').slice(0, 32)}`)),
    verifier: derive('verifier').repeat(12),
  }
}

/** New ID and access tokens from a refresh token; the answer has no RefreshToken, so the client keeps its own. */
async function refresh({ tokens, clock }: Services, { client, pool, store }: SignInTarget, refreshToken: string): Promise<SignInResult> {
  const session = findSessionByRefreshToken(store.state, refreshToken)
  if (!session || session.clientId !== client.id) throw notAuthorized('Invalid Refresh Token')
  if (session.revoked) throw notAuthorized('Refresh Token has been revoked')
  if (clock.now() >= session.expiresAt) throw notAuthorized('Refresh Token has expired')
  const user = store.state.users[session.username]
  if (!user) throw notAuthorized('Invalid Refresh Token')
  return { AuthenticationResult: await tokens.issue({ pool, client, user, session }), ChallengeParameters: {} }
}

async function signInWithPassword(services: Services, target: SignInTarget, signInName: string, password: string): Promise<SignInResult> {
  const user = target.store.findUser(signInName)
  if (!user) throw target.client.preventUserExistenceErrors ? notAuthorized(INCORRECT_CREDENTIALS) : userNotFound()
  if (user.status === 'UNCONFIRMED') throw userNotConfirmed()
  const poolName = srpPoolName(target.pool)
  checkPasswordProof(target.store, user.username, services.clock.now(), (candidate) =>
    passwordMatchesVerifier(poolName, candidate.username, password, candidate.verifier),
  )
  return completeSignIn(services, target, user.username)
}
