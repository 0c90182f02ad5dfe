import { readFileSync } from 'node:fs'
import { parse, type CollectionTag, type ScalarTag } from 'yaml'

/** The short forms CloudFormation accepts (`!Ref X`), parsed into their long forms (`{ Ref: X }`). */
const INTRINSICS = ['Ref', 'Sub', 'GetAtt', 'Join', 'Select', 'Split', 'If', 'Equals', 'Not', 'And', 'Or',
  'FindInMap', 'GetAZs', 'ImportValue', 'Base64', 'Condition', 'Cidr'] as const

function longName(name: string): string {
  return name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`
}

const customTags: (ScalarTag | CollectionTag)[] = INTRINSICS.flatMap((name) => {
  const tag = `!${name}`
  const key = longName(name)
  const scalar: ScalarTag = {
    tag,
    // `!GetAtt Resource.Attribute` is the one short form whose scalar means a list.
    resolve: (value: string) => ({ [key]: name === 'GetAtt' ? value.split(/\.(.*)/s, 2) : value }),
    identify: () => false,
  }
  const seq: CollectionTag = {
    tag,
    collection: 'seq',
    resolve: (value) => ({ [key]: value.toJSON() }),
    identify: () => false,
  }
  const map: CollectionTag = {
    tag,
    collection: 'map',
    resolve: (value) => ({ [key]: value.toJSON() }),
    identify: () => false,
  }
  return [scalar, seq, map]
})

/** A CloudFormation template as plain data, intrinsic functions in their long form. */
export interface CfnTemplate {
  Parameters?: Record<
    string,
    { Type: string; Default?: unknown; AllowedValues?: unknown[]; AllowedPattern?: string; MinValue?: number; MaxValue?: number }
  >
  Conditions?: Record<string, unknown>
  Resources: Record<
    string,
    { Type: string; Condition?: string; DeletionPolicy?: string; UpdateReplacePolicy?: string; Properties?: Record<string, unknown> }
  >
  Outputs?: Record<string, { Description?: string; Value: unknown }>
}

/** Parses CloudFormation YAML, short-form tags included. */
export function parseTemplate(text: string): CfnTemplate {
  const template = parse(text, { customTags }) as CfnTemplate | null
  if (!template || typeof template !== 'object' || !template.Resources) {
    throw new Error('The template has no Resources section')
  }
  return template
}

export function readTemplate(path: string): CfnTemplate {
  return parseTemplate(readFileSync(path, 'utf8'))
}
