import type { CfnTemplate } from './cfnYaml.ts'

/** Values for the parameters that take free text, shaped as a deployer would pass them (and as their patterns require). */
const SAMPLES: Record<string, string> = {
  SesIdentityArn: 'arn:aws:ses:eu-west-1:123456789012:identity/example.com',
  SesFromAddress: 'Wild Rydes <no-reply@example.com>',
  AppOrigins: 'http://localhost:5173,http://localhost:4173',
}

function valuesOf(name: string, parameter: NonNullable<CfnTemplate['Parameters']>[string]): string[] {
  if (parameter.AllowedValues) return parameter.AllowedValues.map(String)
  if (parameter.Type === 'Number') return [String(parameter.MinValue ?? parameter.Default), String(parameter.MaxValue ?? parameter.Default)]
  const sample = SAMPLES[name]
  if (sample === undefined) throw new Error(`Parameter ${name}: give it a sample value in infra/parameterCombinations.ts`)
  return [...new Set([String(parameter.Default ?? ''), sample])]
}

/** The parameters a condition reads: they decide which resources and which property values the stack gets. */
function conditionParameters(template: CfnTemplate): Set<string> {
  const names = new Set<string>()
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit)
    if (typeof value !== 'object' || value === null) return
    for (const [key, item] of Object.entries(value)) {
      if (key === 'Ref' && typeof item === 'string' && template.Parameters?.[item]) names.add(item)
      else visit(item)
    }
  }
  visit(template.Conditions)
  return names
}

/**
 * The parameter sets a deployer can pass: every combination of the values of the parameters that conditions read, and
 * the other parameters cycling through their values (bounds, allowed values, empty or a sample) so that each value
 * appears at least once.
 */
export function parameterCombinations(template: CfnTemplate): Record<string, string>[] {
  const parameters = Object.entries(template.Parameters ?? {})
  const deciding = conditionParameters(template)
  let combinations: Record<string, string>[] = [{}]
  for (const [name, parameter] of parameters.filter(([name]) => deciding.has(name))) {
    combinations = combinations.flatMap((combination) => valuesOf(name, parameter).map((value) => ({ ...combination, [name]: value })))
  }
  for (const [name, parameter] of parameters.filter(([name]) => !deciding.has(name))) {
    const values = valuesOf(name, parameter)
    combinations.forEach((combination, index) => (combination[name] = values[index % values.length] ?? ''))
  }
  return combinations
}
