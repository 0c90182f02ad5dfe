import { conditionKeyOf, type RequestContext } from './conditionKeys.ts'
import { PolicyError, parsePolicyText, resolveLiteral, resolvePattern, type PolicyText } from './policyText.ts'

/**
 * How one request value compares with one policy value (already resolved), for the positive form of an operator.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 */
interface Comparison {
  /** `undefined` when a policy variable has no value in the request. */
  resolve(policyValue: PolicyText, context: RequestContext): ((requestValue: string) => boolean) | undefined
  variablesAllowed: boolean
  /** Refuses a policy value the operator can never compare with (e.g. `"yes"` for Bool). */
  check?(policyValue: string): string | undefined
}

const stringEquals: Comparison = {
  variablesAllowed: true,
  resolve(policyValue, context) {
    const expected = resolveLiteral(policyValue, context)
    return expected === undefined ? undefined : (requestValue) => requestValue === expected
  },
}

const stringEqualsIgnoreCase: Comparison = {
  variablesAllowed: true,
  resolve(policyValue, context) {
    const expected = resolveLiteral(policyValue, context)?.toLowerCase()
    return expected === undefined ? undefined : (requestValue) => requestValue.toLowerCase() === expected
  },
}

const stringLike: Comparison = {
  variablesAllowed: true,
  resolve(policyValue, context) {
    const pattern = resolvePattern(policyValue, context, { ignoreCase: false, isArn: false })
    return pattern === undefined ? undefined : (requestValue) => pattern.test(requestValue)
  },
}

const bool: Comparison = {
  variablesAllowed: false,
  resolve: (policyValue) => (requestValue) => requestValue.toLowerCase() === policyValue.source.toLowerCase(),
  check: (policyValue) => (/^(true|false)$/i.test(policyValue) ? undefined : 'Bool expects "true" or "false"'),
}

function numeric(compare: (requestValue: number, policyValue: number) => boolean): Comparison {
  return {
    variablesAllowed: false,
    resolve: (policyValue) => (requestValue) => {
      const number = Number(requestValue)
      return requestValue.trim() !== '' && Number.isFinite(number) && compare(number, Number(policyValue.source))
    },
    check: (policyValue) => (Number.isFinite(Number(policyValue)) ? undefined : 'a numeric operator expects a number'),
  }
}

const numericEquals = numeric((request, policy) => request === policy)

/** Operator name (without `IfExists` and set prefix) → its positive comparison and whether the operator negates it. */
const OPERATORS: Record<string, { comparison: Comparison; negated: boolean }> = {
  StringEquals: { comparison: stringEquals, negated: false },
  StringNotEquals: { comparison: stringEquals, negated: true },
  StringEqualsIgnoreCase: { comparison: stringEqualsIgnoreCase, negated: false },
  StringNotEqualsIgnoreCase: { comparison: stringEqualsIgnoreCase, negated: true },
  StringLike: { comparison: stringLike, negated: false },
  StringNotLike: { comparison: stringLike, negated: true },
  Bool: { comparison: bool, negated: false },
  NumericEquals: { comparison: numericEquals, negated: false },
  NumericNotEquals: { comparison: numericEquals, negated: true },
  NumericLessThan: { comparison: numeric((request, policy) => request < policy), negated: false },
  NumericLessThanEquals: { comparison: numeric((request, policy) => request <= policy), negated: false },
  NumericGreaterThan: { comparison: numeric((request, policy) => request > policy), negated: false },
  NumericGreaterThanEquals: { comparison: numeric((request, policy) => request >= policy), negated: false },
}

type SetOperator = 'ForAnyValue' | 'ForAllValues'

/** One key of one operator of a Condition block, parsed once at start-up. */
export type CompiledCondition =
  | { kind: 'null'; key: string; expectAbsent: boolean }
  | {
      kind: 'compare'
      key: string
      comparison: Comparison
      negated: boolean
      ifExists: boolean
      setOperator?: SetOperator
      values: PolicyText[]
    }

function policyValues(raw: unknown): string[] {
  const values = Array.isArray(raw) ? raw : [raw]
  return values.map((value) => {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value)
    throw new PolicyError(`condition values must be strings, numbers or booleans, found ${JSON.stringify(value)}`)
  })
}

/**
 * Parses a statement's Condition element. An operator, set operator or key the evaluator does not know is an error,
 * never a condition that is silently true or false.
 */
export function compileConditions(condition: unknown, variablesAllowed: boolean, where: string): CompiledCondition[] {
  if (condition === undefined) return []
  if (typeof condition !== 'object' || condition === null || Array.isArray(condition)) {
    throw new PolicyError(`${where}: Condition must be an object of operators`)
  }
  const compiled: CompiledCondition[] = []
  for (const [operatorText, keys] of Object.entries(condition)) {
    const match = /^(?:(ForAnyValue|ForAllValues):)?(.+?)(IfExists)?$/.exec(operatorText)
    const [, setOperator, operatorName = '', ifExists] = match ?? []
    // Null is the one operator that looks at presence only: no set operator, no IfExists.
    const isNull = operatorName === 'Null'
    if (isNull && (setOperator || ifExists)) throw new PolicyError(`${where}: unsupported condition operator ${operatorText}`)
    // Own properties only: an operator named `constructor` or `toString` is unknown, not one of Object's methods.
    const operator = Object.hasOwn(OPERATORS, operatorName) ? OPERATORS[operatorName] : undefined
    if (!isNull && !operator) throw new PolicyError(`${where}: unknown condition operator ${operatorText}`)
    if (typeof keys !== 'object' || keys === null || Array.isArray(keys) || Object.keys(keys).length === 0) {
      throw new PolicyError(`${where}: condition operator ${operatorText} must map keys to values`)
    }
    for (const [keyName, raw] of Object.entries(keys as Record<string, unknown>)) {
      const key = conditionKeyOf(keyName)
      if (!key) throw new PolicyError(`${where}: unknown condition key ${keyName} (under ${operatorText})`)
      const values = policyValues(raw)
      if (!operator) {
        const [expected, ...others] = values
        if (others.length > 0 || !expected || !/^(true|false)$/i.test(expected)) {
          throw new PolicyError(`${where}: Null expects a single "true" or "false" for ${keyName}`)
        }
        compiled.push({ kind: 'null', key: key.name, expectAbsent: expected.toLowerCase() === 'true' })
        continue
      }
      if (key.multivalued && !setOperator) {
        throw new PolicyError(`${where}: ${keyName} is multivalued and needs ForAnyValue: or ForAllValues: (under ${operatorText})`)
      }
      const valueWhere = `${where}, ${operatorText} ${keyName}`
      for (const value of values) {
        const problem = operator.comparison.check?.(value)
        if (problem) throw new PolicyError(`${valueWhere}: ${problem}, found "${value}"`)
      }
      compiled.push({
        kind: 'compare',
        key: key.name,
        comparison: operator.comparison,
        negated: operator.negated,
        ifExists: ifExists !== undefined,
        setOperator: setOperator as SetOperator | undefined,
        values: values.map((value) =>
          parsePolicyText(value, { variablesAllowed: variablesAllowed && operator.comparison.variablesAllowed, where: valueWhere }),
        ),
      })
    }
  }
  return compiled
}

/**
 * Whether one condition holds for the request; `undefined` when one of its policy variables has no value in the
 * request, which makes the whole statement not match.
 * Absent keys: a negated operator holds, `…IfExists` holds, `ForAllValues` holds, anything else does not.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
 */
export function conditionHolds(condition: CompiledCondition, context: RequestContext): boolean | undefined {
  const requestValues = context[condition.key] ?? []
  if (condition.kind === 'null') return condition.expectAbsent === (requestValues.length === 0)
  const matchers: ((requestValue: string) => boolean)[] = []
  for (const value of condition.values) {
    const matcher = condition.comparison.resolve(value, context)
    if (!matcher) return undefined
    matchers.push(matcher)
  }
  // Values of one key are ORed: the positive operator holds for a request value when any policy value matches it.
  const holdsFor = (requestValue: string) => matchers.some((matches) => matches(requestValue)) !== condition.negated
  if (requestValues.length === 0) {
    if (condition.setOperator === 'ForAllValues') return true
    if (condition.ifExists) return true
    return condition.setOperator === undefined && condition.negated
  }
  if (condition.setOperator === 'ForAllValues') return requestValues.every(holdsFor)
  return requestValues.some(holdsFor)
}
