// Upstash Workflow runs, as much of them as `serve` needs to run sequential steps: each message
// the SDK publishes for a run (its trigger, then one per step) is recorded in order, and a
// delivery of one of them carries the run's history up to it as the body the SDK reads
// (`[{messageId, body: base64, callType}]`: the trigger's payload first, then the steps), with
// `Upstash-Workflow-RunId`. Finishing (`DELETE …?cancel=false`) or cancelling ends the run;
// a step published to an ended run is refused with 400, which the SDK takes as "cancelled".
import type { Db } from './db.ts';

export interface WorkflowStepSpec {
  runId: string;
  url?: string | undefined;
  init: boolean;
  callType?: string | undefined;
}

export type RunState = 'RUN_STARTED' | 'RUN_SUCCESS' | 'RUN_CANCELED';

interface StepRow {
  id: number;
  run_id: string;
  message_id: string;
  call_type: string;
  body: Uint8Array;
  created_at: number;
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

export class Workflows {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  state(runId: string): RunState | undefined {
    const row = this.#db.prepare('SELECT state FROM workflow_runs WHERE run_id = ?').get(runId) as
      | { state: RunState }
      | undefined;
    return row?.state;
  }

  /** Records a message of a run (inside the publish's transaction). */
  record(step: WorkflowStepSpec, messageId: string, body: Uint8Array, now: number): void {
    if (step.init) {
      this.#db
        .prepare(
          `INSERT INTO workflow_runs (run_id, url, state, created_at, updated_at) VALUES (?, ?, 'RUN_STARTED', ?, ?)
           ON CONFLICT (run_id) DO NOTHING`,
        )
        .run(step.runId, step.url ?? null, now, now);
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
  delivery(messageId: string): { runId: string; url: string | null; body: Uint8Array } | undefined {
    const own = this.#db
      .prepare('SELECT * FROM workflow_steps WHERE message_id = ?')
      .get(messageId) as StepRow | undefined;
    if (!own) return undefined;
    const rows = this.#db
      .prepare('SELECT * FROM workflow_steps WHERE run_id = ? AND id <= ? ORDER BY id')
      .all(own.run_id, own.id) as unknown as StepRow[];
    const run = this.#db
      .prepare('SELECT url FROM workflow_runs WHERE run_id = ?')
      .get(own.run_id) as { url: string | null } | undefined;
    return {
      runId: own.run_id,
      url: run?.url ?? null,
      body: Buffer.from(JSON.stringify(this.#history(rows))),
    };
  }

  /** The run a message belongs to: its id, URL, start and the trigger's payload. */
  runOf(
    messageId: string,
  ): { runId: string; url: string | null; createdAt: number; initialBody: Uint8Array } | undefined {
    const row = this.#db
      .prepare(
        `SELECT r.run_id AS run_id, r.url AS url, r.created_at AS created_at, i.body AS body
         FROM workflow_steps s JOIN workflow_runs r ON r.run_id = s.run_id
         JOIN workflow_steps i ON i.run_id = s.run_id AND i.call_type = 'init'
         WHERE s.message_id = ? ORDER BY i.id LIMIT 1`,
      )
      .get(messageId) as
      | { run_id: string; url: string | null; created_at: number; body: Uint8Array }
      | undefined;
    return row
      ? { runId: row.run_id, url: row.url, createdAt: row.created_at, initialBody: row.body }
      : undefined;
  }

  /** Takes a message out of its run's history (a wait's timeout, once the event came). */
  forget(messageId: string): void {
    this.#db.prepare('DELETE FROM workflow_steps WHERE message_id = ?').run(messageId);
  }

  /** The whole history of a run (`GET /v2/workflows/runs/{id}`, the SDK's lazy fetch). */
  steps(runId: string): Record<string, string>[] | undefined {
    if (this.state(runId) === undefined) return undefined;
    const rows = this.#db
      .prepare('SELECT * FROM workflow_steps WHERE run_id = ? ORDER BY id')
      .all(runId) as unknown as StepRow[];
    return this.#history(rows);
  }

  /** Ends a run; returns its unfinished messages' ids (to cancel), or undefined if unknown. */
  end(runId: string, state: RunState, now: number): string[] | undefined {
    if (this.state(runId) === undefined) return undefined;
    this.#db
      .prepare('UPDATE workflow_runs SET state = ?, updated_at = ? WHERE run_id = ?')
      .run(state, now, runId);
    return (
      this.#db.prepare('SELECT message_id FROM workflow_steps WHERE run_id = ?').all(runId) as {
        message_id: string;
      }[]
    ).map((row) => row.message_id);
  }
}
