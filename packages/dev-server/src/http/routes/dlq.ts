import { notFound } from '../../errors.ts';
import { createMessage, republish } from '../../publish/fan-out.ts';
import type { DlqFilter } from '../../store/dlq.ts';
import { type Context, intParam, pathName, type Reply, type Route } from '../context.ts';
import { countParam, idsParam, MESSAGE_FILTERS, readFilter } from '../filters.ts';
import { workflowDlqFilter } from './workflow-dlq.ts';

/**
 * `dlqIds=` picks dead letters by id; otherwise the filters (none: all, which the SDK sends as
 * `all: true`), `count` (default 100) at a time from `cursor`. Host and path are not DLQ filters
 * (hosted QStash refuses them too).
 */
function filterOf(query: URLSearchParams): DlqFilter {
  const filter = readFilter(query, {
    filters: [...MESSAGE_FILTERS, 'messageId', 'responseStatus'],
    others: ['dlqIds', 'cursor', 'count'],
  });
  const dlqIds = idsParam(query, 'dlqIds', filter);
  if (dlqIds.length > 0) return { dlqIds, count: 1000 };
  return { filter, cursor: intParam(query, 'cursor'), count: countParam(query, 100) };
}

function get(context: Context, [raw]: string[]): Reply {
  const id = pathName(raw, 'dlq id');
  const message = context.store.deadLetters.get(id);
  if (!message) throw notFound(`dead letter ${id} not found`);
  return { status: 200, body: message };
}

function deleteOne(context: Context, [raw]: string[]): Reply {
  const id = pathName(raw, 'dlq id');
  if (context.store.deadLetters.delete([id]) === 0) throw notFound(`dead letter ${id} not found`);
  return { status: 200 };
}

function deleteMany(context: Context): Reply {
  const { ids, cursor } = context.store.deadLetters.ids(filterOf(context.query));
  return {
    status: 200,
    body: { deleted: context.store.deadLetters.delete(ids), ...(cursor && { cursor }) },
  };
}

/** Sends dead letters again as new messages (fresh retries) and removes them from the dead letters. */
function retry(context: Context): Reply {
  const { store } = context;
  const { ids, cursor } = store.deadLetters.ids(filterOf(context.query));
  const now = Date.now();
  const responses = store.db.tx(() =>
    ids.flatMap((dlqId) => {
      const original = store.deadLetters.original(dlqId);
      if (!original) return [];
      const messageId = createMessage(store, republish(original, now), now);
      store.deadLetters.delete([dlqId]);
      return [{ messageId }];
    }),
  );
  context.dispatcher.wake();
  return { status: 200, body: { responses, ...(cursor && { cursor }) } };
}

export const dlqRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/v2\/dlq\/?$/,
    handler: (context) => ({
      status: 200,
      body: context.store.deadLetters.list(
        context.query.get('source') === 'workflow'
          ? workflowDlqFilter(context.query, false)
          : filterOf(context.query),
      ),
    }),
  },
  { method: 'POST', pattern: /^\/v2\/dlq\/retry$/, handler: retry },
  { method: 'DELETE', pattern: /^\/v2\/dlq\/?$/, handler: deleteMany },
  { method: 'GET', pattern: /^\/v2\/dlq\/([^/]+)$/, handler: get },
  { method: 'DELETE', pattern: /^\/v2\/dlq\/([^/]+)$/, handler: deleteOne },
];
