// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_InitiateAuth.html
import type { InitiateAuthCommandInput, InitiateAuthCommandOutput } from '@aws-sdk/client-cognito-identity-provider'
import type { JsonOperation } from '../../context.ts'
import { invalidParameter, notAuthorized } from '../../errors.ts'
import type { UserPoolClientModel } from '../../template/model.ts'
import type { SignInResult, SignInServices, SignInTarget } from '../authentication.ts'
import { requiredParameter, requiredString, stringMap } from '../../protocol/jsonInput.ts'
import { CLIENT_ID } from '../memberRules.ts'
import { signInWithPassword, startSrp } from '../passwordSignIn.ts'
import { findSessionByRefreshToken } from '../tokens.ts'
import { startUserAuth } from '../userAuth.ts'
import type { UserPoolDirectory } from '../users.ts'

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

/**
 * Starts a sign-in: SRP (the client's default), a refresh, a plain password when the client allows it, or choice-based
 * sign-in (USER_AUTH: a password or a passkey, local-aws/cognito-idp/userAuth.ts).
 */
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
      case 'USER_AUTH':
        return startUserAuth(services, target, parameters)
      default:
        throw invalidParameter('Initiate Auth method not supported.')
    }
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
