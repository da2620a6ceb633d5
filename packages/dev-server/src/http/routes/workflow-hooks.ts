// Webhooks of workflow runs (`context.createWebhook` / `waitForWebhook`): the URL the SDK hands
// out, `{broker}/v2/workflows/hooks/{userId}/{runId}/{eventId}`, takes any method without a
// token (a third party calls it) and sends the request, as the SDK decodes it, to the run as
// the event `eventId`. A call before the run waits for it is kept until it does.
import { sendEvent } from '../../publish/run-events.ts';
import { type Context, pathId, type Reply, type Route } from '../context.ts';

async function hook(context: Context, [, rawRunId, rawEventId]: string[]): Promise<Reply> {
  const runId = pathId(rawRunId, 'workflow run id');
  const eventId = pathId(rawEventId, 'event id');
  const { request } = context;
  const body = await context.body();
  const header: Record<string, string[]> = {};
  for (let index = 0; index < request.rawHeaders.length; index += 2) {
    const name = request.rawHeaders[index] as string;
    if (name.toLowerCase() === 'authorization') continue;
    header[name] ??= [];
    header[name].push(request.rawHeaders[index + 1] as string);
  }
  const data = {
    proto: 'http',
    host: request.headers.host ?? '',
    url: `${context.path}${context.search}`,
    method: request.method ?? 'POST',
    header,
    body: Buffer.from(body).toString('base64'),
  };
  const { store } = context;
  if (store.workflows.state(runId) !== 'RUN_STARTED')
    return { status: 404, body: { error: `workflow run ${runId} is not running` } };
  const sent = sendEvent(store, eventId, Buffer.from(JSON.stringify(data)), Date.now(), runId);
  context.dispatcher.wake();
  return { status: 200, body: { notified: sent.length } };
}

const HOOK = /^\/v2\/workflows\/hooks\/([^/]+)\/([^/]+)\/([^/]+)$/;

export const workflowHookRoutes: Route[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map(
  (method) => ({ method, pattern: HOOK, handler: hook, public: true }),
);
