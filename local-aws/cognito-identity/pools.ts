import { AwsError } from '../errors.ts'
import type { IdentityPoolModel, ProvisionedModel } from '../template/model.ts'

/** The provisioned identity pool with that id, or ResourceNotFoundException as AWS words it. */
export function findIdentityPool(model: ProvisionedModel, identityPoolId: string): IdentityPoolModel {
  const pool = model.identityPools.find((candidate) => candidate.id === identityPoolId)
  if (!pool) throw new AwsError('ResourceNotFoundException', `IdentityPool '${identityPoolId}' not found.`)
  return pool
}
