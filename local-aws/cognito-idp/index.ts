import type { Clock } from '../clock.ts'
import type { JsonService } from '../context.ts'
import type { SigningKeys } from '../keys.ts'
import type { Outbox } from '../outbox.ts'
import { ChallengeStore } from './challenges.ts'
import { createAssociateSoftwareToken } from './operations/associateSoftwareToken.ts'
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
import { createSetUserMFAPreference } from './operations/setUserMFAPreference.ts'
import { createSignUp } from './operations/signUp.ts'
import { createUpdateUserAttributes } from './operations/updateUserAttributes.ts'
import { createVerifySoftwareToken } from './operations/verifySoftwareToken.ts'
import { createVerifyUserAttribute } from './operations/verifyUserAttribute.ts'
import { TokenIssuer, accessTokenCheck } from './tokens.ts'
import type { UserPoolDirectory } from './users.ts'

export interface UserPoolServices {
  directory: UserPoolDirectory
  keys: SigningKeys
  outbox: Outbox
  clock: Clock
}

/**
 * Cognito user pools (`X-Amz-Target: AWSCognitoIdentityProviderService.*`): the operations amazon-cognito-identity-js
 * calls, for the pools and app clients of the template, with riders kept in the data folder.
 */
export function createUserPoolService({ directory, keys, outbox, clock }: UserPoolServices): JsonService {
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
      AssociateSoftwareToken: createAssociateSoftwareToken({ ...signIn, authenticate }),
      VerifySoftwareToken: createVerifySoftwareToken({ ...signIn, authenticate }),
      SetUserMFAPreference: createSetUserMFAPreference({ authenticate }),
    },
  }
}
