import type { SentMessage } from '../outbox.ts'

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`)
}

/** The mailbox as a small page: newest first, the code large enough to read at a glance. */
export function renderMailbox(messages: readonly SentMessage[]): string {
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
    <style>
      body { font: 16px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 40rem; padding: 0 1rem; color: #1f1633; }
      ul { list-style: none; padding: 0; }
      li { border: 1px solid #d9d2e9; border-radius: 12px; padding: 1rem; margin-bottom: 1rem; }
      .meta { color: #5c5470; font-size: 0.875rem; margin: 0; }
      .code { font: 700 2rem/1 ui-monospace, monospace; letter-spacing: 0.2em; color: #5b2a86; }
    </style>
  </head>
  <body>
    <h1>Local AWS mailbox</h1>
    <p>Messages the local user pool would have emailed or texted. This page refreshes every 5 seconds.</p>
    ${rows.length ? `<ul>${rows.join('')}</ul>` : '<p>No messages yet. Sign up in the app to get a code.</p>'}
  </body>
</html>
`
}
