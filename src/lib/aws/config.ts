/** The user pool's password rules, as the template's `PasswordPolicy` output publishes them. */
export interface PasswordPolicy {
  minimumLength: number
  requireLowercase: boolean
  requireUppercase: boolean
  requireNumbers: boolean
  requireSymbols: boolean
}

/** Where the app's AWS resources are: real AWS (from `npm run aws:env`) or local AWS (from the Vite plugin). */
export interface AwsConfig {
  region: string
  userPoolId: string
  userPoolClientId: string
  identityPoolId: string
  photoBucket: string
  /** Set only for local AWS: one endpoint serves Cognito and S3. */
  endpoint?: string
  passwordPolicy: PasswordPolicy
  /**
   * Whether the user pool can text a code (the stack was deployed with SMS turned on), so riders can verify their
   * phone number. False unless the stack says so: offering a code that cannot be sent would only fail.
   */
  canVerifyPhone: boolean
  /** Whether riders may add passkeys and sign in with them (the stack was deployed with `EnablePasskeys`). */
  canUsePasskeys: boolean
}

/** The `VITE_*` variables the app reads: `env.d.ts` types `import.meta.env` with this interface. */
export interface AwsEnvironment {
  readonly VITE_AWS_REGION: string
  readonly VITE_USER_POOL_ID: string
  readonly VITE_USER_POOL_CLIENT_ID: string
  readonly VITE_IDENTITY_POOL_ID: string
  readonly VITE_PHOTO_BUCKET: string
  /** Set only for local AWS: the single endpoint that serves Cognito and S3. */
  readonly VITE_AWS_ENDPOINT?: string
  /** JSON of the user pool's password policy, injected from infra/template.yaml or the stack. */
  readonly VITE_PASSWORD_POLICY: string
  /** `true` when the stack was deployed with SMS turned on. */
  readonly VITE_SMS_VERIFICATION?: string
  /** `true` when the stack was deployed with passkeys. */
  readonly VITE_PASSKEYS?: string
}

type Variable = keyof AwsEnvironment

/** A missing or malformed `VITE_*` value; the page shows its message, which names the variable. */
export class AwsConfigError extends Error {
  constructor(
    readonly variable: Variable,
    problem: string,
  ) {
    super(`${variable} ${problem}. Run \`npm run dev\` for local AWS, or \`npm run aws:env -- --stack NAME\` for real AWS.`)
    this.name = 'AwsConfigError'
  }
}

/** What the checks read: `import.meta.env`, or any record in tests, each value unknown until checked. */
type Environment = Readonly<Partial<Record<Variable, unknown>>>

function requireValue(env: Environment, variable: Variable): string {
  const value = env[variable]
  if (typeof value !== 'string' || value.trim() === '') throw new AwsConfigError(variable, 'is not set')
  return value.trim()
}

function parsePasswordPolicy(env: Environment): PasswordPolicy {
  const variable: Variable = 'VITE_PASSWORD_POLICY'
  let parsed: unknown
  try {
    parsed = JSON.parse(requireValue(env, variable))
  } catch (error) {
    if (error instanceof AwsConfigError) throw error
    throw new AwsConfigError(variable, 'is not valid JSON')
  }
  const policy = parsed as Partial<Record<keyof PasswordPolicy, unknown>>
  const isValid =
    typeof policy === 'object' &&
    policy !== null &&
    typeof policy.minimumLength === 'number' &&
    (['requireLowercase', 'requireUppercase', 'requireNumbers', 'requireSymbols'] as const).every(
      (rule) => typeof policy[rule] === 'boolean',
    )
  if (!isValid) {
    throw new AwsConfigError(
      variable,
      'must be JSON like {"minimumLength":8,"requireLowercase":true,"requireUppercase":true,"requireNumbers":true,"requireSymbols":false}',
    )
  }
  return policy as PasswordPolicy
}

/** Reads and checks the `VITE_*` values; throws {@link AwsConfigError} naming the first missing or malformed one. */
export function readAwsConfig(env: Environment): AwsConfig {
  const region = requireValue(env, 'VITE_AWS_REGION')
  const userPoolId = requireValue(env, 'VITE_USER_POOL_ID')
  // Cognito's own check (CognitoUserPool rejects anything else): region_id.
  if (!/^[\w-]+_[0-9a-zA-Z]+$/.test(userPoolId)) {
    throw new AwsConfigError('VITE_USER_POOL_ID', `is not a user pool id (got "${userPoolId}", expected e.g. us-east-1_AbC123)`)
  }
  const endpoint = env.VITE_AWS_ENDPOINT
  return {
    region,
    userPoolId,
    userPoolClientId: requireValue(env, 'VITE_USER_POOL_CLIENT_ID'),
    identityPoolId: requireValue(env, 'VITE_IDENTITY_POOL_ID'),
    photoBucket: requireValue(env, 'VITE_PHOTO_BUCKET'),
    ...(typeof endpoint === 'string' && endpoint.trim() !== '' ? { endpoint: endpoint.trim() } : {}),
    passwordPolicy: parsePasswordPolicy(env),
    canVerifyPhone: env.VITE_SMS_VERIFICATION === 'true',
    canUsePasskeys: env.VITE_PASSKEYS === 'true',
  }
}

let cachedConfig: AwsConfig | undefined

/** The app's configuration from `import.meta.env`, checked once. */
export function getAwsConfig(): AwsConfig {
  cachedConfig ??= readAwsConfig(import.meta.env)
  return cachedConfig
}
