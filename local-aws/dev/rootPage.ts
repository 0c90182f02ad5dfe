import type { LocalAwsConfig } from '../localConfig.ts'

/** The icon of local AWS's pages, inline, so a browser asks no `/favicon.ico` (which would reach S3 and 404). */
export const DEV_PAGE_ICON =
  '<link rel="icon" href="data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22 viewBox=%220 0 16 16%22%3E%3Ctext y=%2214%22 font-size=%2214%22%3E%F0%9F%A6%84%3C/text%3E%3C/svg%3E" />'

/** Text safe to put in the dev pages' HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`)
}

/**
 * What a browser gets at local AWS's root (the URL `npm run dev` prints): what is provisioned and where the mailbox
 * and the config are. AWS clients never GET `/` asking for HTML, so their protocols are untouched.
 */
export function renderRootPage(config: LocalAwsConfig): string {
  const rows = [
    ['Region', config.region],
    ['User pool', config.userPoolId],
    ['App client', config.userPoolClientId],
    ['Identity pool', config.identityPoolId],
    ['Photo bucket', config.bucket],
    ['Endpoint', config.endpoint],
  ]
    .map(([name, value]) => `<tr><th scope="row">${escapeHtml(name ?? '')}</th><td><code>${escapeHtml(value ?? '')}</code></td></tr>`)
    .join('')
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Local AWS</title>
    ${DEV_PAGE_ICON}
    <style>
      body { font: 16px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 40rem; padding: 0 1rem; color: #1f1633; }
      table { border-collapse: collapse; width: 100%; }
      th, td { text-align: left; padding: 0.25rem 0.5rem; border-bottom: 1px solid #d9d2e9; vertical-align: top; }
      code { overflow-wrap: anywhere; }
    </style>
  </head>
  <body>
    <h1>Local AWS</h1>
    <p>Cognito user pools, Cognito identity pools and S3 on one port, provisioned from <code>infra/template.yaml</code>.
      The app talks to it with the official clients; this page is for you.</p>
    <ul>
      <li><a href="/_local/">Mailbox</a>: the verification codes the user pool would have emailed.</li>
      <li><a href="/_local/config">Config</a> (JSON): the ids the app and scripts use.</li>
      <li><a href="/_local/outbox">Outbox</a> (JSON): every code sent, for scripts and tests.</li>
      <li><a href="/_local/env">Environment</a>: the app's <code>VITE_*</code> values, to build against this local AWS
        (<code>curl -s URL/_local/env &gt; .env.production.local</code>).</li>
    </ul>
    <h2>Provisioned</h2>
    <table>${rows}</table>
  </body>
</html>
`
}
