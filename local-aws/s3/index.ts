import type { LocalAwsContext, S3Service } from '../context.ts'

// Placeholder until S3 lands.
export function createS3Service(_context: LocalAwsContext): S3Service {
  return {
    async handle(_request, response) {
      response.writeHead(501)
      response.end()
    },
  }
}
