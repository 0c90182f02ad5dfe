/**
 * An error as AWS names it. The JSON protocols answer `{"__type": code, "message": ...}`; S3 answers
 * `<Error><Code>code</Code><Message>...</Message></Error>`. Handlers throw these; the server shapes them.
 */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    /** Extra XML elements S3 puts in its error body (e.g. `Key`, `StringToSign`). */
    readonly details: Record<string, string> = {},
  ) {
    super(message)
    this.name = code
  }
}

/** Shorthand for the error every JSON protocol uses for a malformed or incomplete request. */
export function invalidParameter(message: string): AwsError {
  return new AwsError('InvalidParameterException', message)
}

/** Shorthand for the error user pools and identity pools answer a refused sign-in, token or login with. */
export function notAuthorized(message: string): AwsError {
  return new AwsError('NotAuthorizedException', message)
}
