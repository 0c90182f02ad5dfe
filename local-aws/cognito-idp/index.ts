import type { JsonService, LocalAwsContext } from '../context.ts'

// Placeholder until the user pool operations land.
export async function createUserPoolService(_context: LocalAwsContext): Promise<JsonService> {
  return { targetPrefix: 'AWSCognitoIdentityProviderService', operations: {} }
}
