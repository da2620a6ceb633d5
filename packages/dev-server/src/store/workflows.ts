// Upstash Workflow runs as durable records. Each message the SDK publishes for a run (its trigger,
// then one per step) is recorded in order, and a delivery of one of them carries the run's history
// up to it as the body the SDK reads (`[{messageId, body: base64, callType}]`: the trigger's
// payload first, then the steps), with `Upstash-Workflow-RunId`. A run ends as RUN_SUCCESS
// (`DELETE …?cancel=false`, with the route's return value), RUN_CANCELED or RUN_FAILED (a step
// exhausted its retries and went to the dead letters); a step published to an ended run is
// refused with 400, which the SDK takes as "cancelled".
import type { FlowControl } from '../publish/flow-control.ts';
import type { CallbackOptions } from '../publish/publish-headers.ts';
import type { Db } from './db.ts';
import { applyFilter, type RecordFilter } from './filter.ts';
import { newId } from './ids.ts';
import { Where } from './where.ts';

export interface WorkflowStepSpec {
  runId: string;
  url?: string | undefined;
  init: boolean;
  callType?: string | undefined;
  /** `Upstash-Workflow-Invoke`: a trigger sent by `context.invoke` (its body names the invoker). */
  invoke?: boolean | undefined;
  /** Which run settings the publish set itself; a step takes the others from its trigger. */
  given?: Partial<Record<keyof RunDefaults, boolean>> | undefined;
}

/**
 * The trigger's settings, which hold for every step of the run that does not set its own
 * (`serve` does not know what `client.trigger` was given).
 */
export interface RunDefaults {
  retries: number;
  retryDelay?: string | undefined;
  failureCallback?: string | undefined;
  failureCallbackOptions?: CallbackOptions | undefined;
  label?: string | undefined;
  flowControl?: FlowControl | undefined;
}

export type RunState = 'RUN_STARTED' | 'RUN_SUCCESS' | 'RUN_FAILED' | 'RUN_CANCELED';
export const RUN_STATES: readonly RunState[] = [
  'RUN_STARTED',
  'RUN_SUCCESS',
  'RUN_FAILED',
  'RUN_CANCELED',
];

/** The run that called `context.invoke`, told the invoked run's result when it ends. */
export interface Invoker {
  runId: string;
  url: string;
  createdAt: number;
  /** The publish headers of the invoker's next step (`Upstash-Workflow-*`, forwards). */
  headers: Record<string, string[]>;
  /** The invoke step, sent back with `out` set to the result. */
  step: Record<string, unknown>;
}

/** What a run keeps from its trigger, for logs, filters and the dead letters. */
export interface RunSettings {
  label?: string | undefined;
  flowControlKey?: string | undefined;
  callerIp?: string | undefined;
  invoker?: Invoker | undefined;
  defaults?: RunDefaults | undefined;
}

export interface RunRow {
  run_id: string;
  url: string | null;
  state: RunState;
  created_at: number;
  updated_at: number;
  label: string | null;
  flow_control_key: string | null;
  caller_ip: string | null;
  completed_at: number | null;
  response: string | null;
  dlq_id: string | null;
  failure_message_id: string | null;
  invoker: string | null;
  defaults: string | null;
}

export interface StepRow {
  id: number;
  run_id: string;
  message_id: string;
  call_type: string;
  body: Uint8Array;
  created_at: number;
}

/** Runs by filter: the shared filters plus the workflow's own. */
export interface RunFilter {
  filter: RecordFilter;
  runIds?: string[] | undefined;
  /** `workflowUrl`: a prefix unless `exactUrl`. */
  urls?: string[] | undefined;
  exactUrl?: boolean | undefined;
  createdAt?: number[] | undefined;
  messageIds?: string[] | undefined;
  states?: RunState[] | undefined;
  cursor?: number | undefined;
  count: number;
}

const RUN_COLUMNS = {
  label: 'label',
  flowControlKey: 'flow_control_key',
  callerIp: 'caller_ip',
  url: 'url',
  fromDate: 'created_at',
  toDate: 'created_at',
} as const;

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

export class Workflows {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  get(runId: string): RunRow | undefined {
    return this.#db.prepare('SELECT * FROM workflow_runs WHERE run_id = ?').get(runId) as
      | RunRow
      | undefined;
  }

  state(runId: string): RunState | undefined {
    return this.get(runId)?.state;
  }

  /** Records a message of a run (inside the publish's transaction). */
  record(
    step: WorkflowStepSpec,
    messageId: string,
    body: Uint8Array,
    now: number,
    settings: RunSettings = {},
  ): void {
    if (step.init) {
      this.#db
        .prepare(
          `INSERT INTO workflow_runs (run_id, url, state, created_at, updated_at, label, flow_control_key, caller_ip, invoker, defaults)
           VALUES (?, ?, 'RUN_STARTED', ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id) DO NOTHING`,
        )
        .run(
          step.runId,
          step.url ?? null,
          now,
          now,
          settings.label ?? null,
          settings.flowControlKey ?? null,
          settings.callerIp ?? null,
          settings.invoker ? JSON.stringify(settings.invoker) : null,
          settings.defaults ? JSON.stringify(settings.defaults) : null,
        );
    }
    this.#db
      .prepare(
        'INSERT INTO workflow_steps (run_id, message_id, call_type, body, created_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(step.runId, messageId, step.init ? 'init' : (step.callType ?? 'step'), body, now);
  }

  #history(rows: StepRow[]): Record<string, string>[] {
    return rows.map((row) => ({
      messageId: row.message_id,
      body: base64(row.body),
      callType: row.call_type === 'init' ? 'step' : row.call_type,
    }));
  }

  /** What a delivery of `messageId` carries, or undefined for a message of no run. */
  delivery(
    messageId: string,
  ): { runId: string; url: string | null; createdAt: number; body: Uint8Array } | undefined {
    const own = this.#db
      .prepare('SELECT * FROM workflow_steps WHERE message_id = ?')
      .get(messageId) as StepRow | undefined;
    if (!own) return undefined;
    const rows = this.#db
      .prepare('SELECT * FROM workflow_steps WHERE run_id = ? AND id <= ? ORDER BY id')
      .all(own.run_id, own.id) as unknown as StepRow[];
    const run = this.get(own.run_id);
    return {
      runId: own.run_id,
      url: run?.url ?? null,
      createdAt: run?.created_at ?? own.created_at,
      body: Buffer.from(JSON.stringify(this.#history(rows))),
    };
  }

  /** The run a message belongs to, and the trigger's payload. */
  runOf(messageId: string): { run: RunRow; initialBody: Uint8Array } | undefined {
    const own = this.#db
      .prepare('SELECT run_id FROM workflow_steps WHERE message_id = ?')
      .get(messageId) as { run_id: string } | undefined;
    const run = own && this.get(own.run_id);
    if (!run) return undefined;
    const init = this.#db
      .prepare(
        "SELECT body FROM workflow_steps WHERE run_id = ? AND call_type = 'init' ORDER BY id LIMIT 1",
      )
      .get(run.run_id) as { body: Uint8Array } | undefined;
    return { run, initialBody: init?.body ?? new Uint8Array() };
  }

  /** Takes a message out of its run's history (a wait's timeout, once the event came). */
  forget(messageId: string): void {
    this.#db.prepare('DELETE FROM workflow_steps WHERE message_id = ?').run(messageId);
  }

  stepRows(runId: string): StepRow[] {
    return this.#db
      .prepare('SELECT * FROM workflow_steps WHERE run_id = ? ORDER BY id')
      .all(runId) as unknown as StepRow[];
  }

  /** The whole history of a run (`GET /v2/workflows/runs/{id}`, the SDK's lazy fetch). */
  steps(runId: string): Record<string, string>[] | undefined {
    if (this.state(runId) === undefined) return undefined;
    return this.#history(this.stepRows(runId));
  }

  /** The trigger's settings a step of the run takes when it sets none of its own. */
  defaults(runId: string): RunDefaults | undefined {
    const stored = this.get(runId)?.defaults;
    return stored ? (JSON.parse(stored) as RunDefaults) : undefined;
  }

  /**
   * Ends a running run; returns its messages' ids (to cancel what is still pending), [] when it
   * had already ended, or undefined if unknown.
   */
  end(
    runId: string,
    state: Exclude<RunState, 'RUN_STARTED'>,
    now: number,
    details: { response?: string | undefined; dlqId?: string | undefined } = {},
  ): string[] | undefined {
    const current = this.state(runId);
    if (current === undefined) return undefined;
    if (current !== 'RUN_STARTED') return [];
    this.#db
      .prepare(
        `UPDATE workflow_runs SET state = ?, updated_at = ?, completed_at = ?, response = ?, dlq_id = ?
         WHERE run_id = ?`,
      )
      .run(state, now, now, details.response ?? null, details.dlqId ?? null, runId);
    return (
      this.#db.prepare('SELECT message_id FROM workflow_steps WHERE run_id = ?').all(runId) as {
        message_id: string;
      }[]
    ).map((row) => row.message_id);
  }

  /** The failure function's message of a failed run (its state is the callback's state). */
  setFailureMessage(runId: string, messageId: string): void {
    this.#db
      .prepare('UPDATE workflow_runs SET failure_message_id = ? WHERE run_id = ?')
      .run(messageId, runId);
  }

  /** Runs matching a filter, newest first, `count` at a time from `cursor`. */
  list(query: RunFilter): { rows: RunRow[]; cursor?: string } {
    const where = new Where();
    if (query.runIds) where.in('run_id', query.runIds);
    if (query.urls) where.anyOf(query.urls, query.exactUrl ? 'url = ?' : 'instr(url, ?) = 1');
    where.in('created_at', query.createdAt);
    where.in('state', query.states);
    where.anyOf(
      query.messageIds,
      'run_id IN (SELECT run_id FROM workflow_steps WHERE message_id = ?)',
    );
    applyFilter(where, query.filter, RUN_COLUMNS);
    where.when(query.cursor, 'rowid < ?');
    const rows = this.#db
      .prepare(
        `SELECT rowid AS rid, * FROM workflow_runs ${where} ORDER BY created_at DESC, rowid DESC LIMIT ?`,
      )
      .all(...where.params, query.count + 1) as unknown as (RunRow & { rid: number })[];
    const page = rows.slice(0, query.count);
    const last = page.at(-1);
    return rows.length > query.count && last
      ? { rows: page, cursor: String(last.rid) }
      : { rows: page };
  }

  /**
   * A new run continuing `from`: its history up to (not including) `failedMessageId`, under a
   * new run id. For `dlq.resume`, which then sends the failed step again.
   */
  copyHistory(from: RunRow, newRunId: string, failedMessageId: string, now: number): void {
    this.#db
      .prepare(
        `INSERT INTO workflow_runs (run_id, url, state, created_at, updated_at, label, flow_control_key, caller_ip, invoker, defaults)
         VALUES (?, ?, 'RUN_STARTED', ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        newRunId,
        from.url,
        now,
        now,
        from.label,
        from.flow_control_key,
        from.caller_ip,
        from.invoker,
        from.defaults,
      );
    const failed = this.#db
      .prepare('SELECT id FROM workflow_steps WHERE message_id = ?')
      .get(failedMessageId) as { id: number } | undefined;
    for (const row of this.stepRows(from.run_id)) {
      if (failed && row.id >= failed.id) break;
      this.#db
        .prepare(
          'INSERT INTO workflow_steps (run_id, message_id, call_type, body, created_at) VALUES (?, ?, ?, ?, ?)',
        )
        .run(newRunId, newId.message(), row.call_type, row.body, row.created_at);
    }
  }

  /** An event sent to a run before it waited for it (`notify` with a run id): kept for the wait. */
  keepEvent(runId: string, eventId: string, data: Uint8Array, now: number): void {
    this.#db
      .prepare(
        `INSERT INTO workflow_events (run_id, event_id, data, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (run_id, event_id) DO UPDATE SET data = excluded.data, created_at = excluded.created_at`,
      )
      .run(runId, eventId, data, now);
  }

  /** Takes a kept event (the wait that was waiting for it has come). */
  takeEvent(runId: string, eventId: string): Uint8Array | undefined {
    const row = this.#db
      .prepare('SELECT data FROM workflow_events WHERE run_id = ? AND event_id = ?')
      .get(runId, eventId) as { data: Uint8Array } | undefined;
    if (!row) return undefined;
    this.#db
      .prepare('DELETE FROM workflow_events WHERE run_id = ? AND event_id = ?')
      .run(runId, eventId);
    return row.data;
  }
}
