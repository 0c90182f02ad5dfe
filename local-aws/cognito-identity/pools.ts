import { AwsError, invalidParameter } from '../errors.ts'
import type { IdentityPoolModel, ProvisionedModel } from '../template/provision.ts'

/** A required string field of the input, or InvalidParameterException naming it. */
export function requiredString(input: Record<string, unknown>, field: string): string {
  const value = input[field]
  if (typeof value !== 'string' || value === '') throw invalidParameter(`${field} is required`)
  return value
}

/** The provisioned identity pool with that id, or ResourceNotFoundException as AWS words it. */
export function findIdentityPool(model: ProvisionedModel, identityPoolId: string): IdentityPoolModel {
  const pool = model.identityPools.find((candidate) => candidate.id === identityPoolId)
  if (!pool) throw new AwsError('ResourceNotFoundException', `IdentityPool '${identityPoolId}' not found.`)
  return pool
}
