// How a run ends, wherever that is decided (the SDK finishing or cancelling it, a cancel from the
// Client, a step that exhausted its retries): the run's state, its pending deliveries cancelled
// (unless it succeeded: then the only one left is the delivery that is finishing it), and, for
// a run started by `context.invoke`, the invoker's next step carrying the result.
import type { Store } from '../store/store.ts';
import type { Invoker, RunState } from '../store/workflows.ts';
import { headerPairs, publishRunStep } from './run-step.ts';

export interface RunEnd {
  state: Exclude<RunState, 'RUN_STARTED'>;
  /** What the workflow returned (the finishing `DELETE`'s body). */
  response?: string | undefined;
  dlqId?: string | undefined;
}

/** Ends a run (inside the caller's transaction); false when it is unknown. */
export function endRun(store: Store, runId: string, end: RunEnd, now: number): boolean {
  const messages = store.workflows.end(runId, end.state, now, end);
  if (messages === undefined) return false;
  if (messages.length === 0) return true; // it had ended already
  if (end.state !== 'RUN_SUCCESS') store.messages.cancel(messages, now);
  const invoker = store.workflows.get(runId)?.invoker;
  if (invoker) tellInvoker(store, JSON.parse(invoker) as Invoker, end, now);
  return true;
}

function tellInvoker(store: Store, invoker: Invoker, end: RunEnd, now: number): void {
  if (store.workflows.state(invoker.runId) !== 'RUN_STARTED') return;
  const result = {
    body: end.state === 'RUN_SUCCESS' ? end.response : undefined,
    isFailed: end.state === 'RUN_FAILED',
    isCanceled: end.state === 'RUN_CANCELED',
  };
  publishRunStep(
    store,
    {
      url: invoker.url,
      headers: headerPairs(invoker.headers),
      step: { ...invoker.step, out: JSON.stringify(result) },
    },
    now,
  );
}
