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

/**
 * The HTTP client of amazon-cognito-identity-js (`es/Client.js`), which its index neither exports nor types: every call
 * of `CognitoUserPool` and `CognitoUser` goes through it, and `src/lib/aws/getUser.ts` sends GetUser with it. Only
 * what that file uses is declared.
 */
declare module 'amazon-cognito-identity-js/es/Client' {
  export default class Client {
    constructor(region: string, endpoint?: string)
    /** POSTs `params` as `AWSCognitoIdentityProviderService.{operation}`; rejects with the error's `code` and `name`. */
    promisifyRequest(operation: string, params: Record<string, unknown>): Promise<unknown>
  }
}
