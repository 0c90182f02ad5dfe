import type { PolicyDocument } from '../template/model.ts'
import { compileConditions, conditionHolds, type CompiledCondition } from './conditions.ts'
import type { RequestContext } from './conditionKeys.ts'
import { PolicyError, parsePolicyText, resolvePattern, type PolicyText } from './policyText.ts'

export { PolicyError } from './policyText.ts'

/** The outcome of evaluating policies for one request. */
export type Decision = 'Allow' | 'ExplicitDeny' | 'ImplicitDeny'

/**
 * Identity-based policies (attached to a role: Action + Resource, no Principal), a role's trust policy (Principal,
 * no Resource: the role itself is the resource) or a resource-based policy such as a bucket policy (both).
 */
export type PolicyKind = 'identity' | 'trust' | 'resource'

export interface EvaluationRequest {
  /** `service:Operation`, e.g. `s3:GetObject`. */
  action: string
  /** The resource ARN; absent when evaluating a trust policy. */
  resource?: string
  /** Who asks, for trust policies: e.g. `{ type: 'Federated', id: 'cognito-identity.amazonaws.com' }`. */
  principal?: { type: string; id: string }
  context: RequestContext
}

interface CompiledStatement {
  effect: 'Allow' | 'Deny'
  actions: { patterns: RegExp[]; isNot: boolean }
  resources?: { patterns: PolicyText[]; isNot: boolean }
  principals?: Record<string, string[]> | '*'
  conditions: CompiledCondition[]
}

/** A policy checked and parsed once, at start-up. */
export interface CompiledPolicy {
  name: string
  statements: CompiledStatement[]
}

const STATEMENT_ELEMENTS = new Set(['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'])

function stringList(value: unknown, what: string): string[] {
  const list = Array.isArray(value) ? value : [value]
  if (list.length === 0 || list.some((item) => typeof item !== 'string')) throw new PolicyError(`${what} must be a string or a list of strings`)
  return list as string[]
}

/** Exactly one of `Element` and `NotElement`, as a list, and which one it was. */
function eitherOf(statement: Record<string, unknown>, element: string, where: string): { values: string[]; isNot: boolean } {
  const positive = statement[element]
  const negative = statement[`Not${element}`]
  if ((positive === undefined) === (negative === undefined)) {
    throw new PolicyError(`${where}: a statement needs exactly one of ${element} and Not${element}`)
  }
  return positive !== undefined
    ? { values: stringList(positive, `${where}: ${element}`), isNot: false }
    : { values: stringList(negative, `${where}: Not${element}`), isNot: true }
}

function compileAction(action: string, where: string): RegExp {
  if (action !== '*' && !/^[\w-]+:[\w*?-]+$/.test(action)) throw new PolicyError(`${where}: malformed action "${action}"`)
  // Action names are case-insensitive; they take wildcards but never variables.
  return resolvePattern(parsePolicyText(action, { variablesAllowed: false, where }), {}, { ignoreCase: true, isArn: false }) as RegExp
}

function compilePrincipal(principal: unknown, where: string): Record<string, string[]> | '*' {
  if (principal === '*') return '*'
  if (typeof principal !== 'object' || principal === null || Array.isArray(principal)) {
    throw new PolicyError(`${where}: Principal must be "*" or an object such as { Federated: … }`)
  }
  return Object.fromEntries(
    Object.entries(principal).map(([type, ids]) => [type, stringList(ids, `${where}: Principal.${type}`)]),
  )
}

function compileStatement(raw: unknown, kind: PolicyKind, variablesAllowed: boolean, where: string): CompiledStatement {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new PolicyError(`${where}: a statement must be an object`)
  const statement = raw as Record<string, unknown>
  const unknown = Object.keys(statement).filter((element) => !STATEMENT_ELEMENTS.has(element))
  if (unknown.length > 0) throw new PolicyError(`${where}: unknown statement element ${unknown.join(', ')}`)
  if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny') throw new PolicyError(`${where}: Effect must be Allow or Deny`)
  const actions = eitherOf(statement, 'Action', where)
  const compiled: CompiledStatement = {
    effect: statement.Effect,
    actions: { patterns: actions.values.map((action) => compileAction(action, where)), isNot: actions.isNot },
    conditions: compileConditions(statement.Condition, variablesAllowed, where),
  }
  if (statement.NotPrincipal !== undefined) throw new PolicyError(`${where}: NotPrincipal is not supported by local AWS`)
  if (kind === 'identity' && statement.Principal !== undefined) throw new PolicyError(`${where}: an identity-based policy cannot name a Principal`)
  if (kind !== 'identity') {
    if (statement.Principal === undefined) throw new PolicyError(`${where}: a ${kind} policy statement needs a Principal`)
    compiled.principals = compilePrincipal(statement.Principal, where)
  }
  if (kind === 'trust') {
    if (statement.Resource !== undefined || statement.NotResource !== undefined) {
      throw new PolicyError(`${where}: a trust policy statement cannot name a Resource`)
    }
  } else {
    const resources = eitherOf(statement, 'Resource', where)
    compiled.resources = {
      patterns: resources.values.map((resource) => parsePolicyText(resource, { variablesAllowed, where })),
      isNot: resources.isNot,
    }
  }
  return compiled
}

/**
 * Checks a policy document and parses it for evaluation. Throws a `PolicyError` naming the policy, the statement and
 * the element for anything the evaluator does not know (operator, key, variable, element), so local AWS fails at
 * start-up instead of allowing or denying differently from AWS.
 */
export function compilePolicy(document: PolicyDocument, kind: PolicyKind, name: string): CompiledPolicy {
  if (typeof document !== 'object' || document === null) throw new PolicyError(`Policy ${name}: not a policy document`)
  // Policy variables exist only in Version 2012-10-17; before it `${…}` is plain text.
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html
  const variablesAllowed = document.Version === '2012-10-17'
  const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement]
  return {
    name,
    statements: statements.map((statement, index) => {
      const sid = (statement as { Sid?: unknown } | undefined)?.Sid
      return compileStatement(statement, kind, variablesAllowed, `Policy ${name}, statement ${typeof sid === 'string' ? sid : index + 1}`)
    }),
  }
}

function principalMatches(principals: CompiledStatement['principals'], principal: EvaluationRequest['principal']): boolean {
  if (principals === '*') return true
  if (!principals || !principal) return false
  const ids = principals[principal.type] ?? []
  return ids.includes('*') || ids.includes(principal.id)
}

function resourceMatches(pattern: PolicyText, resource: string, context: RequestContext): boolean | undefined {
  const matcher = resolvePattern(pattern, context, { ignoreCase: false, isArn: pattern.source.startsWith('arn:') })
  return matcher && matcher.test(resource)
}

/** Whether a statement applies to the request; `undefined` (does not apply) when a policy variable has no value. */
function statementApplies(statement: CompiledStatement, request: EvaluationRequest): boolean | undefined {
  const actionMatches = statement.actions.patterns.some((pattern) => pattern.test(request.action))
  if (actionMatches === statement.actions.isNot) return false
  if (statement.principals && !principalMatches(statement.principals, request.principal)) return false
  if (statement.resources) {
    const { resource } = request
    if (resource === undefined) return false
    const matches = statement.resources.patterns.map((pattern) => resourceMatches(pattern, resource, request.context))
    // An entry whose variable has no value matches nothing; the others still count. Under NotResource that entry
    // cannot be ruled out, so the statement does not apply.
    if (statement.resources.isNot && matches.includes(undefined)) return undefined
    if (matches.includes(true) === statement.resources.isNot) return false
  }
  // Conditions are ANDed across operators and keys.
  for (const condition of statement.conditions) {
    const holds = conditionHolds(condition, request.context)
    if (holds !== true) return holds
  }
  return true
}

/**
 * AWS's evaluation logic for one account's policies: an explicit Deny in any statement wins, else an Allow allows,
 * else the request is implicitly denied.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */
export function evaluatePolicies(policies: readonly CompiledPolicy[], request: EvaluationRequest): Decision {
  let isAllowed = false
  for (const policy of policies) {
    for (const statement of policy.statements) {
      if (statementApplies(statement, request) !== true) continue
      if (statement.effect === 'Deny') return 'ExplicitDeny'
      isAllowed = true
    }
  }
  return isAllowed ? 'Allow' : 'ImplicitDeny'
}
