/// <reference types="vite/client" />

interface ImportMetaEnv {
  readonly VITE_AWS_REGION: string
  readonly VITE_USER_POOL_ID: string
  readonly VITE_USER_POOL_CLIENT_ID: string
  readonly VITE_IDENTITY_POOL_ID: string
  readonly VITE_PHOTO_BUCKET: string
  /** Set only for local AWS: the single endpoint that serves Cognito and S3. */
  readonly VITE_AWS_ENDPOINT?: string
  /** JSON of the user pool's password policy, injected from infra/template.yaml or the stack. */
  readonly VITE_PASSWORD_POLICY?: string
}

interface ImportMeta {
  readonly env: ImportMetaEnv
}
