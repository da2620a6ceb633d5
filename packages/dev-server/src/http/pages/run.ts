// `/runs/{id}`: one Upstash Workflow run as a developer following it wants it: its state and
// timings, every step with its result and when it ran, what it waits for (an event, a sleep),
// what is on its way next, and how it failed. Reloads itself until the run has ended.
import { runLog, type StepGroup } from '../../store/run-log.ts';
import type { Store } from '../../store/store.ts';
import type { RunState } from '../../store/workflows.ts';
import { html, page, table, time, urlCell } from './layout.ts';

const BADGES: Record<RunState, [cls: string, text: string]> = {
  RUN_STARTED: ['active', 'running'],
  RUN_SUCCESS: ['delivered', 'success'],
  RUN_FAILED: ['failed', 'failed'],
  RUN_CANCELED: ['canceled', 'canceled'],
};

export function runBadge(state: RunState): string {
  const [cls, text] = BADGES[state] ?? ['created', state];
  return `<span class="state ${cls}">${html(text)}</span>`;
}

/** A step's result, short enough for a table cell. */
function result(out: unknown): string {
  if (out === undefined) return '<span class="empty">—</span>';
  const text = typeof out === 'string' ? out : JSON.stringify(out);
  const shown = text.length > 400 ? `${text.slice(0, 400)}…` : text;
  return `<code>${html(shown)}</code>`;
}

const messageLink = (id: unknown) =>
  `<a href="/messages/${encodeURIComponent(String(id))}">${html(id)}</a>`;

function stepRows(groups: StepGroup[], createdAt: number): string[][] {
  let previous = createdAt;
  return groups
    .filter((group) => group.type !== 'next')
    .flatMap((group) =>
      group.steps.map((step) => {
        const at = step.createdAt as number;
        const took = Math.max(0, at - previous);
        previous = at;
        const kind = `${String(step.stepType)}${group.type === 'parallel' ? ' (parallel)' : ''}`;
        return [
          html(step.stepId),
          html(step.stepName),
          html(kind),
          step.waitTimeout === true
            ? '<span class="state retry">timed out</span>'
            : step.sleepFor !== undefined
              ? html(`sleeps ${step.sleepFor}${typeof step.sleepFor === 'number' ? ' s' : ''}`)
              : typeof step.sleepUntil === 'number'
                ? html(`slept until ${time(step.sleepUntil * 1000)}`)
                : result(step.out),
          html(time(at)),
          html(`+${took} ms`),
          messageLink(step.messageId),
        ];
      }),
    );
}

export function renderRun(store: Store, origin: string, id: string): string | undefined {
  const run = store.workflows.get(id);
  if (!run) return undefined;
  const log = runLog(store.db, store.workflows, run);
  const groups = log.steps as StepGroup[];
  const facts: [string, string][] = [
    ['state', runBadge(run.state)],
    ['workflow', urlCell(run.url ?? '')],
    ['started', html(time(run.created_at))],
  ];
  if (run.completed_at !== null)
    facts.push([
      'ended',
      html(`${time(run.completed_at)} (after ${run.completed_at - run.created_at} ms)`),
    ]);
  if (log.labels) facts.push(['labels', html((log.labels as string[]).join(', '))]);
  const invoker = log.invoker as { workflowRunId: string } | undefined;
  if (invoker)
    facts.push([
      'invoked by',
      `<a href="/runs/${encodeURIComponent(invoker.workflowRunId)}">${html(invoker.workflowRunId)}</a>`,
    ]);
  if (run.response !== null) facts.push(['returned', result(run.response)]);

  const waits = store.waiters
    .ofRun(run.run_id)
    .map((waiter) => [html(waiter.event_id), html(time(waiter.deadline))]);
  const next = groups.find((group) => group.type === 'next')?.steps ?? [];
  const nextRows = next.map((step) => [
    messageLink(step.messageId),
    `<span class="state ${step.state === 'STEP_RETRY' ? 'retry' : 'created'}">${step.state === 'STEP_RETRY' ? 'retrying' : 'waiting'}</span>`,
    html(time(step.nextDeliveryTime as number)),
    html(step.retries),
  ]);
  const failure = log.failureFunction as Record<string, unknown> | undefined;
  const failed =
    run.state === 'RUN_FAILED'
      ? `<h2>Failure</h2><dl>
<dt>dead letter</dt><dd class="mono">${html(run.dlq_id ?? '')}</dd>
${failure ? `<dt>status</dt><dd>${html(failure.failStatus)}</dd><dt>response</dt><dd><pre>${html(String(failure.failResponse).slice(0, 4096))}</pre></dd><dt>failure function</dt><dd>${messageLink(failure.messageId)} <span class="empty">${html(failure.state)}</span></dd>` : '<dt>failure function</dt><dd>none</dd>'}
</dl>`
      : '';
  const body = `<h1 class="mono">${html(run.run_id)}</h1>
<dl>${facts.map(([name, value]) => `<dt>${html(name)}</dt><dd>${value}</dd>`).join('')}</dl>
${failed}
<h2>Steps</h2>
${table(['#', 'step', 'type', 'result', 'at', 'after', 'message'], stepRows(groups, run.created_at), 'None yet.', ['nowrap', 'text', 'nowrap', 'text', 'nowrap', 'nowrap', 'id'])}
<h2>Waiting for</h2>
${table(['event', 'times out'], waits, 'No event.', ['id', 'nowrap'])}
<h2>Next</h2>
${table(['message', 'state', 'due', 'retried'], nextRows, run.state === 'RUN_STARTED' ? 'Nothing on its way.' : 'Nothing: the run has ended.', ['id', 'nowrap', 'nowrap', 'nowrap'])}`;
  return page({ title: run.run_id, origin, refresh: run.state === 'RUN_STARTED', body });
}
