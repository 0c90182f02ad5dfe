/*
 * A user pool and app client as local AWS's provisioner models them, for unit tests of the user pool's parts: the
 * template's shape (sign-in by email, optional TOTP, passwords and passkeys) unless a test overrides a setting.
 */
import type { UserPoolClientModel, UserPoolModel } from '../../local-aws/template/model.ts'

export function userPoolModel(overrides: Partial<UserPoolModel> = {}): UserPoolModel {
  const id = 'eu-west-1_Passkey1'
  return {
    logicalId: 'UserPool',
    id,
    name: 'riders',
    arn: `arn:aws:cognito-idp:eu-west-1:000000000000:userpool/${id}`,
    providerName: `cognito-idp.eu-west-1.amazonaws.com/${id}`,
    issuer: `https://cognito-idp.eu-west-1.amazonaws.com/${id}`,
    usernameAttributes: ['email'],
    caseSensitiveUsernames: false,
    autoVerifiedAttributes: ['email'],
    attributesRequireVerificationBeforeUpdate: ['email'],
    passwordPolicy: { minimumLength: 8, requireLowercase: true, requireUppercase: true, requireNumbers: true, requireSymbols: false, temporaryPasswordValidityDays: 7 },
    schema: [],
    verificationEmail: { subject: 'Code', message: 'Your code is {####}' },
    emailSendingAccount: 'COGNITO_DEFAULT',
    verificationSms: 'Your code is {####}',
    mfaConfiguration: 'OPTIONAL',
    enabledMfas: ['SOFTWARE_TOKEN_MFA'],
    allowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'],
    webAuthn: { relyingPartyId: 'd111111abcdef8.cloudfront.net', userVerification: 'required', factorConfiguration: 'MULTI_FACTOR_WITH_USER_VERIFICATION' },
    ...overrides,
  }
}

export function userPoolClientModel(overrides: Partial<UserPoolClientModel> = {}): UserPoolClientModel {
  return {
    logicalId: 'UserPoolClient',
    id: 'webclient0000000000000000a',
    userPoolId: userPoolModel().id,
    name: 'web',
    hasSecret: false,
    explicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_AUTH'],
    preventUserExistenceErrors: true,
    enableTokenRevocation: true,
    accessTokenValiditySeconds: 3600,
    idTokenValiditySeconds: 3600,
    refreshTokenValiditySeconds: 30 * 86400,
    ...overrides,
  }
}
