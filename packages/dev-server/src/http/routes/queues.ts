import { badRequest, notFound } from '../../errors.ts';
import { LIMITS, wholeNumber } from '../../publish/limits.ts';
import { type Context, checkName, pathName, type Reply, type Route } from '../context.ts';

async function upsert(context: Context): Promise<Reply> {
  const body = (await context.json()) as {
    queueName?: unknown;
    parallelism?: unknown;
    paused?: unknown;
  } | null;
  if (typeof body !== 'object' || body === null)
    throw badRequest('expected {"queueName": …, "parallelism": …, "paused": …}');
  const name = checkName(body.queueName, 'queue name');
  const { parallelism, paused } = body;
  if (parallelism !== undefined) wholeNumber(parallelism, '"parallelism"', LIMITS.parallelism);
  if (paused !== undefined && typeof paused !== 'boolean')
    throw badRequest(`"paused" must be true or false`);
  context.store.queues.upsert(name, {
    ...(parallelism !== undefined && { parallelism: parallelism as number }),
    ...(paused !== undefined && { paused }),
  });
  context.dispatcher.wake();
  return { status: 200 };
}

function find(context: Context, raw: string | undefined) {
  const name = pathName(raw, 'queue name');
  const row = context.store.queues.get(name);
  if (!row) throw notFound(`queue "${name}" not found`);
  return row;
}

function setPaused(paused: boolean) {
  return (context: Context, [raw]: string[]): Reply => {
    const row = find(context, raw);
    context.store.queues.setPaused(row.name, paused);
    context.dispatcher.wake();
    return { status: 200 };
  };
}

/** Deleting a queue cancels the messages still waiting in it. */
function remove(context: Context, [raw]: string[]): Reply {
  const { store } = context;
  const row = find(context, raw);
  store.messages.cancel(store.messages.pendingIds({ queueName: [row.name] }));
  store.queues.delete(row.name);
  return { status: 200 };
}

export const queueRoutes: Route[] = [
  { method: 'POST', pattern: /^\/v2\/queues\/?$/, handler: upsert },
  {
    method: 'GET',
    pattern: /^\/v2\/queues\/?$/,
    handler: (context) => ({
      status: 200,
      body: context.store.queues.list().map((row) => context.store.queues.toJson(row)),
    }),
  },
  {
    method: 'GET',
    pattern: /^\/v2\/queues\/([^/]+)$/,
    handler: (context, [raw]) => ({
      status: 200,
      body: context.store.queues.toJson(find(context, raw)),
    }),
  },
  { method: 'DELETE', pattern: /^\/v2\/queues\/([^/]+)$/, handler: remove },
  { method: 'POST', pattern: /^\/v2\/queues\/([^/]+)\/pause$/, handler: setPaused(true) },
  { method: 'POST', pattern: /^\/v2\/queues\/([^/]+)\/resume$/, handler: setPaused(false) },
];
