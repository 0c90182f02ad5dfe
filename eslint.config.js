import pluginVue from 'eslint-plugin-vue'
import { defineConfigWithVueTs, vueTsConfigs } from '@vue/eslint-config-typescript'

// The import boundaries of docs/contributing.md#style. Import paths are matched as written: relative or aliased.
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
const VUE_AND_APP_LAYERS = {
  regex: '^(vue|pinia|vue-router)$|^@/(stores|composables|components|views|router)(/|$)',
  message: 'src/lib is plain TypeScript and knows nothing of Vue: stores and composables call it and hold the reactive state.',
}
const ROUTER = {
  regex: '^(vue-router|@/router(/.*)?)$',
  message: 'Stores never touch the router: views (and App.vue) navigate.',
}
const SESSION_STORE = {
  regex: '^(@/stores/|\\./|\\.\\./stores/)session$',
  message: 'The landing page loads without the session store: use loadSessionStore() (src/stores/sessionLoader.ts) or import().',
}

/**
 * The files the entry chunk holds besides src/lib's (which VUE_AND_APP_LAYERS keeps from the stores) and
 * src/stores/sessionLoader.ts (below): tests/e2e/bundleBudgets.spec.ts checks the list against the build.
 */
const ENTRY_FILES = [
  'src/main.ts',
  'src/App.vue',
  'src/router/*.ts',
  'src/components/AppHeader.vue',
  'src/components/AlertMessage.vue',
  'src/views/HomeView.vue',
]

/**
 * One `no-restricted-imports` per set of files, listing all of its patterns: for a file in two sets, the later config's
 * options replace the earlier one's, they do not add up.
 */
function boundary(name, files, patterns, ignores = []) {
  return { name: `app/boundaries/${name}`, files, ignores, rules: { 'no-restricted-imports': ['error', { patterns }] } }
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
  boundary('src', ['src/**/*.{ts,vue}'], [AWS_PACKAGES, LOCAL_AWS], ['src/lib/**', 'src/stores/**']),
  boundary('src-stores', ['src/stores/**/*.ts'], [AWS_PACKAGES, LOCAL_AWS, ROUTER]),
  boundary('src-lib', ['src/lib/**/*.ts'], [AWS_PACKAGES, LOCAL_AWS, VUE_AND_APP_LAYERS], ['src/lib/aws/**']),
  boundary('src-lib-aws', ['src/lib/aws/**/*.ts'], [LOCAL_AWS, VUE_AND_APP_LAYERS]),
  boundary('entry', ENTRY_FILES, [AWS_PACKAGES, LOCAL_AWS, SESSION_STORE], ['**/*.spec.ts']),
  boundary('entry-stores', ['src/stores/sessionLoader.ts'], [AWS_PACKAGES, LOCAL_AWS, ROUTER, SESSION_STORE]),
  boundary('local-aws', ['local-aws/**/*.ts'], [APP_SOURCE]),
  boundary('infra', ['infra/**/*.ts'], [LOCAL_AWS]),
)
