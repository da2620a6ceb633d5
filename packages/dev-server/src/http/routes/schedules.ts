import { notFound } from '../../errors.ts';
import { prepareSchedule } from '../../publish/fan-out.ts';
import {
  type Context,
  destinationOf,
  pathName,
  type Reply,
  type Route,
  requestHeaders,
} from '../context.ts';

/** `POST /v2/schedules/{destination}`; with an existing `Upstash-Schedule-Id` it updates that schedule. */
async function create(context: Context, [raw]: string[]): Promise<Reply> {
  const paused = /^([^/]+)\/(pause|resume)$/.exec(raw as string);
  if (paused && !/^https?:/i.test(raw as string))
    return setPaused(paused[2] === 'pause')(context, [paused[1] as string]);
  const spec = prepareSchedule(
    context.store,
    {
      destination: destinationOf(context, raw as string),
      headers: requestHeaders(context),
      body: await context.body(),
      callerIp: context.callerIp,
    },
    Date.now(),
  );
  const scheduleId = context.store.schedules.upsert(spec);
  context.dispatcher.wake();
  return { status: 201, body: { scheduleId } };
}

function find(context: Context, raw: string | undefined) {
  const id = pathName(raw, 'schedule id');
  const row = context.store.schedules.get(id);
  if (!row) throw notFound(`schedule ${id} not found`);
  return row;
}

function setPaused(paused: boolean) {
  return (context: Context, [raw]: string[]): Reply => {
    const row = find(context, raw);
    context.store.schedules.setPaused(row.id, paused);
    context.dispatcher.wake();
    return { status: 200 };
  };
}

function remove(context: Context, [raw]: string[]): Reply {
  context.store.schedules.delete(find(context, raw).id);
  return { status: 200 };
}

export const scheduleRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/v2\/schedules\/?$/,
    handler: (context) => ({
      status: 200,
      body: context.store.schedules.list().map((row) => context.store.schedules.toJson(row)),
    }),
  },
  {
    method: 'GET',
    pattern: /^\/v2\/schedules\/([^/]+)$/,
    handler: (context, [raw]) => ({
      status: 200,
      body: context.store.schedules.toJson(find(context, raw)),
    }),
  },
  { method: 'DELETE', pattern: /^\/v2\/schedules\/([^/]+)$/, handler: remove },
  { method: 'PATCH', pattern: /^\/v2\/schedules\/([^/]+)\/pause$/, handler: setPaused(true) },
  { method: 'PATCH', pattern: /^\/v2\/schedules\/([^/]+)\/resume$/, handler: setPaused(false) },
  // POST /v2/schedules/{id}/pause is the older spelling; create tells it apart from a destination.
  { method: 'POST', pattern: /^\/v2\/schedules\/(.+)$/s, handler: create },
];
