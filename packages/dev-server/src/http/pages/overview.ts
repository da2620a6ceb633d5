import type { MessageRow } from '../../store/messages.ts';
import type { Store } from '../../store/store.ts';
import { html, page, stateBadge, table, time, urlCell } from './layout.ts';
import { runBadge } from './run.ts';

function via(row: MessageRow): string {
  if (row.queue_name) return `queue ${row.queue_name}`;
  if (row.topic_name) return `group ${row.topic_name}`;
  if (row.schedule_id) return `schedule ${row.schedule_id}`;
  if (row.callback_of) return 'callback';
  return '';
}

function messageRow(row: MessageRow): string[] {
  return [
    `<a href="/messages/${encodeURIComponent(row.id)}">${html(row.id)}</a>`,
    stateBadge(row.state),
    `${html(row.method)} ${urlCell(row.url)}`,
    html(via(row)),
    html(`${row.retried}/${row.max_retries}`),
    html(row.last_status ?? row.last_error ?? ''),
    html(time(row.not_before)),
    html(time(row.updated_at)),
  ];
}

/**
 * The page at `/`: what the broker holds right now, reloading itself every two seconds. Each
 * message opens to its body, headers, attempts and callbacks.
 */
export function renderOverview(store: Store, origin: string): string {
  const counts = store.messages.counts();
  const summary = ['CREATED', 'ACTIVE', 'RETRY', 'DELIVERED', 'FAILED', 'CANCELED']
    .map((state) => `<span class="pill">${state.toLowerCase()} ${counts[state] ?? 0}</span>`)
    .join(' ');
  const sections = [
    '<h2>Messages <span class="empty">(newest 100)</span></h2>',
    table(
      ['id', 'state', 'request', 'via', 'retried', 'last response', 'not before', 'updated'],
      store.messages.recent(100).map(messageRow),
      'No messages yet.',
      ['id', 'nowrap', 'url', 'text', 'nowrap', 'text', 'nowrap', 'nowrap'],
    ),
    '<h2>Workflow runs <span class="empty">(newest 20)</span></h2>',
    table(
      ['run', 'state', 'workflow', 'steps', 'started', 'ended'],
      store.workflows
        .list({ filter: {}, count: 20 })
        .rows.map((run) => [
          `<a href="/runs/${encodeURIComponent(run.run_id)}">${html(run.run_id)}</a>`,
          runBadge(run.state),
          urlCell(run.url ?? ''),
          html(store.workflows.stepRows(run.run_id).length),
          html(time(run.created_at)),
          html(time(run.completed_at)),
        ]),
      'No workflow runs.',
      ['id', 'nowrap', 'url', 'nowrap', 'nowrap', 'nowrap'],
    ),
    '<h2>Schedules</h2>',
    table(
      ['id', 'cron', 'destination', 'paused', 'last run', 'next run'],
      store.schedules
        .list()
        .map((row) => [
          html(row.id),
          `<code>${html(row.cron)}</code>`,
          urlCell(row.destination),
          row.paused ? 'yes' : 'no',
          html(time(row.last_run)),
          html(time(row.next_run)),
        ]),
      'No schedules.',
      ['id', 'nowrap', 'url', 'nowrap', 'nowrap', 'nowrap'],
    ),
    '<h2>URL groups</h2>',
    table(
      ['name', 'endpoints'],
      store.urlGroups
        .list()
        .map((group) => [
          html(group.name),
          group.endpoints
            .map((e) => (e.name ? `${html(e.name)}: ${urlCell(e.url)}` : urlCell(e.url)))
            .join('<br>'),
        ]),
      'No URL groups.',
      ['id', 'url'],
    ),
    '<h2>Queues</h2>',
    table(
      ['name', 'parallelism', 'paused', 'waiting'],
      store.queues
        .list()
        .map((row) => [
          html(row.name),
          html(row.parallelism),
          row.paused ? 'yes' : 'no',
          html(store.queues.lag(row.name)),
        ]),
      'No queues.',
      ['id', 'nowrap', 'nowrap', 'nowrap'],
    ),
    '<h2>Dead letters <span class="empty">(newest 50)</span></h2>',
    table(
      ['dlq id', 'message', 'url', 'status'],
      store.deadLetters
        .list({ count: 50 })
        .messages.map((m) => [
          html(m.dlqId),
          `<a href="/messages/${encodeURIComponent(String(m.messageId))}">${html(m.messageId)}</a>`,
          urlCell(String(m.url)),
          html(m.responseStatus ?? ''),
        ]),
      'No dead letters.',
      ['id', 'id', 'url', 'nowrap'],
    ),
  ];
  return page({
    title: 'Overview',
    origin,
    refresh: true,
    body: `<h1>Overview</h1><p>${summary}</p>\n${sections.join('\n')}`,
  });
}
