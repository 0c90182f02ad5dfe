/** Builders for Amazon Cognito user pools (`AWS::Cognito::UserPool`) and their app clients. */
import type { MfaFactor, UserPoolClientModel, UserPoolModel } from './model.ts'
import { toBoolean, toList, type Properties } from './properties.ts'
import { userPoolSignInSettings } from './userPoolSignIn.ts'

const SECONDS_PER_UNIT: Record<string, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86400 }

function validitySeconds(value: unknown, unit: unknown, defaultUnit: string, fallbackSeconds: number): number {
  if (value === undefined) return fallbackSeconds
  const seconds = SECONDS_PER_UNIT[String(unit ?? defaultUnit)]
  if (!seconds) throw new Error(`Unknown token validity unit "${String(unit)}"`)
  return Number(value) * seconds
}

/**
 * A user pool as local AWS serves it. Each group of settings (MFA, and whatever comes next) is read by its own function
 * and spread into the model, so that a new group is one more function here.
 */
export function userPoolModel(logicalId: string, id: string, arn: string, region: string, properties: Properties): UserPoolModel {
  const policy = ((properties.Policies as Properties | undefined)?.PasswordPolicy ?? {}) as Properties
  const updateSettings = (properties.UserAttributeUpdateSettings ?? {}) as Properties
  const template = (properties.VerificationMessageTemplate ?? {}) as Properties
  const emailConfiguration = (properties.EmailConfiguration ?? {}) as Properties
  const sms = properties.SmsConfiguration as Properties | undefined
  const providerName = `cognito-idp.${region}.amazonaws.com/${id}`
  return {
    logicalId,
    id,
    name: String(properties.UserPoolName ?? logicalId),
    arn,
    providerName,
    issuer: `https://${providerName}`,
    usernameAttributes: toList(properties.UsernameAttributes),
    emailSendingAccount: String(emailConfiguration.EmailSendingAccount ?? 'COGNITO_DEFAULT'),
    caseSensitiveUsernames: toBoolean((properties.UsernameConfiguration as Properties | undefined)?.CaseSensitive, true),
    autoVerifiedAttributes: toList(properties.AutoVerifiedAttributes),
    attributesRequireVerificationBeforeUpdate: toList(updateSettings.AttributesRequireVerificationBeforeUpdate),
    // Defaults are Cognito's own when the template leaves a rule out.
    passwordPolicy: {
      minimumLength: Number(policy.MinimumLength ?? 8),
      requireLowercase: toBoolean(policy.RequireLowercase, true),
      requireUppercase: toBoolean(policy.RequireUppercase, true),
      requireNumbers: toBoolean(policy.RequireNumbers, true),
      requireSymbols: toBoolean(policy.RequireSymbols, true),
      temporaryPasswordValidityDays: Number(policy.TemporaryPasswordValidityDays ?? 7),
    },
    schema: ((properties.Schema ?? []) as Properties[]).map((attribute) => ({
      name: String(attribute.Name),
      dataType: String(attribute.AttributeDataType ?? 'String'),
      required: toBoolean(attribute.Required, false),
      mutable: toBoolean(attribute.Mutable, true),
    })),
    verificationEmail: {
      subject: String(template.EmailSubject ?? properties.EmailVerificationSubject ?? 'Your verification code'),
      message: String(template.EmailMessage ?? properties.EmailVerificationMessage ?? 'Your verification code is {####}. '),
    },
    verificationSms: String(template.SmsMessage ?? properties.SmsVerificationMessage ?? 'Your verification code is {####}. '),
    ...(sms && {
      smsConfiguration: { snsCallerArn: String(sms.SnsCallerArn), ...(sms.ExternalId !== undefined && { externalId: String(sms.ExternalId) }) },
    }),
    ...mfaSettings(logicalId, properties),
    ...userPoolSignInSettings(logicalId, properties),
  }
}

/**
 * MfaConfiguration and EnabledMfas, refused where Cognito refuses them: a factor with MFA off, and a pool with an SMS
 * configuration that leaves SMS_MFA out (docs/aws-behaviour.md#an-sms-configuration-keeps-sms_mfa-enabled). Email OTP
 * needs SES and the Essentials tier, which local AWS does not model: a start-up error rather than a pool that signs
 * riders in with one factor fewer than AWS would ask for.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cognito-userpool.html#cfn-cognito-userpool-enabledmfas
 */
function mfaSettings(logicalId: string, properties: Properties): Pick<UserPoolModel, 'mfaConfiguration' | 'enabledMfas'> {
  const mfaConfiguration = String(properties.MfaConfiguration ?? 'OFF')
  if (mfaConfiguration !== 'OFF' && mfaConfiguration !== 'OPTIONAL' && mfaConfiguration !== 'ON') {
    throw new Error(`${logicalId}: MfaConfiguration must be OFF, OPTIONAL or ON, not "${mfaConfiguration}"`)
  }
  const enabledMfas = toList(properties.EnabledMfas)
  const unsupported = enabledMfas.filter((factor): factor is string => !isServedFactor(factor))
  if (unsupported.length > 0) throw new Error(`${logicalId}: local AWS serves SMS_MFA and SOFTWARE_TOKEN_MFA in EnabledMfas, not ${unsupported.join(', ')}`)
  const refuse = (message: string) => new Error(`${logicalId}: InvalidParameterException: ${message}`)
  if (mfaConfiguration === 'OFF') {
    if (enabledMfas.length > 0) throw refuse("Invalid MFA configuration given, can't turn off MFA and configure an MFA together.")
    return { mfaConfiguration, enabledMfas: [] }
  }
  if (properties.SmsConfiguration !== undefined && !enabledMfas.includes('SMS_MFA')) {
    throw refuse("Can't turn off SMS_MFA when SMS configuration is set for the user pool")
  }
  if (enabledMfas.includes('SMS_MFA') && properties.SmsConfiguration === undefined) {
    throw new Error(`${logicalId}: SMS_MFA in EnabledMfas needs an SmsConfiguration to send the codes`)
  }
  if (enabledMfas.length === 0) throw new Error(`${logicalId}: MfaConfiguration ${mfaConfiguration} needs at least one factor in EnabledMfas`)
  return { mfaConfiguration, enabledMfas: enabledMfas.filter(isServedFactor) }
}

function isServedFactor(factor: string): factor is MfaFactor {
  return factor === 'SMS_MFA' || factor === 'SOFTWARE_TOKEN_MFA'
}

/** An app client (`AWS::Cognito::UserPoolClient`): its auth flows, token lifetimes and attribute permissions. */
export function userPoolClientModel(logicalId: string, id: string, properties: Properties): UserPoolClientModel {
  const units = (properties.TokenValidityUnits ?? {}) as Properties
  return {
    logicalId,
    id,
    userPoolId: String(properties.UserPoolId),
    name: String(properties.ClientName ?? logicalId),
    hasSecret: toBoolean(properties.GenerateSecret, false),
    explicitAuthFlows: toList(properties.ExplicitAuthFlows),
    preventUserExistenceErrors: properties.PreventUserExistenceErrors === 'ENABLED',
    enableTokenRevocation: toBoolean(properties.EnableTokenRevocation, true),
    accessTokenValiditySeconds: validitySeconds(properties.AccessTokenValidity, units.AccessToken, 'hours', 3600),
    idTokenValiditySeconds: validitySeconds(properties.IdTokenValidity, units.IdToken, 'hours', 3600),
    refreshTokenValiditySeconds: validitySeconds(properties.RefreshTokenValidity, units.RefreshToken, 'days', 30 * 86400),
    readAttributes: properties.ReadAttributes === undefined ? undefined : toList(properties.ReadAttributes),
    writeAttributes: properties.WriteAttributes === undefined ? undefined : toList(properties.WriteAttributes),
  }
}
