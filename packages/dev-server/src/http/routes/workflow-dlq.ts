// The workflow DLQ (`client.dlq`): the dead letters of failed runs, listed with their run's
// fields (`GET /v2/dlq?source=workflow`), resumed (a new run with the failed run's history,
// sending the failed step again), restarted (a new run from the trigger's payload), their
// failure function retried, or deleted. A bulk action takes `dlqIds`, filters, or (the
// Client's `all: true`) just a count.

import { callbackFor } from '../../delivery/callbacks.ts';
import { badRequest, notFound } from '../../errors.ts';
import { createMessage, republish } from '../../publish/fan-out.ts';
import { parseFlowControl } from '../../publish/flow-control.ts';
import { LIMITS, wholeNumber } from '../../publish/limits.ts';
import type { DlqFilter } from '../../store/dlq.ts';
import { newId } from '../../store/ids.ts';
import type { MessageSpec } from '../../store/messages.ts';
import type { Store } from '../../store/store.ts';
import { type Context, intParam, pathName, type Reply, type Route } from '../context.ts';
import { countParam, hasFilter, listParam, numbersParam, readFilter } from '../filters.ts';

/** The workflow DLQ's query: ids, or the shared and workflow filters, a page at a time. */
export function workflowDlqFilter(query: URLSearchParams, bulk: boolean): DlqFilter {
  const filter = readFilter(query, {
    filters: ['label', 'flowControlKey', 'callerIp', 'fromDate', 'toDate', 'responseStatus'],
    others: [
      'source',
      'dlqIds',
      'cursor',
      'count',
      'url',
      'workflowUrl',
      'workflowRunId',
      'workflowCreatedAt',
      'failureFunctionState',
    ],
  });
  const workflow = {
    // `url` is the Client's deprecated spelling of `workflowUrl`.
    urls: listParam(query, 'workflowUrl') ?? listParam(query, 'url'),
    runIds: listParam(query, 'workflowRunId'),
    createdAt: numbersParam(query, 'workflowCreatedAt'),
    failureFunctionState: listParam(query, 'failureFunctionState'),
  };
  const filtered = hasFilter(filter) || Object.values(workflow).some(Boolean);
  const dlqIds = listParam(query, 'dlqIds');
  if (dlqIds && filtered)
    throw badRequest('"dlqIds" cannot be combined with filters: pass one or the other');
  if (dlqIds) return { dlqIds, workflow: {}, count: 1000 };
  // A bulk action on everything only when asked as the Client asks for it (`all` sends a count).
  if (bulk && !filtered && !query.has('count'))
    throw badRequest('name the dead letters: dlqIds, filters, or count for all');
  return { filter, workflow, cursor: intParam(query, 'cursor'), count: countParam(query, 100) };
}

/** `Upstash-Retries` and `Upstash-Flow-Control-*` on a resume or restart override the run's. */
function overrides(context: Context): (spec: MessageSpec) => MessageSpec {
  const header = (name: string) => {
    const value = context.request.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const retries = header('upstash-retries');
  const maxRetries =
    retries === undefined ? undefined : wholeNumber(retries, 'Upstash-Retries', LIMITS.retries);
  const flowControl = parseFlowControl(
    header('upstash-flow-control-key'),
    header('upstash-flow-control-value'),
  );
  return (spec) => ({
    ...spec,
    ...(maxRetries !== undefined && { maxRetries }),
    ...(flowControl && { flowControl }),
  });
}

type Start = (
  store: Store,
  dlqId: string,
  adjust: (spec: MessageSpec) => MessageSpec,
  now: number,
) => { workflowRunId: string; workflowCreatedAt: number } | undefined;

/** A new run from where the failed one stopped: its history, then the failed step again. */
const resumeOne: Start = (store, dlqId, adjust, now) => {
  const entry = store.deadLetters.entry(dlqId);
  const run = entry?.runId ? store.workflows.get(entry.runId) : undefined;
  if (!entry || !run) return undefined;
  const runId = newId.workflowRun();
  const init = store.workflows.stepRows(run.run_id)[0]?.message_id === entry.original.id;
  if (!init) store.workflows.copyHistory(run, runId, entry.original.id, now);
  createMessage(
    store,
    adjust({
      ...republish(entry.original, now),
      workflow: { runId, url: run.url ?? undefined, init, callType: 'step' },
    }),
    now,
  );
  return { workflowRunId: runId, workflowCreatedAt: now };
};

/** A new run from the trigger's payload, with the failed run's settings. */
const restartOne: Start = (store, dlqId, adjust, now) => {
  const entry = store.deadLetters.entry(dlqId);
  const owner = entry && store.workflows.runOf(entry.original.id);
  if (!entry || !owner) return undefined;
  const runId = newId.workflowRun();
  createMessage(
    store,
    adjust({
      ...republish(entry.original, now),
      body: owner.initialBody,
      workflow: { runId, url: owner.run.url ?? undefined, init: true },
    }),
    now,
  );
  return { workflowRunId: runId, workflowCreatedAt: now };
};

function startRuns(start: Start) {
  return (context: Context): Reply => {
    const { store } = context;
    const { ids, cursor } = store.deadLetters.ids(workflowDlqFilter(context.query, true));
    const adjust = overrides(context);
    const now = Date.now();
    const workflowRuns = store.db.tx(() =>
      ids.flatMap((dlqId) => {
        const started = start(store, dlqId, adjust, now);
        if (!started) return [];
        store.deadLetters.delete([dlqId]);
        return [started];
      }),
    );
    context.dispatcher.wake();
    return { status: 200, body: { workflowRuns, ...(cursor && { cursor }) } };
  };
}

/** Sends the failure function's callback again for a dead letter of a failed run. */
function retryCallback(context: Context, [raw]: string[]): Reply {
  const dlqId = pathName(raw, 'dlq id');
  const { store } = context;
  const entry = store.deadLetters.entry(dlqId);
  const run = entry?.runId ? store.workflows.get(entry.runId) : undefined;
  if (!entry || !run) throw notFound(`workflow dead letter ${dlqId} not found`);
  const { response } = entry;
  const now = Date.now();
  const spec = callbackFor(
    store,
    entry.original,
    'failureCallback',
    {
      kind: 'response',
      status: response.status ?? 0,
      headers: response.headers ?? {},
      body: response.body ?? new Uint8Array(),
    },
    now,
    dlqId,
  );
  if (!spec) throw badRequest(`the run of ${dlqId} has no failure function or failureUrl`);
  const messageId = store.db.tx(() => {
    const id = createMessage(store, spec, now);
    store.workflows.setFailureMessage(run.run_id, id);
    return id;
  });
  context.dispatcher.wake();
  return {
    status: 200,
    body: { workflowRunId: run.run_id, workflowCreatedAt: run.created_at, messageId },
  };
}

function deleteMany(context: Context): Reply {
  const { ids, cursor } = context.store.deadLetters.ids(workflowDlqFilter(context.query, true));
  return {
    status: 200,
    body: { deleted: context.store.deadLetters.delete(ids), ...(cursor && { cursor }) },
  };
}

export const workflowDlqRoutes: Route[] = [
  { method: 'POST', pattern: /^\/v2\/workflows\/dlq\/resume$/, handler: startRuns(resumeOne) },
  { method: 'POST', pattern: /^\/v2\/workflows\/dlq\/restart$/, handler: startRuns(restartOne) },
  { method: 'POST', pattern: /^\/v2\/workflows\/dlq\/callback\/([^/]+)$/, handler: retryCallback },
  { method: 'DELETE', pattern: /^\/v2\/workflows\/dlq\/?$/, handler: deleteMany },
];
