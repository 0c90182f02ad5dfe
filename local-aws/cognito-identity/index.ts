import type { JsonService, LocalAwsContext } from '../context.ts'

// Placeholder until the identity pool operations land.
export function createIdentityPoolService(_context: LocalAwsContext): JsonService {
  return { targetPrefix: 'AWSCognitoIdentityService', operations: {} }
}
