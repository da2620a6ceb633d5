// A workflow run as the workflow SDK's `WorkflowRunLog` has it (`client.logs`, the broker page):
// the trigger and every recorded step result in order (parallel results grouped), what is still
// on its way ("next": the pending deliveries of the run), and how the run ended.
import type { Db } from './db.ts';
import { labelFields } from './labels.ts';
import type { RunRow, StepRow, Workflows } from './workflows.ts';

type Json = Record<string, unknown>;

export interface StepGroup {
  type: 'sequential' | 'parallel' | 'next';
  steps: Json[];
}

/** A step's `out` as the SDK stored it (a JSON string), parsed where it is JSON. */
function parsed(out: unknown): unknown {
  if (typeof out !== 'string') return out;
  try {
    return JSON.parse(out);
  } catch {
    return out;
  }
}

function stepLog(row: StepRow): Json | undefined {
  const text = Buffer.from(row.body).toString('utf8');
  if (row.call_type === 'init') {
    return {
      stepId: 0,
      stepName: 'init',
      stepType: 'Initial',
      callType: 'step',
      messageId: row.message_id,
      out: parsed(text),
      concurrent: 1,
      state: 'STEP_SUCCESS',
      createdAt: row.created_at,
    };
  }
  let step: Json;
  try {
    step = JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
  // A parallel plan (step id 0, a target step) is how the SDK fans out, not a result.
  if (typeof step.stepId !== 'number' || step.stepId === 0) return undefined;
  const log: Json = {
    stepId: step.stepId,
    stepName: step.stepName,
    stepType: step.stepType,
    callType: row.call_type,
    messageId: row.message_id,
    out: parsed(step.out),
    concurrent: typeof step.concurrent === 'number' ? step.concurrent : 1,
    state: 'STEP_SUCCESS',
    createdAt: row.created_at,
  };
  if (typeof step.sleepFor === 'number' || typeof step.sleepFor === 'string')
    log.sleepFor = step.sleepFor;
  if (typeof step.sleepUntil === 'number') log.sleepUntil = step.sleepUntil;
  if (typeof step.waitEventId === 'string') {
    // The SDK stores an event's data base64-encoded; the log shows it as it was sent.
    if (typeof step.out === 'string')
      log.out = parsed(Buffer.from(step.out, 'base64').toString('utf8'));
    log.waitEventId = step.waitEventId;
    log.waitTimeout = step.waitTimeout === true;
    if (step.timeout !== undefined) log.waitTimeoutDuration = String(step.timeout);
  }
  return log;
}

/** Results in order; a parallel group holds as many results as it has branches. */
function groups(rows: StepRow[]): StepGroup[] {
  const result: StepGroup[] = [];
  let open: StepGroup | undefined;
  for (const row of rows) {
    const log = stepLog(row);
    if (!log) continue;
    const concurrent = log.concurrent as number;
    if (concurrent <= 1) {
      open = undefined;
      result.push({ type: 'sequential', steps: [log] });
      continue;
    }
    if (!open || open.steps.length >= concurrent) {
      open = { type: 'parallel', steps: [] };
      result.push(open);
    }
    open.steps.push(log);
  }
  return result;
}

interface PendingRow {
  id: string;
  state: string;
  retried: number;
  retry_delay: string | null;
  last_status: number | null;
  last_error: string | null;
  not_before: number;
}

/** The deliveries of the run still on their way: what it does next. */
function next(db: Db, runId: string): StepGroup | undefined {
  const rows = db
    .prepare(
      `SELECT m.id, m.state, m.retried, m.retry_delay, m.last_status, m.last_error, m.not_before
       FROM workflow_steps s JOIN messages m ON m.id = s.message_id
       WHERE s.run_id = ? AND m.state IN ('CREATED', 'ACTIVE', 'RETRY') ORDER BY s.id`,
    )
    .all(runId) as unknown as PendingRow[];
  if (rows.length === 0) return undefined;
  return {
    type: 'next',
    steps: rows.map((row) => ({
      messageId: row.id,
      state: row.state === 'RETRY' ? 'STEP_RETRY' : 'STEP_PROGRESS',
      retries: row.retried,
      ...(row.retry_delay && { retryDelay: row.retry_delay }),
      nextDeliveryTime: row.not_before,
      ...(row.last_error || row.last_status
        ? {
            errors: [
              {
                error: row.last_error ?? `HTTP ${row.last_status}`,
                status: row.last_status ?? 0,
                body: '',
                headers: {},
                time: row.not_before,
              },
            ],
          }
        : {}),
    })),
  };
}

const CALLBACK_STATES: Record<string, string> = {
  DELIVERED: 'CALLBACK_SUCCESS',
  FAILED: 'CALLBACK_FAIL',
  CANCELED: 'CALLBACK_CANCELED',
};

function failureFunction(db: Db, run: RunRow): Json | undefined {
  if (!run.failure_message_id) return undefined;
  const message = db
    .prepare('SELECT url, state FROM messages WHERE id = ?')
    .get(run.failure_message_id) as { url: string; state: string } | undefined;
  const dead = run.dlq_id
    ? (db
        .prepare('SELECT response_status, response_header, response_body FROM dlq WHERE dlq_id = ?')
        .get(run.dlq_id) as
        | {
            response_status: number | null;
            response_header: string | null;
            response_body: Uint8Array | null;
          }
        | undefined)
    : undefined;
  return {
    messageId: run.failure_message_id,
    url: message?.url ?? '',
    state: (message && CALLBACK_STATES[message.state]) ?? 'CALLBACK_INPROGRESS',
    failStatus: dead?.response_status ?? 0,
    failHeaders: dead?.response_header ? JSON.parse(dead.response_header) : {},
    failResponse: dead?.response_body ? Buffer.from(dead.response_body).toString('utf8') : '',
    dlqId: run.dlq_id ?? '',
  };
}

export function runLog(db: Db, workflows: Workflows, run: RunRow): Json {
  const steps: StepGroup[] = groups(workflows.stepRows(run.run_id));
  const pending = run.state === 'RUN_STARTED' ? next(db, run.run_id) : undefined;
  if (pending) steps.push(pending);
  const log: Json = {
    workflowRunId: run.run_id,
    workflowUrl: run.url ?? '',
    workflowState: run.state,
    workflowRunCreatedAt: run.created_at,
    steps,
    ...labelFields(run.label),
  };
  if (run.completed_at !== null) log.workflowRunCompletedAt = run.completed_at;
  if (run.response !== null) log.workflowRunResponse = run.response;
  if (run.dlq_id !== null) log.dlqId = run.dlq_id;
  const failure = failureFunction(db, run);
  if (failure) log.failureFunction = failure;
  if (run.invoker) {
    const invoker = JSON.parse(run.invoker) as { runId: string; url: string; createdAt: number };
    log.invoker = {
      workflowRunId: invoker.runId,
      workflowUrl: invoker.url,
      workflowRunCreatedAt: invoker.createdAt,
    };
  }
  return log;
}
