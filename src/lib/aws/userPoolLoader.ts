/**
 * The one loader of `userPool.ts` and amazon-cognito-identity-js (~27 KiB gzipped): the first action that needs the
 * library (sign-up, sign-in, a change to the account, sign-out) downloads it, never the landing page.
 */
export const loadUserPool = () => import('./userPool')
