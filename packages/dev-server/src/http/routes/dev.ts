import { notFound } from '../../errors.ts';
import { type Context, param, pathName, type Reply, type Route } from '../context.ts';

/** `POST /v2/dev/deliver-now[?messageId=…|queueName=…]`: delayed and retrying messages become due now. */
function deliverNow(context: Context): Reply {
  const messageId = param(context.query, 'messageId');
  const queueName = param(context.query, 'queueName');
  const messages = context.dispatcher.deliverNow({
    ...(messageId && { messageId }),
    ...(queueName && { queueName }),
  });
  return { status: 200, body: { messages } };
}

/** `POST /v2/dev/schedules/{id}/trigger`: the schedule fires now; its cron timetable is unchanged. */
async function trigger(context: Context, [raw]: string[]): Promise<Reply> {
  const id = pathName(raw, 'schedule id');
  const messageIds = await context.dispatcher.triggerSchedule(id);
  if (!messageIds) throw notFound(`schedule ${id} not found`);
  return { status: 200, body: { messageIds } };
}

/** Development controls, so tests and people never wait for a delay or a cron minute. */
export const devRoutes: Route[] = [
  { method: 'POST', pattern: /^\/v2\/dev\/deliver-now$/, handler: deliverNow },
  { method: 'POST', pattern: /^\/v2\/dev\/schedules\/([^/]+)\/trigger$/, handler: trigger },
];
