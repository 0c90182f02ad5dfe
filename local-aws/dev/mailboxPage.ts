import { DAILY_EMAIL_LIMIT_MESSAGE, DEFAULT_SENDER_DAILY_EMAILS, type SentMessage } from '../outbox.ts'
import { DEV_PAGE_ICON, escapeHtml } from './rootPage.ts'

/**
 * Past the default sender's daily quota, AWS would refuse further emails: say so where the developer reads their codes
 * (docs/aws-behaviour.md#cognitos-default-email-quota).
 */
function quotaWarning(emailsToday: number): string {
  if (emailsToday < DEFAULT_SENDER_DAILY_EMAILS) return ''
  return `
    <p class="warning" role="alert">${emailsToday} emails sent today (UTC) through Cognito's default sender, whose quota is
      ${DEFAULT_SENDER_DAILY_EMAILS} a day: on AWS the next ones would fail with LimitExceededException
      "${escapeHtml(DAILY_EMAIL_LIMIT_MESSAGE)}" Start local AWS with LOCAL_AWS_EMAIL_QUOTA=enforce to get that answer here.</p>`
}

/** The mailbox as a small page: newest first, the code large enough to read at a glance. */
export function renderMailbox(messages: readonly SentMessage[], emailsToday: number): string {
  const rows = [...messages].reverse().map((message) => `
      <li>
        <p class="meta"><time datetime="${escapeHtml(message.sentAt)}">${escapeHtml(message.sentAt)}</time> · ${escapeHtml(message.kind)} · ${escapeHtml(message.medium ?? 'EMAIL')}</p>
        <p><strong>To:</strong> ${escapeHtml(message.to)}</p>
        <p><strong>${escapeHtml(message.subject)}</strong></p>
        <p>${escapeHtml(message.body)}</p>
        <p class="code" aria-label="Code">${escapeHtml(message.code)}</p>
      </li>`)
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta http-equiv="refresh" content="5" />
    <title>Local AWS mailbox</title>
    ${DEV_PAGE_ICON}
    <style>
      body { font: 16px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 40rem; padding: 0 1rem; color: #1f1633; }
      ul { list-style: none; padding: 0; }
      li { border: 1px solid #d9d2e9; border-radius: 12px; padding: 1rem; margin-bottom: 1rem; }
      .meta { color: #5c5470; font-size: 0.875rem; margin: 0; }
      .code { font: 700 2rem/1 ui-monospace, monospace; letter-spacing: 0.2em; color: #5b2a86; }
      .warning { border: 2px solid #b3261e; border-radius: 12px; padding: 1rem; color: #b3261e; }
    </style>
  </head>
  <body>
    <h1>Local AWS mailbox</h1>
    <p>Messages the local user pool would have emailed or texted. This page refreshes every 5 seconds.</p>${quotaWarning(emailsToday)}
    ${rows.length ? `<ul>${rows.join('')}</ul>` : '<p>No messages yet. Sign up in the app to get a code.</p>'}
  </body>
</html>
`
}
