import type { JsonService, LocalAwsContext } from '../context.ts'
import { ChallengeStore } from './challenges.ts'
import { createChangePassword } from './operations/changePassword.ts'
import { createConfirmForgotPassword } from './operations/confirmForgotPassword.ts'
import { createConfirmSignUp } from './operations/confirmSignUp.ts'
import { createDeleteUser } from './operations/deleteUser.ts'
import { createDeleteUserAttributes } from './operations/deleteUserAttributes.ts'
import { createForgotPassword } from './operations/forgotPassword.ts'
import { createGetUser } from './operations/getUser.ts'
import { createGetUserAttributeVerificationCode } from './operations/getUserAttributeVerificationCode.ts'
import { createGlobalSignOut } from './operations/globalSignOut.ts'
import { createInitiateAuth } from './operations/initiateAuth.ts'
import { createResendConfirmationCode } from './operations/resendConfirmationCode.ts'
import { createRespondToAuthChallenge } from './operations/respondToAuthChallenge.ts'
import { createRevokeToken } from './operations/revokeToken.ts'
import { createSignUp } from './operations/signUp.ts'
import { TokenIssuer, accessTokenCheck, userPoolTokenStatus, type UserPoolTokenStatus } from './tokens.ts'
import { createUpdateUserAttributes } from './operations/updateUserAttributes.ts'
import { userPoolDirectory } from './users.ts'
import { createVerifyUserAttribute } from './operations/verifyUserAttribute.ts'

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
      SignUp: createSignUp({ directory, outbox, clock }),
      ConfirmSignUp: createConfirmSignUp({ directory, clock }),
      ResendConfirmationCode: createResendConfirmationCode({ directory, outbox, clock }),
      InitiateAuth: createInitiateAuth(signIn),
      RespondToAuthChallenge: createRespondToAuthChallenge(signIn),
      GetUser: createGetUser({ authenticate }),
      UpdateUserAttributes: createUpdateUserAttributes({ authenticate, outbox, clock }),
      VerifyUserAttribute: createVerifyUserAttribute({ authenticate, clock }),
      GetUserAttributeVerificationCode: createGetUserAttributeVerificationCode({ authenticate, outbox, clock }),
      DeleteUserAttributes: createDeleteUserAttributes({ authenticate, clock }),
      ForgotPassword: createForgotPassword({ directory, outbox, clock }),
      ConfirmForgotPassword: createConfirmForgotPassword({ directory, clock }),
      ChangePassword: createChangePassword({ authenticate, clock }),
      GlobalSignOut: createGlobalSignOut({ authenticate }),
      RevokeToken: createRevokeToken({ directory }),
      DeleteUser: createDeleteUser({ authenticate }),
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
