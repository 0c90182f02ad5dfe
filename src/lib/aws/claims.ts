/*
 * The rider's attributes and ID token claims as the app reads them, from whichever source: GetUser's attribute list,
 * a session the user-pool library holds, or the token stored on this device (tokens.ts).
 */

/** Attributes the app reads. Verified flags are booleans here, whatever their wire form. */
export interface UserAttributes {
  sub: string
  email: string
  email_verified: boolean
  phone_number?: string
  phone_number_verified: boolean
  name?: string
  /** The S3 key of the rider's photo. */
  picture?: string
}

/** The signed-in rider's ID token claims. */
export interface IdTokenClaims extends UserAttributes {
  'cognito:username': string
  /** Seconds since the epoch. */
  exp: number
  iat: number
  auth_time: number
}

function asBoolean(value: unknown): boolean {
  return value === true || value === 'true'
}

/**
 * The attributes in GetUser's answer, an ID token's payload or claims already read. GetUser sends every value as a
 * string (`"true"`), an ID token as JSON (`true`): both read the same.
 */
export function attributesOf(source: object): UserAttributes {
  const raw = source as Record<string, unknown>
  const optional = (name: string) => (typeof raw[name] === 'string' ? { [name]: raw[name] as string } : {})
  return {
    sub: String(raw.sub ?? ''),
    email: String(raw.email ?? ''),
    email_verified: asBoolean(raw.email_verified),
    phone_number_verified: asBoolean(raw.phone_number_verified),
    ...optional('phone_number'),
    ...optional('name'),
    ...optional('picture'),
  }
}

/** The claims of a decoded ID token payload. */
export function claimsOf(payload: Record<string, unknown>): IdTokenClaims {
  return {
    ...attributesOf(payload),
    'cognito:username': String(payload['cognito:username'] ?? ''),
    exp: Number(payload.exp),
    iat: Number(payload.iat),
    auth_time: Number(payload.auth_time),
  }
}
