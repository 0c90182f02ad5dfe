import { invalidParameter } from '../errors.ts'
import type { SchemaAttribute, UserPoolClientModel, UserPoolModel } from '../template/model.ts'
import { unauthorizedAttributeWrite } from './errors.ts'

// User attributes as a user pool knows them: every pool has Cognito's standard attributes; the template's Schema makes
// some required or immutable and adds custom ones (exposed as `custom:name`); the app client limits what it may read
// and write.
// https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-attributes.html

const STANDARD_ATTRIBUTES = [
  'address', 'birthdate', 'email', 'family_name', 'gender', 'given_name', 'locale', 'middle_name', 'name', 'nickname',
  'phone_number', 'picture', 'preferred_username', 'profile', 'updated_at', 'website', 'zoneinfo',
]
const VERIFIED_FLAGS: Record<string, string> = { email: 'email_verified', phone_number: 'phone_number_verified' }
const MAX_STRING_LENGTH = 2048

/** The attributes a code can verify, with the flag that says they are verified. */
export function verifiedFlagOf(attribute: string): string | undefined {
  return VERIFIED_FLAGS[attribute]
}

/** Every attribute of a pool by name, with the template's settings applied to the standard ones. */
export function attributeSchema(pool: UserPoolModel): Map<string, SchemaAttribute> {
  const schema = new Map<string, SchemaAttribute>()
  for (const name of STANDARD_ATTRIBUTES) schema.set(name, { name, dataType: 'String', required: false, mutable: true })
  for (const name of Object.values(VERIFIED_FLAGS)) schema.set(name, { name, dataType: 'Boolean', required: false, mutable: true })
  schema.set('sub', { name: 'sub', dataType: 'String', required: false, mutable: false })
  for (const attribute of pool.schema) {
    const name = schema.has(attribute.name) ? attribute.name : `custom:${attribute.name}`
    schema.set(name, { ...attribute, name })
  }
  return schema
}

function schemaError(detail: string) {
  return invalidParameter(`Attributes did not conform to the schema: ${detail}`)
}

/** InvalidParameterException naming each required attribute that is missing. */
export function missingRequiredAttributes(names: string[]) {
  return schemaError(names.map((name) => `${name}: The attribute is required`).join('\n'))
}

function checkValue(attribute: SchemaAttribute, value: string): void {
  if (attribute.name === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) throw invalidParameter('Invalid email address format.')
  if (attribute.name === 'phone_number' && !/^\+[0-9]{4,15}$/.test(value)) throw invalidParameter('Invalid phone number format.')
  if (attribute.dataType === 'Boolean' && value !== 'true' && value !== 'false') {
    throw schemaError(`${attribute.name}: Attribute value for ${attribute.name} must be a boolean`)
  }
  if (attribute.dataType === 'Number' && !/^-?\d+(\.\d+)?$/.test(value)) throw schemaError(`${attribute.name}: Number must be a valid number`)
  if (value.length > MAX_STRING_LENGTH) throw schemaError(`${attribute.name}: String must be no longer than ${MAX_STRING_LENGTH} characters`)
}

/** Checks one attribute's value against its type and Cognito's formats for email and phone numbers. */
export function checkAttributeValue(pool: UserPoolModel, name: string, value: string): void {
  checkValue(knownAttribute(attributeSchema(pool), name), value)
}

function knownAttribute(schema: Map<string, SchemaAttribute>, name: string): SchemaAttribute {
  const attribute = schema.get(name)
  if (!attribute) throw schemaError(`Type for attribute {${name}} could not be determined`)
  return attribute
}

export type AttributeWrite = 'sign-up' | 'update'

/** An attribute a client may write: known, in its WriteAttributes, and, after sign-up, mutable. */
function writableAttribute(schema: Map<string, SchemaAttribute>, client: UserPoolClientModel, name: string, write: AttributeWrite): SchemaAttribute {
  const attribute = knownAttribute(schema, name)
  if (name === 'sub' || (client.writeAttributes && !client.writeAttributes.includes(name))) throw unauthorizedAttributeWrite()
  if (write === 'update' && !attribute.mutable) throw invalidParameter(`Cannot modify the non-mutable attribute ${name}`)
  return attribute
}

/** Checks attributes a client writes, values included; throws Cognito's error for the first that may not be written. */
export function checkAttributeWrites(
  pool: UserPoolModel,
  client: UserPoolClientModel,
  attributes: Record<string, string>,
  write: AttributeWrite,
): void {
  const schema = attributeSchema(pool)
  for (const [name, value] of Object.entries(attributes)) checkValue(writableAttribute(schema, client, name, write), value)
}

/** Checks attribute names a client deletes: writable by it, and not required. */
export function checkAttributeDeletes(pool: UserPoolModel, client: UserPoolClientModel, names: string[]): void {
  const schema = attributeSchema(pool)
  for (const name of names) {
    if (writableAttribute(schema, client, name, 'update').required) throw missingRequiredAttributes([name])
  }
}

/** The required attributes of a pool that a set of attributes lacks. */
export function requiredAttributesMissing(pool: UserPoolModel, attributes: Record<string, string>): string[] {
  return [...attributeSchema(pool).values()].filter((attribute) => attribute.required && !attributes[attribute.name]).map((attribute) => attribute.name)
}

/** The attributes a client may read, `sub` first as Cognito lists it. */
export function readableAttributes(client: UserPoolClientModel, sub: string, attributes: Record<string, string>): Record<string, string> {
  const readable = Object.entries(attributes).filter(([name]) => !client.readAttributes || client.readAttributes.includes(name))
  return { sub, ...Object.fromEntries(readable) }
}

/** `{ a: '1' }` → `[{ Name: 'a', Value: '1' }]`, the shape the API answers with. */
export function toAttributeList(attributes: Record<string, string>): { Name: string; Value: string }[] {
  return Object.entries(attributes).map(([Name, Value]) => ({ Name, Value }))
}
