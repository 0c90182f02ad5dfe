/** Reading resolved resource properties with CloudFormation's loose typing (`'true'` is true). */
/** A resource's `Properties`, intrinsics resolved. */
export type Properties = Record<string, unknown>

export function toBoolean(value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback
  return value === true || value === 'true'
}

export function toList(value: unknown): string[] {
  if (value === undefined) return []
  return (Array.isArray(value) ? value : [value]).map(String)
}
