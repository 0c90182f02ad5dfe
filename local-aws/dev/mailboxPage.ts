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

/** Cognito keeps only the latest code of a kind for an address: an earlier one is refused once a newer one is sent. */
function isReplaced(message: SentMessage, newerMessages: readonly SentMessage[]): boolean {
  return newerMessages.some((newer) => newer.to === message.to && newer.kind === message.kind)
}

/**
 * The mailbox as a small page: newest first, the code large enough to read at a glance, and a code a newer one
 * replaced marked so, for the developer who reads the first code they see.
 */
export function renderMailbox(messages: readonly SentMessage[], emailsToday: number): string {
  const newestFirst = [...messages].reverse()
  const rows = newestFirst.map((message, index) => {
    const replaced = isReplaced(message, newestFirst.slice(0, index))
    return `
      <li${replaced ? ' class="replaced"' : ''}>
        <p class="meta"><time datetime="${escapeHtml(message.sentAt)}">${escapeHtml(message.sentAt)}</time> · ${escapeHtml(message.kind)} · ${escapeHtml(message.medium ?? 'EMAIL')}</p>
        <p><strong>To:</strong> ${escapeHtml(message.to)}</p>
        <p><strong>${escapeHtml(message.subject)}</strong></p>
        <p>${escapeHtml(message.body)}</p>
        <p class="code" aria-label="${replaced ? 'Replaced code' : 'Code'}">${escapeHtml(message.code)}</p>${
          replaced ? '\n        <p class="replaced-note">Replaced by a newer code: this one no longer works.</p>' : ''
        }
      </li>`
  })
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
      .replaced { opacity: 0.6; }
      .replaced .code { text-decoration: line-through; color: #5c5470; }
      .replaced-note { font-weight: 600; margin: 0.5rem 0 0; }
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
