import { loadAwsServiceSpecSync } from '@aws-cdk/aws-service-spec'
import type { PropertyType, SpecDatabase, TypeDefinition } from '@aws-cdk/service-spec-types'
import type { CfnTemplate } from './cfnYaml.ts'

type Property = { type: PropertyType; required?: boolean }

let database: SpecDatabase | undefined

/** CloudFormation's resource specification as AWS CDK ships it (loaded once: it takes a second or two). */
function spec(): SpecDatabase {
  database ??= loadAwsServiceSpecSync()
  return database
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** `{ Ref: … }` or `{ 'Fn::…': … }`: a value CloudFormation computes, whose type only the deployment shows. */
function intrinsicName(value: unknown): string | undefined {
  if (!isRecord(value)) return undefined
  const keys = Object.keys(value)
  const [only] = keys
  return keys.length === 1 && only !== undefined && (only === 'Ref' || only.startsWith('Fn::')) ? only : undefined
}

/**
 * Checks a template against CloudFormation's resource specification: every resource type exists, every property name
 * is one the type has, every required property is there, and every value has the specified type (objects recursively;
 * the branches of `Fn::If` each; other intrinsics only where a string, number, boolean or list can come from them).
 * Returns one line per problem, e.g. `SiteDistribution.DistributionConfig.Origins[0].Id: expected string, got object`.
 */
export function checkAgainstResourceSpec(template: CfnTemplate): string[] {
  const db = spec()
  const problems: string[] = []

  function checkProperties(where: string, properties: Record<string, Property>, value: unknown): void {
    if (!isRecord(value)) return void problems.push(`${where}: expected an object, got ${JSON.stringify(value)}`)
    for (const [name, item] of Object.entries(value)) {
      const property = properties[name]
      if (!property) problems.push(`${where}.${name}: no such property`)
      else checkValue(`${where}.${name}`, property.type, item)
    }
    for (const [name, property] of Object.entries(properties)) {
      if (property.required && !(name in value)) problems.push(`${where}.${name}: required property missing`)
    }
  }

  function checkValue(where: string, type: PropertyType, value: unknown): void {
    const intrinsic = intrinsicName(value)
    if (intrinsic === 'Fn::If') {
      const [, whenTrue, whenFalse] = (value as { 'Fn::If': unknown[] })['Fn::If']
      for (const branch of [whenTrue, whenFalse]) {
        if (!(isRecord(branch) && branch.Ref === 'AWS::NoValue')) checkValue(where, type, branch)
      }
      return
    }
    if (intrinsic) {
      if (type.type === 'ref') problems.push(`${where}: an object cannot come from ${intrinsic}`)
      return
    }
    switch (type.type) {
      case 'string':
      case 'date-time':
        if (typeof value !== 'string') problems.push(`${where}: expected string, got ${typeof value}`)
        return
      case 'number':
      case 'integer':
        if (typeof value !== 'number' && !(typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)))) {
          problems.push(`${where}: expected ${type.type}, got ${JSON.stringify(value)}`)
        }
        return
      case 'boolean':
        if (typeof value !== 'boolean' && value !== 'true' && value !== 'false') problems.push(`${where}: expected boolean, got ${JSON.stringify(value)}`)
        return
      case 'json':
        if (!isRecord(value) && !Array.isArray(value)) problems.push(`${where}: expected a JSON object`)
        return
      case 'array':
        if (!Array.isArray(value)) return void problems.push(`${where}: expected a list, got ${typeof value}`)
        value.forEach((item, index) => checkValue(`${where}[${index}]`, type.element, item))
        return
      case 'map':
        if (!isRecord(value)) return void problems.push(`${where}: expected a map`)
        for (const [key, item] of Object.entries(value)) checkValue(`${where}.${key}`, type.element, item)
        return
      case 'tag':
        if (!isRecord(value) || typeof value.Key !== 'string') problems.push(`${where}: expected a { Key, Value } tag`)
        return
      case 'union': {
        // Accepted when any member accepts it.
        const before = problems.length
        const outcomes = type.types.map((member) => {
          const start = problems.length
          checkValue(where, member, value)
          return problems.splice(start).length === 0
        })
        problems.length = before
        if (!outcomes.some(Boolean)) problems.push(`${where}: matches none of the types it may have`)
        return
      }
      case 'ref': {
        const definition = db.get('typeDefinition', type.reference.$ref) as TypeDefinition
        checkProperties(where, definition.properties, value)
        return
      }
      default:
        problems.push(`${where}: unexpected type ${type.type}`)
    }
  }

  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    const found = db.lookup('resource', 'cloudFormationType', 'equals', resource.Type)
    const definition = found[0]
    if (!definition) {
      problems.push(`${logicalId}: unknown resource type ${resource.Type}`)
      continue
    }
    checkProperties(logicalId, definition.properties, resource.Properties ?? {})
  }
  return problems
}
