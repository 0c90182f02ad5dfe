import type { CfnTemplate } from '../../infra/cfnYaml.ts'
import { evaluateCondition, type ResolveContext } from './intrinsics.ts'

/** Where a stack is deployed: what its pseudo parameters say. */
export interface StackScope {
  region: string
  accountId: string
  stackName: string
  stackId: string
}

function parameterValues(template: CfnTemplate, overrides: Record<string, string>): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {}
  for (const [name, parameter] of Object.entries(template.Parameters ?? {})) {
    const raw = overrides[name] ?? parameter.Default
    if (raw === undefined) throw new Error(`Template parameter ${name} has no default and no value was given`)
    const text = String(raw)
    if (parameter.AllowedValues && !parameter.AllowedValues.map(String).includes(text)) {
      throw new Error(`Template parameter ${name} must be one of ${parameter.AllowedValues.join(', ')}`)
    }
    values[name] = parameter.Type === 'CommaDelimitedList' ? text.split(',').map((item) => item.trim()) : text
  }
  return values
}

/**
 * What a stack's conditions and resource names resolve against before any resource exists: its parameters (the
 * template's defaults overridden), its pseudo parameters and its conditions, evaluated.
 */
export function stackContext(template: CfnTemplate, parameters: Record<string, string>, scope: StackScope): ResolveContext {
  const refs = {
    ...parameterValues(template, parameters),
    'AWS::Region': scope.region,
    'AWS::AccountId': scope.accountId,
    'AWS::StackName': scope.stackName,
    'AWS::StackId': scope.stackId,
    'AWS::Partition': 'aws',
    'AWS::URLSuffix': 'amazonaws.com',
  }
  const getAtt = (logicalId: string, attribute: string): string => {
    throw new Error(`Local AWS does not know Fn::GetAtt ${logicalId}.${attribute} in a condition or a resource name: those use parameters only`)
  }
  const conditions: Record<string, boolean> = {}
  const context: ResolveContext = { refs, getAtt, conditions }
  for (const [name, condition] of Object.entries(template.Conditions ?? {})) conditions[name] = evaluateCondition(condition, context)
  return context
}

/** The resources the stack creates: a resource whose condition is false is not created, as on AWS. */
export function createdResources(template: CfnTemplate, conditions: Record<string, boolean>): CfnTemplate['Resources'] {
  return Object.fromEntries(
    Object.entries(template.Resources).filter(([logicalId, resource]) => {
      if (resource.Condition === undefined) return true
      if (!(resource.Condition in conditions)) throw new Error(`${logicalId} names unknown condition ${resource.Condition}`)
      return conditions[resource.Condition]
    }),
  )
}
