// The part of the Upstash Workflow API that `serve` calls while running a run: its history
// (the lazy fetch, when a delivery's body was left empty) and its end (finished or cancelled).
// The rest of /v2/workflows answers 501 (unsupported.ts).
import { ApiError, badRequest, notFound } from '../../errors.ts';
import { type Context, pathId, type Reply, type Route } from '../context.ts';

const runIdOf = ([raw]: string[]) => pathId(raw, 'workflow run id');

function history(context: Context, params: string[]): Reply {
  const runId = runIdOf(params);
  const steps = context.store.workflows.steps(runId);
  if (!steps) throw notFound(`workflow run ${runId} not found`);
  return { status: 200, body: steps };
}

/** `DELETE /v2/workflows/runs/{id}?cancel=false` ends a finished run; `cancel=true` cancels it. */
function end(context: Context, params: string[]): Reply {
  const runId = runIdOf(params);
  const cancel = context.query.get('cancel') === 'true';
  const { store } = context;
  const ids = store.db.tx(() => {
    const messages = store.workflows.end(
      runId,
      cancel ? 'RUN_CANCELED' : 'RUN_SUCCESS',
      Date.now(),
    );
    if (messages && cancel) store.messages.cancel(messages);
    return messages;
  });
  if (!ids) throw notFound(`workflow run ${runId} not found`);
  return { status: 200 };
}

/**
 * `DELETE /v2/workflows/runs?workflowRunIds=…` (the Client's `cancel(ids)`): cancels each
 * running run and its waiting messages. Cancelling by filter (URL, all) is not built yet: 501,
 * never a cancel of everything.
 */
function cancelMany(context: Context): Reply {
  const { query, store } = context;
  const names = new Set(query.keys());
  if ([...names].some((name) => name !== 'workflowRunIds'))
    throw new ApiError(
      501,
      'cancelling workflow runs by filter is not supported by signet dev yet: cancel them by id',
    );
  const ids = query.getAll('workflowRunIds');
  if (ids.length === 0) throw badRequest('name the runs to cancel: workflowRunIds=…');
  let cancelled = 0;
  store.db.tx(() => {
    const now = Date.now();
    for (const runId of ids) {
      if (store.workflows.state(runId) !== 'RUN_STARTED') continue;
      const messages = store.workflows.end(runId, 'RUN_CANCELED', now) ?? [];
      store.messages.cancel(messages, now);
      cancelled++;
    }
  });
  return { status: 200, body: { cancelled } };
}

export const workflowRoutes: Route[] = [
  { method: 'DELETE', pattern: /^\/v2\/workflows\/runs\/?$/, handler: cancelMany },
  { method: 'GET', pattern: /^\/v2\/workflows\/runs\/([^/]+)$/, handler: history },
  { method: 'DELETE', pattern: /^\/v2\/workflows\/runs\/([^/]+)$/, handler: end },
];
