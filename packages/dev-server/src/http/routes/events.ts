import { type Context, intParam, param, type Reply, type Route } from '../context.ts';

/** `GET /v2/events`: the log of every state change, newest first; `cursor` continues a page. */
function list(context: Context): Reply {
  const { query } = context;
  const messageIds = query.getAll('messageIds');
  return {
    status: 200,
    body: context.store.events.list({
      ...(messageIds.length > 0 && { messageIds }),
      state: param(query, 'state'),
      url: param(query, 'url'),
      topicName: param(query, 'topicName'),
      scheduleId: param(query, 'scheduleId'),
      queueName: param(query, 'queueName'),
      label: param(query, 'label'),
      fromDate: intParam(query, 'fromDate'),
      toDate: intParam(query, 'toDate'),
      cursor: intParam(query, 'cursor'),
      count: intParam(query, 'count'),
    }),
  };
}

export const eventRoutes: Route[] = [
  { method: 'GET', pattern: /^\/v2\/events\/?$/, handler: list },
];
