/** Any local port may call the bucket (the dev server's, `npm run preview`'s, the local site's): S3 allows one wildcard per origin. */
const LOCAL_APP_ORIGINS = 'http://localhost:*,http://127.0.0.1:*'

/**
 * The template parameters local AWS starts with: the local app origins, then `LOCAL_AWS_PARAMETERS`
 * (`Name=value` pairs separated by spaces, e.g. `EnableSms=true`), as `aws cloudformation deploy
 * --parameter-overrides` takes them.
 */
export function localParameters(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const parameters: Record<string, string> = { AppOrigins: LOCAL_APP_ORIGINS }
  for (const pair of (env.LOCAL_AWS_PARAMETERS ?? '').split(/\s+/).filter(Boolean)) {
    const separator = pair.indexOf('=')
    if (separator <= 0) throw new Error(`LOCAL_AWS_PARAMETERS: "${pair}" is not Name=value`)
    parameters[pair.slice(0, separator)] = pair.slice(separator + 1)
  }
  return parameters
}
