import type { JsonService, LocalAwsContext } from '../context.ts'
import { ChallengeStore } from './challenges.ts'
import { changePassword } from './operations/changePassword.ts'
import { confirmForgotPassword } from './operations/confirmForgotPassword.ts'
import { confirmSignUp } from './operations/confirmSignUp.ts'
import { deleteUser } from './operations/deleteUser.ts'
import { deleteUserAttributes } from './operations/deleteUserAttributes.ts'
import { forgotPassword } from './operations/forgotPassword.ts'
import { getUser } from './operations/getUser.ts'
import { getUserAttributeVerificationCode } from './operations/getUserAttributeVerificationCode.ts'
import { globalSignOut } from './operations/globalSignOut.ts'
import { initiateAuth } from './operations/initiateAuth.ts'
import { resendConfirmationCode } from './operations/resendConfirmationCode.ts'
import { respondToAuthChallenge } from './operations/respondToAuthChallenge.ts'
import { revokeToken } from './operations/revokeToken.ts'
import { signUp } from './operations/signUp.ts'
import { TokenIssuer, accessTokenCheck, userPoolTokenStatus, type UserPoolTokenStatus } from './tokens.ts'
import { updateUserAttributes } from './operations/updateUserAttributes.ts'
import { userPoolDirectory } from './users.ts'
import { verifyUserAttribute } from './operations/verifyUserAttribute.ts'

/**
 * Cognito user pools (`X-Amz-Target: AWSCognitoIdentityProviderService.*`): the operations amazon-cognito-identity-js
 * calls, for the pools and app clients of the template, with riders kept in the data folder.
 */
export async function createUserPoolService(context: LocalAwsContext): Promise<JsonService> {
  const { clock, outbox, keys } = context
  const directory = userPoolDirectory(context)
  const authenticate = accessTokenCheck(directory, keys)
  const signIn = { directory, tokens: new TokenIssuer(keys, clock), challenges: new ChallengeStore(clock), clock }
  return {
    targetPrefix: 'AWSCognitoIdentityProviderService',
    operations: {
      SignUp: signUp({ directory, outbox, clock }),
      ConfirmSignUp: confirmSignUp({ directory, clock }),
      ResendConfirmationCode: resendConfirmationCode({ directory, outbox, clock }),
      InitiateAuth: initiateAuth(signIn),
      RespondToAuthChallenge: respondToAuthChallenge(signIn),
      GetUser: getUser({ authenticate }),
      UpdateUserAttributes: updateUserAttributes({ authenticate, outbox, clock }),
      VerifyUserAttribute: verifyUserAttribute({ authenticate, clock }),
      GetUserAttributeVerificationCode: getUserAttributeVerificationCode({ authenticate, outbox, clock }),
      DeleteUserAttributes: deleteUserAttributes({ authenticate, clock }),
      ForgotPassword: forgotPassword({ directory, outbox, clock }),
      ConfirmForgotPassword: confirmForgotPassword({ directory, clock }),
      ChangePassword: changePassword({ authenticate, clock }),
      GlobalSignOut: globalSignOut({ authenticate }),
      RevokeToken: revokeToken({ directory }),
      DeleteUser: deleteUser({ authenticate }),
    },
  }
}

/**
 * The user pools' answer to the identity pool's ServerSideTokenCheck: whether an ID token's sign-in is still live. It
 * reads the same riders and sessions as {@link createUserPoolService} for this context.
 */
export function createUserPoolTokenStatus(context: LocalAwsContext): UserPoolTokenStatus {
  return userPoolTokenStatus(userPoolDirectory(context))
}
