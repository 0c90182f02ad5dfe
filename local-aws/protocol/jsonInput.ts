import { AwsError, invalidParameter } from '../errors.ts'

// Request members checked as AWS's JSON protocol checks them before the operation runs: a member of the wrong JSON type
// is AWS's deserializer error, SerializationException (docs/aws-behaviour.md#wrong-json-types-are-serializationexception);
// a missing or malformed one is an InvalidParameterException naming it in camelCase, in AWS's "validation error
// detected" wording (docs/aws-behaviour.md#user-pool-json-protocol-and-errors). Both Cognito services use these checks.

/**
 * Deeper than any Cognito request (an attribute list is three levels): past it the body is refused before it is parsed,
 * so neither parsing nor an error message ever walks an arbitrarily deep value.
 */
const MAX_JSON_DEPTH = 32

function serializationError(message: string): AwsError {
  return new AwsError('SerializationException', message)
}

/** What AWS's deserializer says when a value of one JSON type stands where another belongs. */
function unexpectedValue(value: unknown, expected: 'string' | 'boolean' | 'map' | 'list' | 'structure'): AwsError {
  if (Array.isArray(value)) return serializationError('Start of list found where not expected')
  if (typeof value === 'object' && value !== null) return serializationError('Start of structure or map found where not expected.')
  if (expected === 'map' || expected === 'list' || expected === 'structure') return serializationError(`Expected ${expected === 'structure' ? 'map' : expected} or null`)
  const token = typeof value === 'number' ? 'NUMBER_VALUE' : typeof value === 'string' ? 'VALUE_STRING' : value ? 'TRUE_VALUE' : 'FALSE_VALUE'
  return serializationError(`${token} can not be converted to a ${expected === 'string' ? 'String' : 'Boolean'}`)
}

/** The first bracket that opens past `maxDepth` levels, outside strings; undefined when the text stays within them. */
function tooDeepOpener(text: string, maxDepth: number): '{' | '[' | undefined {
  let depth = 0
  let inString = false
  for (let index = 0; index < text.length; index++) {
    const character = text[index]
    if (inString) {
      if (character === '\\') index++
      else if (character === '"') inString = false
    } else if (character === '"') {
      inString = true
    } else if (character === '{' || character === '[') {
      if (++depth > maxDepth) return character
    } else if (character === '}' || character === ']') {
      depth--
    }
  }
  return undefined
}

/**
 * A JSON protocol request body as the operations receive it: an object. Anything else, and nesting past
 * {@link MAX_JSON_DEPTH}, is a SerializationException, found in one pass over at most the 1 MB body.
 */
export function parseJsonBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {}
  const text = body.toString('utf8')
  const opener = tooDeepOpener(text, MAX_JSON_DEPTH)
  if (opener) throw unexpectedValue(opener === '[' ? [] : {}, 'string')
  let input: unknown
  try {
    input = JSON.parse(text)
  } catch {
    throw serializationError('The request body is not valid JSON')
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw serializationError('The request body must be a JSON object')
  return input as Record<string, unknown>
}

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

/** Members AWS does not echo back in its validation messages: secrets, and the name of a user's authenticator. */
const SENSITIVE_FIELDS = new Set(['Password', 'PreviousPassword', 'ProposedPassword', 'AccessToken', 'Token', 'ConfirmationCode', 'Code', 'FriendlyDeviceName'])

function describeValue(field: string, value: string): string {
  return SENSITIVE_FIELDS.has(field) ? '' : `'${value}'`
}

/** The length and pattern constraints of a string member, from the service's API reference. */
export interface StringRule {
  maxLength?: number
  pattern?: RegExp
}

function checkString(field: string, value: unknown, rule: StringRule): string {
  if (typeof value !== 'string') throw unexpectedValue(value, 'string')
  if (value.length === 0) throw validationError(field, describeValue(field, value), 'Member must have length greater than or equal to 1')
  if (rule.maxLength !== undefined && value.length > rule.maxLength) {
    throw validationError(field, describeValue(field, value), `Member must have length less than or equal to ${rule.maxLength}`)
  }
  if (rule.pattern && !rule.pattern.test(value)) {
    throw validationError(field, describeValue(field, value), `Member must satisfy regular expression pattern: ${rule.pattern.source}`)
  }
  return value
}

/** An optional string member: undefined when absent or null. */
export function optionalString<Input>(input: UncheckedInput<Input>, field: StringMember<Input>, rule: StringRule = {}): string | undefined {
  const value = input[field]
  return value === undefined || value === null ? undefined : checkString(field, value, rule)
}

/** The members of `Input` whose value is a structure. */
type StructureMember<Input> = {
  [Member in keyof Input]-?: NonNullable<Input[Member]> extends readonly unknown[] ? never : NonNullable<Input[Member]> extends object ? Member : never
}[keyof Input] & string

/**
 * An optional structure whose members are all booleans (`SoftwareTokenMfaSettings`): undefined when absent or null;
 * members other than `members` are ignored, as AWS's deserializer ignores unknown members.
 */
export function booleanStructure<Input, Member extends string>(
  input: UncheckedInput<Input>,
  field: StructureMember<Input>,
  members: readonly Member[],
): Partial<Record<Member, boolean>> | undefined {
  const value = input[field]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'object' || Array.isArray(value)) throw unexpectedValue(value, 'structure')
  const structure: Partial<Record<Member, boolean>> = {}
  for (const member of members) {
    const entry = (value as Record<string, unknown>)[member]
    if (entry === undefined || entry === null) continue
    if (typeof entry !== 'boolean') throw unexpectedValue(entry, 'boolean')
    structure[member] = entry
  }
  return structure
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
  if (typeof value !== 'object' || Array.isArray(value)) throw unexpectedValue(value, 'map')
  const entries = Object.entries(value).filter(([, entry]) => entry !== null)
  const mistyped = entries.find(([, entry]) => typeof entry !== 'string')
  if (mistyped) throw unexpectedValue(mistyped[1], 'string')
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
  if (!Array.isArray(value)) throw unexpectedValue(value, 'list')
  const mistyped = (value as unknown[]).find((entry) => typeof entry !== 'string')
  if (mistyped !== undefined) throw unexpectedValue(mistyped, 'string')
  return value as string[]
}

/** `[{ Name, Value }]` as the user pool API takes attributes; `required` says whether the member may be absent. */
export function attributeList<Input>(input: UncheckedInput<Input>, field: ListMember<Input>, required: boolean): Record<string, string> {
  const value = input[field]
  if (value === undefined || value === null) {
    if (required) throw validationError(field, 'null', 'Member must not be null')
    return {}
  }
  if (!Array.isArray(value)) throw unexpectedValue(value, 'list')
  const attributes: Record<string, string> = {}
  for (const entry of value as unknown[]) {
    if (entry !== null && (typeof entry !== 'object' || Array.isArray(entry))) throw unexpectedValue(entry, 'structure')
    const attribute = (entry ?? {}) as UncheckedInput<{ Name: string; Value?: string }>
    const name = requiredString(attribute, 'Name', { maxLength: 32 })
    const attributeValue = attribute.Value ?? ''
    if (typeof attributeValue !== 'string') throw unexpectedValue(attributeValue, 'string')
    attributes[name] = attributeValue
  }
  return attributes
}
