import type { Properties } from './properties.ts'

// A user pool's first sign-in factors and passkey settings, as AWS::Cognito::UserPool states them.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cognito-userpool.html

/** What `USER_AUTH` may offer as the first factor; local AWS serves passwords and passkeys, not one-time codes. */
export type FirstAuthFactor = 'PASSWORD' | 'WEB_AUTHN'

/** `WebAuthnRelyingPartyID`, `WebAuthnUserVerification` and `WebAuthnFactorConfiguration`. */
export interface WebAuthnSettings {
  /** As the template gives it; undefined means none (WebAuthnConfigurationMissingException). */
  relyingPartyId?: string
  userVerification: 'required' | 'preferred'
  /** Whether a passkey with user verification also counts as the second factor of a rider with two-step sign-in. */
  factorConfiguration: 'SINGLE_FACTOR' | 'MULTI_FACTOR_WITH_USER_VERIFICATION'
}

export interface UserPoolSignInSettings {
  /** `Policies.SignInPolicy.AllowedFirstAuthFactors`; Cognito's default is passwords alone. */
  allowedFirstAuthFactors: FirstAuthFactor[]
  webAuthn: WebAuthnSettings
}

function oneOf<T extends string>(logicalId: string, property: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback
  if (!allowed.includes(value as T)) throw new Error(`${logicalId}: ${property} must be one of ${allowed.join(', ')}, not "${String(value)}"`)
  return value as T
}

/**
 * The first factors and passkey settings of a pool. A factor local AWS cannot serve (one-time codes) and passkeys on
 * the Lite tier (which AWS refuses) stop local AWS at start-up rather than behave unlike the deployed pool.
 */
export function userPoolSignInSettings(logicalId: string, properties: Properties): UserPoolSignInSettings {
  const signInPolicy = ((properties.Policies as Properties | undefined)?.SignInPolicy ?? {}) as Properties
  const factors = signInPolicy.AllowedFirstAuthFactors === undefined ? ['PASSWORD'] : (signInPolicy.AllowedFirstAuthFactors as unknown[]).map(String)
  const unsupported = factors.filter((factor) => factor !== 'PASSWORD' && factor !== 'WEB_AUTHN')
  if (unsupported.length > 0) throw new Error(`${logicalId}: local AWS serves PASSWORD and WEB_AUTHN first factors, not ${unsupported.join(', ')}`)
  // https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-sign-in-feature-plans.html
  const tier = oneOf(logicalId, 'UserPoolTier', properties.UserPoolTier, ['LITE', 'ESSENTIALS', 'PLUS'], 'ESSENTIALS')
  if (tier === 'LITE' && factors.includes('WEB_AUTHN')) throw new Error(`${logicalId}: passkeys (WEB_AUTHN) need the ESSENTIALS or PLUS tier, not LITE`)
  return {
    allowedFirstAuthFactors: factors as FirstAuthFactor[],
    webAuthn: {
      ...(properties.WebAuthnRelyingPartyID !== undefined && { relyingPartyId: String(properties.WebAuthnRelyingPartyID) }),
      userVerification: oneOf(logicalId, 'WebAuthnUserVerification', properties.WebAuthnUserVerification, ['required', 'preferred'], 'preferred'),
      factorConfiguration: oneOf(
        logicalId,
        'WebAuthnFactorConfiguration',
        properties.WebAuthnFactorConfiguration,
        ['SINGLE_FACTOR', 'MULTI_FACTOR_WITH_USER_VERIFICATION'],
        'SINGLE_FACTOR',
      ),
    },
  }
}
