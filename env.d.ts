/// <reference types="vite/client" />

/** The app's variables, declared once beside the code that checks them (src/lib/aws/config.ts). */
type AwsEnvironment = import('./src/lib/aws/config').AwsEnvironment

interface ImportMetaEnv extends AwsEnvironment {}

interface ImportMeta {
  readonly env: ImportMetaEnv
}
