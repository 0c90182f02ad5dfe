import { createHmac } from 'node:crypto'
import { invalidParameter, notAuthorized } from '../errors.ts'
import { checkPasswordProof, completeSignIn, type SignInResult, type SignInServices, type SignInTarget } from './authentication.ts'
import type { ChallengeStore } from './challenges.ts'
import { INCORRECT_CREDENTIALS, userNotConfirmed, userNotFound } from './errors.ts'
import { SRP_N, createServerEphemeral, padHex, passwordMatchesVerifier } from './srp.ts'
import { srpPoolName, type UserPoolStore } from './users.ts'

// The two ways a password starts a sign-in, shared by USER_SRP_AUTH and USER_PASSWORD_AUTH and by USER_AUTH's
// PASSWORD_SRP and PASSWORD challenges: the SRP handshake's first step, and a password sent as it is.

/**
 * PASSWORD_VERIFIER with B = kv + g^b. An unknown user under PreventUserExistenceErrors gets a made-up but stable salt
 * and user id, so the answer looks like a real one and the sign-in fails only at the password check.
 */
export function startSrp(challenges: ChallengeStore, { client, store }: SignInTarget, signInName: string, srpA: string): SignInResult {
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

/** A password sent as it is (USER_PASSWORD_AUTH, USER_AUTH's PASSWORD): checked against the SRP verifier. */
export async function signInWithPassword(services: SignInServices, target: SignInTarget, signInName: string, password: string): Promise<SignInResult> {
  const user = target.store.findUser(signInName)
  if (!user) throw target.client.preventUserExistenceErrors ? notAuthorized(INCORRECT_CREDENTIALS) : userNotFound()
  if (user.status === 'UNCONFIRMED') throw userNotConfirmed()
  const poolName = srpPoolName(target.pool)
  checkPasswordProof(target.store, user.username, services.clock.now(), (candidate) =>
    passwordMatchesVerifier(poolName, candidate.username, password, candidate.verifier),
  )
  return completeSignIn(services, target, user.username)
}
