import { notFound } from '../../errors.ts';
import { PENDING, toMessageJson } from '../../store/messages.ts';
import { type Context, pathName, type Reply, type Route } from '../context.ts';
import { countParam, idsParam, MESSAGE_FILTERS, readFilter } from '../filters.ts';

function get(context: Context, [raw]: string[]): Reply {
  const id = pathName(raw, 'message id');
  const row = context.store.messages.get(id);
  // Like hosted QStash, only messages still to be delivered can be fetched.
  if (!row || !PENDING.includes(row.state))
    throw notFound(`message ${id} not found (delivered, failed and cancelled messages are gone)`);
  return { status: 200, body: toMessageJson(row) };
}

function cancelOne(context: Context, [raw]: string[]): Reply {
  const id = pathName(raw, 'message id');
  const row = context.store.messages.get(id);
  if (!row || !PENDING.includes(row.state))
    throw notFound(`message ${id} not found or already finished`);
  return { status: 202, body: { cancelled: context.store.messages.cancel([id]) } };
}

/**
 * By ids (`messageIds=`), else every pending message matching the filters (all of them when
 * none: the SDK's `all: true`). `count` is read but, as the SDK documents for hosted QStash,
 * does not cap a cancel: one call cancels every match.
 */
function cancelMany(context: Context): Reply {
  const { query, store } = context;
  const filter = readFilter(query, {
    filters: [...MESSAGE_FILTERS, 'host', 'path'],
    others: ['messageIds', 'count'],
  });
  countParam(query, 100);
  const ids = idsParam(query, 'messageIds', filter);
  const targets = ids.length > 0 ? ids : store.messages.pendingIds(filter);
  return { status: 200, body: { cancelled: store.messages.cancel(targets) } };
}

export const messageRoutes: Route[] = [
  { method: 'GET', pattern: /^\/v2\/messages\/([^/]+)$/, handler: get },
  { method: 'DELETE', pattern: /^\/v2\/messages\/([^/]+)$/, handler: cancelOne },
  { method: 'DELETE', pattern: /^\/v2\/messages\/?$/, handler: cancelMany },
];
