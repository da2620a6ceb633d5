import { type Context, intParam, type Reply, type Route } from '../context.ts';
import { countParam, idsParam, MESSAGE_FILTERS, readFilter } from '../filters.ts';

/** `GET /v2/events` (the Client's `logs`): every state change, newest first; `cursor` pages. */
function list(context: Context): Reply {
  const { query } = context;
  const filter = readFilter(query, {
    filters: [...MESSAGE_FILTERS, 'messageId', 'host', 'path', 'state'],
    others: ['messageIds', 'cursor', 'count'],
  });
  const messageIds = idsParam(query, 'messageIds', filter);
  return {
    status: 200,
    body: context.store.events.list(messageIds.length > 0 ? { messageId: messageIds } : filter, {
      cursor: intParam(query, 'cursor'),
      count: countParam(query, 100),
    }),
  };
}

export const eventRoutes: Route[] = [
  { method: 'GET', pattern: /^\/v2\/events\/?$/, handler: list },
];
