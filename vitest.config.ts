import { configDefaults, defineConfig, mergeConfig } from 'vitest/config'
import viteConfig from './vite.config.ts'

/** Tests that take minutes: they run in the `slow` project only, which `npm test` runs and `npm run test:unit` skips. */
const SLOW_SPECS = '**/*.slow.spec.ts'
/** Every project but `slow` leaves slow tests out (the defaults keep node_modules out). */
const exclude = [...configDefaults.exclude, SLOW_SPECS]

export default mergeConfig(
  viteConfig,
  defineConfig({
    test: {
      // Node 20 is what our machines run; the SDK's notice that its releases after January 2027 need Node 22
      // (docs/aws-behaviour.md#exact-versions-on-node-20) only buries real failures when every test worker repeats it.
      env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      projects: [
        {
          extends: true,
          test: {
            name: 'unit-app',
            environment: 'jsdom',
            include: ['src/**/*.spec.ts'],
            setupFiles: ['tests/support/setup/jsdom.ts'],
            exclude,
          },
        },
        {
          extends: true,
          test: {
            name: 'unit-node',
            environment: 'node',
            include: ['local-aws/**/*.spec.ts', 'infra/**/*.spec.ts', 'scripts/**/*.spec.ts', 'docs/**/*.spec.ts'],
            exclude,
          },
        },
        {
          extends: true,
          test: {
            name: 'integration',
            environment: 'node',
            // tests/support's own tests start local AWS too.
            include: ['tests/integration/**/*.spec.ts', 'tests/support/**/*.spec.ts'],
            exclude,
            testTimeout: 60_000,
            hookTimeout: 60_000,
          },
        },
        {
          extends: true,
          test: {
            name: 'e2e',
            environment: 'node',
            include: ['tests/e2e/**/*.spec.ts'],
            exclude,
            globalSetup: ['tests/e2e/globalSetup.ts'],
            testTimeout: 120_000,
            hookTimeout: 180_000,
            fileParallelism: false,
          },
        },
        {
          extends: true,
          test: {
            name: 'slow',
            environment: 'node',
            include: [SLOW_SPECS],
            testTimeout: 600_000,
          },
        },
      ],
    },
  }),
)
