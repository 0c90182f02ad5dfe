import { fileURLToPath } from 'node:url'
import { readTemplate } from './cfnYaml.ts'

/**
 * Each stack output's Description names the `VITE_*` variable it feeds, so local AWS and `npm run aws:env` map outputs
 * to the app's environment the same way, from the template alone.
 */
function viteVariableOf(description: string | undefined): string | undefined {
  return /\bVITE_[A-Z0-9_]+\b/.exec(description ?? '')?.[0]
}

/** The app's environment from stack outputs: `{ VITE_USER_POOL_ID: 'us-east-1_…', … }`. */
export function viteEnvFromOutputs(outputs: { description?: string; value: string }[]): Record<string, string> {
  const env: Record<string, string> = {}
  for (const { description, value } of outputs) {
    const variable = viteVariableOf(description)
    if (variable) env[variable] = value
  }
  return env
}

/** The `VITE_*` variables the template's outputs feed: everything a build for a deployed stack needs. */
export function templateViteVariables(templatePath = fileURLToPath(new URL('./template.yaml', import.meta.url))): string[] {
  const outputs = Object.values(readTemplate(templatePath).Outputs ?? {})
  return outputs.flatMap(({ Description }) => viteVariableOf(Description) ?? [])
}
