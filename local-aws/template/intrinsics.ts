/** What intrinsic functions resolve against: parameter values, pseudo parameters and provisioned resources. */
export interface ResolveContext {
  /** Parameters and pseudo parameters (`AWS::Region`), by name. */
  refs: Record<string, string | string[]>
  /** The value of `Fn::GetAtt [logicalId, attribute]`. */
  getAtt(logicalId: string, attribute: string): string
  /** The template's conditions, evaluated (`Fn::If`). */
  conditions?: Record<string, boolean>
}

/** What `Ref: AWS::NoValue` resolves to: the property or list item that holds it is left out. */
const NO_VALUE = Symbol('AWS::NoValue')

type Resolved = string | number | boolean | null | Resolved[] | { [key: string]: Resolved }

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function asString(value: Resolved, what: string): string {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  throw new Error(`${what} must resolve to a string`)
}

function ref(name: string, context: ResolveContext): string | string[] {
  if (name === 'AWS::NoValue') return NO_VALUE as unknown as string
  const value = context.refs[name]
  if (value === undefined) throw new Error(`Ref to unknown name "${name}"`)
  return value
}

/** `Fn::Sub`: `${Name}` and `${Resource.Attribute}` are replaced; `${!Literal}` stands for the text `${Literal}`. */
function substitute(template: string, variables: Record<string, string>, context: ResolveContext): string {
  return template.replace(/\$\{([^}]*)\}/g, (_whole, name: string) => {
    if (name.startsWith('!')) return `\${${name.slice(1)}}`
    if (name in variables) return variables[name] as string
    const dot = name.indexOf('.')
    if (dot > 0 && !(name in context.refs)) return context.getAtt(name.slice(0, dot), name.slice(dot + 1))
    const value = ref(name, context)
    if (Array.isArray(value)) throw new Error(`Fn::Sub cannot insert the list "${name}"`)
    return value
  })
}

/**
 * Resolves the intrinsic functions a template of ours uses. Anything else is an error, so a template change that local
 * AWS cannot honour fails at start-up instead of being provisioned wrongly.
 */
export function resolveIntrinsics(value: unknown, context: ResolveContext): Resolved {
  const resolved = resolveValue(value, context)
  if ((resolved as unknown) === NO_VALUE) throw new Error('AWS::NoValue can only stand for a property or a list item')
  return resolved
}

function withoutNoValues(items: Resolved[]): Resolved[] {
  return items.filter((item) => (item as unknown) !== NO_VALUE)
}

function conditionValue(name: unknown, context: ResolveContext): boolean {
  const value = typeof name === 'string' ? context.conditions?.[name] : undefined
  if (value === undefined) throw new Error(`Unknown condition "${String(name)}"`)
  return value
}

/**
 * A condition function (`Fn::Equals`, `Fn::Not`, `Fn::And`, `Fn::Or`, `Condition`), as the template's Conditions
 * section uses them.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-conditions.html
 */
export function evaluateCondition(value: unknown, context: ResolveContext): boolean {
  if (!isRecord(value) || Object.keys(value).length !== 1) throw new Error('A condition must be one condition function')
  const [[name, argument]] = Object.entries(value) as [[string, unknown]]
  const operands = () => {
    if (!Array.isArray(argument)) throw new Error(`${name} takes a list`)
    return argument.map((operand) => evaluateCondition(operand, context))
  }
  switch (name) {
    case 'Condition':
      return conditionValue(argument, context)
    case 'Fn::Equals': {
      const [left, right] = resolveIntrinsics(argument, context) as [Resolved, Resolved]
      return JSON.stringify(left) === JSON.stringify(right) || String(left) === String(right)
    }
    case 'Fn::Not':
      return !operands()[0]
    case 'Fn::And':
      return operands().every(Boolean)
    case 'Fn::Or':
      return operands().some(Boolean)
    default:
      throw new Error(`Local AWS does not support ${name} in a condition`)
  }
}

function resolveValue(value: unknown, context: ResolveContext): Resolved {
  if (Array.isArray(value)) return withoutNoValues(value.map((item) => resolveValue(item, context)))
  if (!isRecord(value)) return value as Resolved
  const keys = Object.keys(value)
  const [only] = keys
  if (keys.length === 1 && only !== undefined && (only === 'Ref' || only.startsWith('Fn::'))) {
    const argument = value[only]
    switch (only) {
      case 'Ref':
        return ref(asString(argument as Resolved, 'Ref'), context)
      case 'Fn::GetAtt': {
        const [logicalId, attribute] = resolveIntrinsics(argument, context) as string[]
        if (!logicalId || !attribute) throw new Error('Fn::GetAtt needs a resource and an attribute')
        return context.getAtt(logicalId, attribute)
      }
      case 'Fn::Sub': {
        if (typeof argument === 'string') return substitute(argument, {}, context)
        const [text, variables] = resolveIntrinsics(argument, context) as [string, Record<string, string>]
        return substitute(text, variables ?? {}, context)
      }
      case 'Fn::Join': {
        const [separator, items] = resolveIntrinsics(argument, context) as [string, Resolved[]]
        return items.map((item) => asString(item, 'Fn::Join item')).join(separator)
      }
      case 'Fn::Select': {
        const [index, items] = resolveIntrinsics(argument, context) as [string | number, Resolved[]]
        const selected = items[Number(index)]
        if (selected === undefined) throw new Error(`Fn::Select index ${index} is out of range`)
        return selected
      }
      case 'Fn::If': {
        const [condition, whenTrue, whenFalse] = argument as [string, unknown, unknown]
        return resolveValue(conditionValue(condition, context) ? whenTrue : whenFalse, context)
      }
      case 'Fn::Split': {
        const [separator, text] = resolveIntrinsics(argument, context) as [string, string]
        return text.split(separator)
      }
      default:
        throw new Error(`Local AWS does not support ${only} in the template`)
    }
  }
  return Object.fromEntries(
    Object.entries(value)
      .map(([key, item]) => [key, resolveValue(item, context)] as const)
      .filter(([, item]) => (item as unknown) !== NO_VALUE),
  )
}
