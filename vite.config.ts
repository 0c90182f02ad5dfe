import { fileURLToPath, URL } from 'node:url'
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import { localAwsPlugin } from './local-aws/vitePlugin.ts'

export default defineConfig({
  plugins: [vue(), localAwsPlugin()],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  // amazon-cognito-identity-js pulls buffer@4, which reads `global` at load (docs/aws-behaviour.md#the-cognito-library-needs-global).
  define: { global: 'globalThis' },
})
