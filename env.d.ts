/// <reference types="vite/client" />

/** The app's variables, declared once beside the code that checks them (src/lib/aws/config.ts). */
type AwsEnvironment = import('./src/lib/aws/config').AwsEnvironment

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging: Vite's ImportMetaEnv gains config.ts's variables
interface ImportMetaEnv extends AwsEnvironment {}

interface ImportMeta {
  readonly env: ImportMetaEnv
}
