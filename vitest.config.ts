import { defineConfig, mergeConfig } from 'vitest/config'
import viteConfig from './vite.config.ts'

export default mergeConfig(
  viteConfig,
  defineConfig({
    test: {
      // Node 20 is what our machines run; the SDK's notice about releases after January 2027 (PITFALLS 15) is why we pin
      // exact versions, and repeating it in every test worker only buries real failures.
      env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      projects: [
        {
          extends: true,
          test: {
            name: 'unit-app',
            environment: 'jsdom',
            include: ['src/**/*.spec.ts'],
            setupFiles: ['tests/support/setup/jsdom.ts'],
          },
        },
        {
          extends: true,
          test: {
            name: 'unit-node',
            environment: 'node',
            include: ['local-aws/**/*.spec.ts', 'infra/**/*.spec.ts', 'scripts/**/*.spec.ts'],
          },
        },
        {
          extends: true,
          test: {
            name: 'integration',
            environment: 'node',
            include: ['tests/integration/**/*.spec.ts'],
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
            globalSetup: ['tests/e2e/globalSetup.ts'],
            testTimeout: 120_000,
            hookTimeout: 180_000,
            fileParallelism: false,
          },
        },
      ],
    },
  }),
)
