// `context.waitForEvent` (`POST /v2/wait/{eventId}`), `notify` (`POST /v2/notify/{eventId}`,
// or `/v2/notify/{runId}/{eventId}` for one run) and `getWaiters` (`GET /v2/waiters/{eventId}`).
import { badRequest } from '../../errors.ts';
import { parseDuration } from '../../publish/duration.ts';
import { LIMITS } from '../../publish/limits.ts';
import { eventStep, sendEvent } from '../../publish/run-events.ts';
import { publishRunStep } from '../../publish/run-step.ts';
import { waiterJson } from '../../store/waiters.ts';
import { type Context, pathId, type Reply, type Route, requestHeaders } from '../context.ts';

const idOf = pathId;

interface WaitBody {
  url?: unknown;
  timeout?: unknown;
  timeoutUrl?: unknown;
  timeoutHeaders?: Record<string, string[]>;
  step?: Record<string, unknown>;
}

function timeoutMs(value: unknown): number {
  const ms =
    typeof value === 'number'
      ? value * 1000
      : parseDuration(typeof value === 'string' ? value : '');
  if (ms === undefined || !Number.isFinite(ms) || ms < 0 || ms > LIMITS.delayMs.max)
    throw badRequest(
      `the wait's timeout must be a duration up to a year, got ${JSON.stringify(value)}`,
    );
  return ms;
}

async function wait(context: Context, [raw]: string[]): Promise<Reply> {
  const eventId = idOf(raw, 'event id');
  const body = (await context.json()) as WaitBody;
  // The run's settings, not the caller's credentials: only Upstash-* and the content type.
  const headers = requestHeaders(context).filter(
    ([name]) => name.toLowerCase().startsWith('upstash-') || name.toLowerCase() === 'content-type',
  );
  const runId = headers.find(([name]) => name.toLowerCase() === 'upstash-workflow-runid')?.[1];
  if (!runId) throw badRequest('a wait needs the Upstash-Workflow-RunId of its run');
  if (typeof body.url !== 'string' || !body.step || typeof body.step !== 'object')
    throw badRequest('a wait needs url and step');
  const url = body.url;
  const step = body.step;
  const ms = timeoutMs(body.timeout);
  const timeoutUrl = typeof body.timeoutUrl === 'string' ? body.timeoutUrl : url;
  const now = Date.now();
  const { store } = context;
  store.db.tx(() => {
    // The event came before the wait (`notify` naming this run): the wait ends at once.
    const early = store.workflows.takeEvent(runId, eventId);
    if (early) {
      publishRunStep(
        store,
        { url, headers, step: eventStep(step, eventId, early), callerIp: context.callerIp },
        now,
      );
      return;
    }
    // The timeout is a step of its own, due at the deadline, unless the event comes first.
    const timeoutMessageId = publishRunStep(
      store,
      {
        url: timeoutUrl,
        headers,
        step: { ...step, waitEventId: eventId, waitTimeout: true },
        callerIp: context.callerIp,
        delayMs: ms,
      },
      now,
    );
    store.waiters.add(
      {
        eventId,
        runId,
        url,
        deadline: now + ms,
        step,
        headers,
        timeoutUrl,
        timeoutHeaders: body.timeoutHeaders,
        timeoutMessageId,
      },
      now,
    );
  });
  context.dispatcher.wake();
  return { status: 200, body: {} };
}

async function notify(context: Context, params: string[]): Promise<Reply> {
  const [first, second] = params;
  const runId = second === undefined ? undefined : idOf(first, 'workflow run id');
  const eventId = idOf(second ?? first, 'event id');
  const eventData = await context.body();
  const responses = sendEvent(context.store, eventId, eventData, Date.now(), runId);
  context.dispatcher.wake();
  return { status: 200, body: responses };
}

function waiters(context: Context, [raw]: string[]): Reply {
  const eventId = idOf(raw, 'event id');
  return {
    status: 200,
    body: context.store.waiters.waiting(eventId, Date.now()).map(waiterJson),
  };
}

export const waitNotifyRoutes: Route[] = [
  { method: 'POST', pattern: /^\/v2\/wait\/([^/]+)$/, handler: wait },
  { method: 'POST', pattern: /^\/v2\/notify\/([^/]+)$/, handler: notify },
  { method: 'POST', pattern: /^\/v2\/notify\/([^/]+)\/([^/]+)$/, handler: notify },
  { method: 'GET', pattern: /^\/v2\/waiters\/([^/]+)$/, handler: waiters },
];
