import pluginVue from 'eslint-plugin-vue'
import { defineConfigWithVueTs, vueTsConfigs } from '@vue/eslint-config-typescript'

// The import boundaries of docs/architecture.md#layers. Import paths are matched as written: relative or aliased.
const AWS_PACKAGES = {
  regex: '^(@aws-sdk/|@smithy/|amazon-cognito-identity-js($|/))',
  message: 'Only src/lib/aws talks to AWS: use its wrappers, so the rest of the app stays free of SDK types and quirks.',
}
const LOCAL_AWS = {
  regex: '(^|/)local-aws(/|$)',
  message: 'local-aws is a development server: only tests, the bench and the Vite plugin in vite.config.ts may use it.',
}
const APP_SOURCE = {
  regex: '(^@/|(^|/)src(/|$))',
  message: 'local-aws stands in for AWS and knows nothing of the app: share behaviour through the wire protocols, not imports.',
}

export default defineConfigWithVueTs(
  { name: 'app/files-to-lint', files: ['**/*.{ts,mts,vue}'] },
  { name: 'app/files-to-ignore', ignores: ['**/dist/**', '**/node_modules/**', '**/.local-aws/**', 'test-results/**'] },
  pluginVue.configs['flat/recommended'],
  vueTsConfigs.recommended,
  {
    name: 'app/rules',
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // One config per set of files: a later `no-restricted-imports` replaces an earlier one's patterns, never adds to them.
  {
    name: 'app/boundaries/src',
    files: ['src/**/*.{ts,vue}'],
    ignores: ['src/lib/aws/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [AWS_PACKAGES, LOCAL_AWS] }] },
  },
  {
    name: 'app/boundaries/src-lib-aws',
    files: ['src/lib/aws/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [LOCAL_AWS] }] },
  },
  {
    name: 'app/boundaries/local-aws',
    files: ['local-aws/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [APP_SOURCE] }] },
  },
  {
    name: 'app/boundaries/infra',
    files: ['infra/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [LOCAL_AWS] }] },
  },
)
