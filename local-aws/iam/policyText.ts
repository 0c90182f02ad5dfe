import { conditionKeyOf, type RequestContext } from './conditionKeys.ts'

/** A policy is wrong or uses something the evaluator does not know: local AWS refuses to start rather than guess. */
export class PolicyError extends Error {}

/**
 * One piece of a policy string: text as written (where `*` and `?` are wildcards), a policy variable, or one of the
 * escapes `${*}`, `${?}`, `${$}` that stand for the literal character.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-specialchars
 */
type TextPart =
  | { kind: 'text'; text: string }
  | { kind: 'variable'; key: string; fallback?: string }
  | { kind: 'literal'; text: string }

/** A policy string parsed once at start-up, resolved per request. */
export interface PolicyText {
  source: string
  parts: TextPart[]
  hasVariables: boolean
}

const ESCAPES = new Set(['*', '?', '$'])

/**
 * Parses a string of a policy. `${key}` and `${key, 'default'}` must name a single-valued condition key the evaluator
 * knows; variables only exist in policies of Version 2012-10-17 (older ones would take `${…}` literally, which is
 * never what the author meant, so it is refused).
 */
export function parsePolicyText(source: string, options: { variablesAllowed: boolean; where: string }): PolicyText {
  const parts: TextPart[] = []
  let hasVariables = false
  let rest = source
  while (rest.length > 0) {
    const start = rest.indexOf('${')
    if (start < 0) {
      parts.push({ kind: 'text', text: rest })
      break
    }
    if (start > 0) parts.push({ kind: 'text', text: rest.slice(0, start) })
    const end = rest.indexOf('}', start)
    if (end < 0) throw new PolicyError(`${options.where}: unterminated policy variable in "${source}"`)
    const inner = rest.slice(start + 2, end)
    rest = rest.slice(end + 1)
    if (ESCAPES.has(inner)) {
      parts.push({ kind: 'literal', text: inner })
      continue
    }
    if (!options.variablesAllowed) {
      throw new PolicyError(`${options.where}: policy variable \${${inner}} is not allowed here ("${source}")`)
    }
    const withDefault = /^\s*([^,\s]+)\s*,\s*'([^']*)'\s*$/.exec(inner)
    const key = (withDefault?.[1] ?? inner).trim()
    const known = conditionKeyOf(key)
    if (!known) throw new PolicyError(`${options.where}: unknown policy variable \${${key}} in "${source}"`)
    if (known.multivalued) {
      // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
      throw new PolicyError(`${options.where}: \${${key}} is a multivalued key and cannot be a policy variable ("${source}")`)
    }
    parts.push({ kind: 'variable', key: known.name, fallback: withDefault?.[2] })
    hasVariables = true
  }
  return { source, parts, hasVariables }
}

/** The text with its variables replaced, or `undefined` when a variable has no value in the request (no match). */
function resolveParts(text: PolicyText, context: RequestContext): { text: string; isPattern: boolean }[] | undefined {
  const resolved: { text: string; isPattern: boolean }[] = []
  for (const part of text.parts) {
    if (part.kind === 'text') {
      resolved.push({ text: part.text, isPattern: true })
    } else if (part.kind === 'literal') {
      resolved.push({ text: part.text, isPattern: false })
    } else {
      const [value] = context[part.key] ?? []
      const replacement = value ?? part.fallback
      if (replacement === undefined) return undefined
      resolved.push({ text: replacement, isPattern: false })
    }
  }
  return resolved
}

/** The string an equality operator compares with, or `undefined` when a variable has no value in the request. */
export function resolveLiteral(text: PolicyText, context: RequestContext): string | undefined {
  return resolveParts(text, context)?.map((part) => part.text).join('')
}

const REGEXP_SPECIAL = /[.*+?^${}()|[\]\\]/g

export interface PatternOptions {
  ignoreCase: boolean
  /** In an ARN, a wildcard does not cross the `:` between its first six segments. */
  isArn: boolean
}

/**
 * The text as a whole-string matcher where `*` is any run of characters and `?` one character; substituted values and
 * escapes are literal. `undefined` when a variable has no value in the request.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html#reference_policies_elements_resource_wildcards
 */
export function resolvePattern(text: PolicyText, context: RequestContext, options: PatternOptions): RegExp | undefined {
  const parts = resolveParts(text, context)
  if (!parts) return undefined
  let colons = 0
  let source = ''
  for (const part of parts) {
    if (!part.isPattern) {
      source += part.text.replace(REGEXP_SPECIAL, '\\$&')
      colons += part.text.split(':').length - 1
      continue
    }
    for (const character of part.text) {
      const withinSegment = options.isArn && colons < 5
      if (character === '*') source += withinSegment ? '[^:]*' : '.*'
      else if (character === '?') source += withinSegment ? '[^:]' : '.'
      else source += character.replace(REGEXP_SPECIAL, '\\$&')
      if (character === ':') colons += 1
    }
  }
  return new RegExp(`^${source}$`, options.ignoreCase ? 'isu' : 'su')
}
