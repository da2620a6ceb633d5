import type { MessageRow } from '../store/messages.ts';
import type { Store } from '../store/store.ts';

const html = (value: unknown) =>
  String(value ?? '').replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** A stored time; anything that is not a date (old data) shows as nothing, never as an error. */
const time = (ms: number | null | undefined) => {
  const date = typeof ms === 'number' && ms > 0 ? new Date(ms) : undefined;
  return date && !Number.isNaN(date.getTime())
    ? date.toISOString().replace('T', ' ').slice(0, 19)
    : '';
};

/**
 * A destination as the page shows it: no query string and no credentials, which often carry
 * secrets (`?api_key=…`) that a page anyone on the machine can open must not show.
 */
export function shownUrl(url: string): string {
  if (!URL.canParse(url)) return url.replace(/[?#].*$/s, '');
  const parsed = new URL(url);
  const query = parsed.search ? '?…' : '';
  parsed.username = '';
  parsed.password = '';
  parsed.search = '';
  parsed.hash = '';
  return `${parsed.href}${query}`;
}

function table(title: string, headings: string[], rows: unknown[][], empty: string): string {
  const body = rows.length
    ? rows.map((row) => `<tr>${row.map((cell) => `<td>${html(cell)}</td>`).join('')}</tr>`).join('')
    : `<tr><td colspan="${headings.length}" class="empty">${html(empty)}</td></tr>`;
  return `<h2>${html(title)}</h2><table><thead><tr>${headings.map((h) => `<th>${html(h)}</th>`).join('')}</tr></thead><tbody>${body}</tbody></table>`;
}

function messageRow(row: MessageRow): unknown[] {
  const where = row.queue_name
    ? `queue ${row.queue_name}`
    : row.topic_name
      ? `group ${row.topic_name}`
      : row.callback_of
        ? 'callback'
        : '';
  return [
    row.id,
    row.state,
    `${row.method} ${shownUrl(row.url)}`,
    where,
    `${row.retried}/${row.max_retries}`,
    row.last_status ?? row.last_error ?? '',
    time(row.not_before),
    time(row.updated_at),
  ];
}

/**
 * The page at `/`: what the broker holds right now, reloading itself every two seconds. Plain
 * server-rendered HTML, read-only; the development controls are API calls (see the README).
 */
export function renderPage(store: Store, origin: string): string {
  const counts = store.messages.counts();
  const summary = ['CREATED', 'ACTIVE', 'RETRY', 'DELIVERED', 'FAILED', 'CANCELED']
    .map((state) => `<span class="pill">${state.toLowerCase()} ${counts[state] ?? 0}</span>`)
    .join(' ');
  const sections = [
    table(
      'Messages (newest 100)',
      ['id', 'state', 'request', 'via', 'retried', 'last response', 'not before', 'updated'],
      store.messages.recent(100).map(messageRow),
      'No messages yet.',
    ),
    table(
      'Schedules',
      ['id', 'cron', 'destination', 'paused', 'last run', 'next run'],
      store.schedules
        .list()
        .map((row) => [
          row.id,
          row.cron,
          shownUrl(row.destination),
          row.paused ? 'yes' : 'no',
          time(row.last_run),
          time(row.next_run),
        ]),
      'No schedules.',
    ),
    table(
      'URL groups',
      ['name', 'endpoints'],
      store.urlGroups
        .list()
        .map((group) => [
          group.name,
          group.endpoints
            .map((e) => (e.name ? `${e.name}: ${shownUrl(e.url)}` : shownUrl(e.url)))
            .join('  ·  '),
        ]),
      'No URL groups.',
    ),
    table(
      'Queues',
      ['name', 'parallelism', 'paused', 'waiting'],
      store.queues
        .list()
        .map((row) => [
          row.name,
          row.parallelism,
          row.paused ? 'yes' : 'no',
          store.queues.lag(row.name),
        ]),
      'No queues.',
    ),
    table(
      'Dead letters (newest 50)',
      ['dlq id', 'message', 'url', 'status'],
      store.deadLetters
        .list({ count: 50 })
        .messages.map((m) => [
          m.dlqId,
          m.messageId,
          shownUrl(String(m.url)),
          m.responseStatus ?? '',
        ]),
      'No dead letters.',
    ),
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="2">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>signet dev</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem;color:#1b1f24}
h1{font-size:1.3rem;margin:0 0 .25rem}h2{font-size:1rem;margin:1.5rem 0 .4rem}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.25rem .5rem;border-bottom:1px solid #e3e6ea;font-family:ui-monospace,monospace;font-size:12px;word-break:break-all}
th{font-family:system-ui,sans-serif;color:#57606a}.empty{color:#8c959f}.pill{background:#eef1f4;border-radius:1rem;padding:.1rem .6rem;margin-right:.25rem}
code{background:#eef1f4;padding:.1rem .3rem;border-radius:.2rem}
</style></head><body>
<h1>signet dev</h1>
<p>QStash-compatible broker at <code>${html(origin)}</code> · ${summary}</p>
${sections.join('\n')}
</body></html>`;
}
