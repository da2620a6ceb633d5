// The Upstash Workflow API around runs: a run's history (the SDK's lazy fetch), its end
// (finished or cancelled by `serve`), cancelling runs from the Client (by ids, by filter, all)
// and the run logs (`client.logs`).
import { badRequest, notFound } from '../../errors.ts';
import { endRun } from '../../publish/run-end.ts';
import { runLog } from '../../store/run-log.ts';
import { RUN_STATES, type RunFilter, type RunState } from '../../store/workflows.ts';
import { type Context, intParam, pathId, type Reply, type Route } from '../context.ts';
import { countParam, hasFilter, listParam, numbersParam, readFilter } from '../filters.ts';

const runIdOf = ([raw]: string[]) => pathId(raw, 'workflow run id');

function history(context: Context, params: string[]): Reply {
  const runId = runIdOf(params);
  const steps = context.store.workflows.steps(runId);
  if (!steps) throw notFound(`workflow run ${runId} not found`);
  return { status: 200, body: steps };
}

/**
 * `DELETE /v2/workflows/runs/{id}?cancel=false` ends a finished run (its body is what the
 * workflow returned); `cancel=true` cancels it.
 */
async function end(context: Context, params: string[]): Promise<Reply> {
  const runId = runIdOf(params);
  const cancel = context.query.get('cancel') === 'true';
  const body = Buffer.from(await context.body()).toString('utf8');
  const { store } = context;
  const known = store.db.tx(() =>
    endRun(
      store,
      runId,
      cancel
        ? { state: 'RUN_CANCELED' }
        : { state: 'RUN_SUCCESS', response: body === '' ? undefined : body },
      Date.now(),
    ),
  );
  if (!known) throw notFound(`workflow run ${runId} not found`);
  context.dispatcher.wake();
  return { status: 200 };
}

/**
 * `DELETE /v2/workflows/runs` (the Client's `cancel`): by `workflowRunIds`, by filter
 * (`workflowUrl`, a prefix unless `workflowUrlExactMatch=true`, labels, dates, host, path, …),
 * or every running run when only `count` is given (`cancel({ all: true })`); at most `count`.
 */
function cancelMany(context: Context): Reply {
  const { query, store } = context;
  const filter = readFilter(query, {
    filters: ['label', 'flowControlKey', 'callerIp', 'host', 'path', 'fromDate', 'toDate'],
    others: ['workflowRunIds', 'workflowUrl', 'workflowUrlExactMatch', 'count', 'cursor'],
  });
  const runIds = listParam(query, 'workflowRunIds');
  const urls = listParam(query, 'workflowUrl');
  if (runIds && (urls || hasFilter(filter)))
    throw badRequest('"workflowRunIds" cannot be combined with filters: pass one or the other');
  // Every run only when asked as the Client asks for it (`all: true` sends just a count).
  if (!runIds && !urls && !hasFilter(filter) && !query.has('count'))
    throw badRequest('name the runs to cancel: workflowRunIds, filters, or count for all');
  const selection: RunFilter = {
    filter,
    runIds,
    urls,
    exactUrl: query.get('workflowUrlExactMatch') === 'true',
    states: ['RUN_STARTED'],
    count: runIds ? runIds.length : countParam(query, 100),
  };
  const now = Date.now();
  const cancelled = store.db.tx(() => {
    const { rows } = store.workflows.list(selection);
    for (const run of rows) endRun(store, run.run_id, { state: 'RUN_CANCELED' }, now);
    return rows.length;
  });
  context.dispatcher.wake();
  return { status: 200, body: { cancelled } };
}

/** `GET /v2/workflows/events` (`client.logs`): runs newest first, grouped by run. */
function logs(context: Context): Reply {
  const { query, store } = context;
  const filter = readFilter(query, {
    filters: ['label', 'flowControlKey', 'callerIp', 'host', 'path', 'fromDate', 'toDate', 'state'],
    others: [
      'workflowRunId',
      'workflowUrl',
      'workflowUrlExactMatch',
      'workflowCreatedAt',
      'messageId',
      'groupBy',
      'cursor',
      'count',
    ],
    states: RUN_STATES,
  });
  const groupBy = query.get('groupBy');
  if (groupBy !== null && groupBy !== 'workflowRunId')
    throw badRequest(`"groupBy" can only be workflowRunId, got ${JSON.stringify(groupBy)}`);
  const { state, ...shared } = filter;
  const { rows, cursor } = store.workflows.list({
    filter: shared,
    runIds: listParam(query, 'workflowRunId'),
    urls: listParam(query, 'workflowUrl'),
    // The logs match a workflow URL exactly (the Client's docs say so).
    exactUrl: query.get('workflowUrlExactMatch') !== 'false',
    createdAt: numbersParam(query, 'workflowCreatedAt'),
    messageIds: listParam(query, 'messageId'),
    states: state as RunState[] | undefined,
    cursor: intParam(query, 'cursor'),
    count: countParam(query, 10),
  });
  return {
    status: 200,
    body: {
      cursor: cursor ?? '',
      runs: rows.map((run) => runLog(store.db, store.workflows, run)),
    },
  };
}

export const workflowRoutes: Route[] = [
  { method: 'DELETE', pattern: /^\/v2\/workflows\/runs\/?$/, handler: cancelMany },
  { method: 'GET', pattern: /^\/v2\/workflows\/runs\/([^/]+)$/, handler: history },
  { method: 'DELETE', pattern: /^\/v2\/workflows\/runs\/([^/]+)$/, handler: end },
  { method: 'GET', pattern: /^\/v2\/workflows\/events\/?$/, handler: logs },
];
