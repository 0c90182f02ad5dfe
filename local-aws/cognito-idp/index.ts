import type { Clock } from '../clock.ts'
import type { JsonService } from '../context.ts'
import type { SigningKeys } from '../keys.ts'
import type { Outbox } from '../outbox.ts'
import type { AdminAuthorize } from './admin.ts'
import { ChallengeStore } from './challenges.ts'
import { createAdminConfirmSignUp } from './operations/adminConfirmSignUp.ts'
import { createAdminCreateUser } from './operations/adminCreateUser.ts'
import { createAdminDeleteUser } from './operations/adminDeleteUser.ts'
import { createAdminGetUser } from './operations/adminGetUser.ts'
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
import { createStartWebAuthnRegistration } from './operations/startWebAuthnRegistration.ts'
import { createCompleteWebAuthnRegistration } from './operations/completeWebAuthnRegistration.ts'
import { createListWebAuthnCredentials } from './operations/listWebAuthnCredentials.ts'
import { createDeleteWebAuthnCredential } from './operations/deleteWebAuthnCredential.ts'
import { PasskeyRegistrations } from './passkeyRegistrations.ts'
import { TokenIssuer, accessTokenCheck } from './tokens.ts'
import type { UserPoolDirectory } from './users.ts'

export interface UserPoolServices {
  directory: UserPoolDirectory
  keys: SigningKeys
  outbox: Outbox
  clock: Clock
  /** The SigV4 and IAM check of the Admin* operations, which an operator's credentials sign. */
  authorizeAdmin: AdminAuthorize
}

/**
 * Cognito user pools (`X-Amz-Target: AWSCognitoIdentityProviderService.*`): the operations amazon-cognito-identity-js
 * calls, for the pools and app clients of the template, with riders kept in the data folder; passkeys (the WebAuthn
 * operations and USER_AUTH sign-in); and the Admin*
 * operations operator tools (the smoke check) call with IAM credentials.
 */
export function createUserPoolService({ directory, keys, outbox, clock, authorizeAdmin }: UserPoolServices): JsonService {
  const authenticate = accessTokenCheck(directory, keys)
  const signIn = { directory, tokens: new TokenIssuer(keys, clock), challenges: new ChallengeStore(clock), clock }
  const registrations = new PasskeyRegistrations(clock)
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
      AdminCreateUser: createAdminCreateUser({ directory, authorizeAdmin, outbox, clock }),
      AdminConfirmSignUp: createAdminConfirmSignUp({ directory, authorizeAdmin, clock }),
      AdminGetUser: createAdminGetUser({ directory, authorizeAdmin }),
      AdminDeleteUser: createAdminDeleteUser({ directory, authorizeAdmin }),
      AssociateSoftwareToken: createAssociateSoftwareToken({ ...signIn, authenticate }),
      VerifySoftwareToken: createVerifySoftwareToken({ ...signIn, authenticate }),
      SetUserMFAPreference: createSetUserMFAPreference({ authenticate }),
      StartWebAuthnRegistration: createStartWebAuthnRegistration({ authenticate, registrations }),
      CompleteWebAuthnRegistration: createCompleteWebAuthnRegistration({ authenticate, registrations, clock }),
      ListWebAuthnCredentials: createListWebAuthnCredentials({ authenticate }),
      DeleteWebAuthnCredential: createDeleteWebAuthnCredential({ authenticate }),
    },
  }
}
