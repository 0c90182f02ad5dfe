import { expect } from 'vitest'
import { AwsError } from '../../local-aws/errors.ts'

/** For unit tests: the AwsError a promise is refused with, as the server would answer it (code, status, message). */
export async function refusal(promise: Promise<unknown>): Promise<Pick<AwsError, 'code' | 'status' | 'message'>> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(AwsError)
  const { code, status, message } = error as AwsError
  return { code, status, message }
}
