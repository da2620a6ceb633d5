import { readRedaction, shownBodyBytes, shownHeaders } from '../../publish/redact.ts';
import type { Store } from '../../store/store.ts';
import {
  html,
  page,
  shownBody,
  shownHeader,
  shownUrl,
  stateBadge,
  table,
  time,
  urlCell,
} from './layout.ts';

function headerList(pairs: [string, string][]): string {
  if (pairs.length === 0) return '<p class="empty">None.</p>';
  return `<dl>${pairs.map(([name, value]) => `<dt class="mono">${html(name)}</dt><dd class="mono">${html(shownHeader(name, value))}</dd>`).join('')}</dl>`;
}

function bodyBlock(body: Uint8Array | null | undefined): string {
  if (!body || body.byteLength === 0) return '<p class="empty">Empty.</p>';
  const { text, note } = shownBody(body);
  return `${note ? `<p class="empty">${html(note)}</p>` : ''}<pre>${html(text)}</pre>`;
}

/**
 * `/messages/{id}`: one message as a developer debugging its delivery wants it: the body and
 * headers the destination gets, every attempt (status, response, duration), the callbacks it
 * triggered, and its event log. Reloads itself until the message is finished.
 */
export function renderMessage(store: Store, origin: string, id: string): string | undefined {
  const row = store.messages.get(id);
  if (!row) return undefined;
  // What the destination gets, as every other view shows it: redacted fields stay redacted.
  const redaction = readRedaction(row.redact);
  const headers = Object.entries(
    shownHeaders(JSON.parse(row.headers) as Record<string, string>, redaction),
  );
  const attempts = store.attempts.of(id);
  const callbacks = store.messages.callbacksOf(id);
  const events = store.events.list({ messageId: [id] }, { count: 100 }).events;
  const facts: [string, string][] = [
    ['state', stateBadge(row.state)],
    ['request', html(`${row.method} ${shownUrl(row.url)}`)],
    ['created', html(time(row.created_at))],
    ['not before', html(time(row.not_before))],
    ['retries', html(`${row.retried} of ${row.max_retries}`)],
  ];
  if (row.queue_name) facts.push(['queue', html(row.queue_name)]);
  if (row.topic_name)
    facts.push([
      'URL group',
      html(`${row.topic_name}${row.endpoint_name ? ` (${row.endpoint_name})` : ''}`),
    ]);
  if (row.schedule_id) facts.push(['schedule', html(row.schedule_id)]);
  if (row.label) facts.push(['label', html(row.label)]);
  if (row.callback_of) {
    facts.push([
      'reports on',
      `<a href="/messages/${encodeURIComponent(row.callback_of)}">${html(row.callback_of)}</a>`,
    ]);
  }
  if (row.callback) facts.push(['callback', html(shownUrl(row.callback))]);
  if (row.failure_callback) facts.push(['failure callback', html(shownUrl(row.failure_callback))]);

  const attemptRows = attempts.map((attempt) => {
    const answer =
      attempt.status !== null
        ? `${attempt.status}${attempt.response_body && attempt.response_body.byteLength > 0 ? `<pre>${html(shownBody(attempt.response_body, 4096).text)}</pre>` : ''}`
        : html(attempt.error ?? '');
    return [
      html(attempt.attempt + 1),
      html(time(attempt.started_at)),
      html(`${attempt.duration_ms} ms`),
      answer,
    ];
  });
  const finished = ['DELIVERED', 'FAILED', 'CANCELED'].includes(row.state);
  const body = `<h1 class="mono">${html(row.id)}</h1>
<dl>${facts.map(([name, value]) => `<dt>${html(name)}</dt><dd>${value}</dd>`).join('')}</dl>
<h2>Attempts</h2>
${table(['#', 'started', 'took', 'answer'], attemptRows, finished ? 'None: it never reached its destination.' : 'None yet.', ['nowrap', 'nowrap', 'nowrap', 'text'])}
<h2>Callbacks it triggered</h2>
${table(
  ['message', 'state', 'to'],
  callbacks.map((callback) => [
    `<a href="/messages/${encodeURIComponent(callback.id)}">${html(callback.id)}</a>`,
    stateBadge(callback.state),
    urlCell(callback.url),
  ]),
  row.callback || row.failure_callback ? 'None yet.' : 'None: it has no callback.',
  ['id', 'nowrap', 'url'],
)}
<h2>Body</h2>
${bodyBlock(shownBodyBytes(row.body, redaction))}
<h2>Headers the destination gets</h2>
<p class="empty">Besides these: Upstash-Signature, Upstash-Message-Id, Upstash-Retried and the other Upstash-* headers of each attempt.</p>
${headerList(headers)}
<h2>Events</h2>
${table(
  ['time', 'state', 'detail'],
  events.map((event) => [
    html(time(event.time as number)),
    stateBadge(String(event.state)),
    html(event.responseStatus ?? event.error ?? ''),
  ]),
  'No events.',
  ['nowrap', 'nowrap', 'text'],
)}`;
  return page({ title: row.id, origin, refresh: !finished, body });
}
