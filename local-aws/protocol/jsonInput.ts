import { invalidParameter } from '../errors.ts'

// Request members checked as AWS's JSON protocol checks them before the operation runs: a missing or mistyped member is
// an InvalidParameterException naming it in camelCase, in AWS's "validation error detected" wording
// (docs/aws-behaviour.md#user-pool-json-protocol-and-errors). Both Cognito services use these checks.

// Carries the input type along with an unchecked body, so the helpers infer it from their first argument; no body ever
// has this member.
declare const inputShape: unique symbol

/**
 * A request body as it arrives, before any check: the members of the SDK's `<Operation>CommandInput` may be there, with
 * any JSON value. The helpers below take member names of `Input` only, and return each member once it is checked.
 */
export type UncheckedInput<Input> = { readonly [Member in keyof Input]?: unknown } & { readonly [inputShape]?: Input }

/** The members of `Input` whose value is a string (or a string enum). */
type StringMember<Input> = { [Member in keyof Input]-?: NonNullable<Input[Member]> extends string ? Member : never }[keyof Input] & string

/** The members of `Input` whose value is a map of strings. */
type StringMapMember<Input> = {
  [Member in keyof Input]-?: NonNullable<Input[Member]> extends Record<string, string> ? Member : never
}[keyof Input] & string

/** The members of `Input` whose value is a list. */
type ListMember<Input> = { [Member in keyof Input]-?: NonNullable<Input[Member]> extends readonly unknown[] ? Member : never }[keyof Input] & string

function memberName(field: string): string {
  return field.charAt(0).toLowerCase() + field.slice(1)
}

function validationError(field: string, value: string, constraint: string) {
  const shown = value ? `Value ${value}` : 'Value'
  return invalidParameter(`1 validation error detected: ${shown} at '${memberName(field)}' failed to satisfy constraint: ${constraint}`)
}

/** AWS does not echo secrets back in its validation messages. */
const SENSITIVE_FIELDS = new Set(['Password', 'PreviousPassword', 'ProposedPassword', 'AccessToken', 'Token', 'ConfirmationCode', 'Code'])

function describeValue(field: string, value: unknown): string {
  if (value === null || value === undefined) return 'null'
  return SENSITIVE_FIELDS.has(field) ? '' : `'${typeof value === 'string' ? value : JSON.stringify(value)}'`
}

/** The length and pattern constraints of a string member, from the service's API reference. */
export interface StringRule {
  maxLength?: number
  pattern?: RegExp
}

function checkString(field: string, value: unknown, rule: StringRule): string {
  if (typeof value !== 'string') throw validationError(field, describeValue(field, value), 'Member must be of type string')
  if (value.length === 0) throw validationError(field, describeValue(field, value), 'Member must have length greater than or equal to 1')
  if (rule.maxLength !== undefined && value.length > rule.maxLength) {
    throw validationError(field, describeValue(field, value), `Member must have length less than or equal to ${rule.maxLength}`)
  }
  if (rule.pattern && !rule.pattern.test(value)) {
    throw validationError(field, describeValue(field, value), `Member must satisfy regular expression pattern: ${rule.pattern.source}`)
  }
  return value
}

/** A required string member. */
export function requiredString<Input>(input: UncheckedInput<Input>, field: StringMember<Input>, rule: StringRule = {}): string {
  const value = input[field]
  if (value === undefined || value === null) throw validationError(field, 'null', 'Member must not be null')
  return checkString(field, value, rule)
}

/**
 * A map of strings (`AuthParameters`, `ChallengeResponses`); absent is empty. Null entries are dropped: the client
 * sends `"DEVICE_KEY": null` when it remembers no device.
 */
export function stringMap<Input>(input: UncheckedInput<Input>, field: StringMapMember<Input>): Record<string, string> {
  const value = input[field]
  if (value === undefined || value === null) return {}
  const entries = typeof value === 'object' && !Array.isArray(value) ? Object.entries(value).filter(([, entry]) => entry !== null) : undefined
  if (!entries || entries.some(([, entry]) => typeof entry !== 'string')) {
    throw validationError(field, describeValue(field, value), 'Member must be a map of strings')
  }
  return Object.fromEntries(entries) as Record<string, string>
}

/** One entry of such a map that the operation needs: InvalidParameterException "Missing required parameter NAME". */
export function requiredParameter(parameters: Record<string, string>, name: string): string {
  const value = parameters[name]
  if (!value) throw invalidParameter(`Missing required parameter ${name}`)
  return value
}

/** A required list of strings (`UserAttributeNames`). */
export function requiredStringList<Input>(input: UncheckedInput<Input>, field: ListMember<Input>): string[] {
  const value = input[field]
  if (value === undefined || value === null) throw validationError(field, 'null', 'Member must not be null')
  if (!Array.isArray(value) || value.some((entry) => typeof entry !== 'string')) {
    throw validationError(field, describeValue(field, value), 'Member must be a list of strings')
  }
  return value as string[]
}

/** `[{ Name, Value }]` as the user pool API takes attributes; `required` says whether the member may be absent. */
export function attributeList<Input>(input: UncheckedInput<Input>, field: ListMember<Input>, required: boolean): Record<string, string> {
  const value = input[field]
  if (value === undefined || value === null) {
    if (required) throw validationError(field, 'null', 'Member must not be null')
    return {}
  }
  if (!Array.isArray(value)) throw validationError(field, describeValue(field, value), 'Member must be a list of attributes')
  const attributes: Record<string, string> = {}
  for (const entry of value as unknown[]) {
    const attribute = (typeof entry === 'object' && entry !== null ? entry : {}) as UncheckedInput<{ Name: string; Value?: string }>
    const name = requiredString(attribute, 'Name', { maxLength: 32 })
    const attributeValue = attribute.Value ?? ''
    if (typeof attributeValue !== 'string') throw validationError('Value', describeValue('Value', attributeValue), 'Member must be of type string')
    attributes[name] = attributeValue
  }
  return attributes
}
