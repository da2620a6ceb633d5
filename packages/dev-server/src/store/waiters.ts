// `context.waitForEvent`: a run waiting for an event. Each waiter has a timeout message already
// stored (due at its deadline, a step marked `waitTimeout`); `notify` removes the waiter, takes
// that message out of the run (cancelled, and out of its history) and sends the event instead.
import type { Db } from './db.ts';

export interface WaiterRow {
  id: number;
  event_id: string;
  run_id: string;
  url: string;
  deadline: number;
  step: string;
  headers: string;
  timeout_url: string | null;
  timeout_headers: string | null;
  timeout_message_id: string;
  created_at: number;
}

export interface NewWaiter {
  eventId: string;
  runId: string;
  url: string;
  deadline: number;
  step: Record<string, unknown>;
  /** The wait request's headers, to send the event with the run's settings. */
  headers: [string, string][];
  timeoutUrl?: string | undefined;
  timeoutHeaders?: Record<string, string[]> | undefined;
  timeoutMessageId: string;
}

export class Waiters {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  add(waiter: NewWaiter, now: number): void {
    this.#db
      .prepare(
        `INSERT INTO workflow_waiters (event_id, run_id, url, deadline, step, headers, timeout_url, timeout_headers,
          timeout_message_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        waiter.eventId,
        waiter.runId,
        waiter.url,
        waiter.deadline,
        JSON.stringify(waiter.step),
        JSON.stringify(waiter.headers),
        waiter.timeoutUrl ?? null,
        waiter.timeoutHeaders ? JSON.stringify(waiter.timeoutHeaders) : null,
        waiter.timeoutMessageId,
        now,
      );
  }

  /** Waiters of an event still before their deadline (those past it have timed out). */
  waiting(eventId: string, now: number, runId?: string): WaiterRow[] {
    this.#db.prepare('DELETE FROM workflow_waiters WHERE deadline <= ?').run(now);
    return (runId === undefined
      ? this.#db
          .prepare('SELECT * FROM workflow_waiters WHERE event_id = ? ORDER BY id')
          .all(eventId)
      : this.#db
          .prepare('SELECT * FROM workflow_waiters WHERE event_id = ? AND run_id = ? ORDER BY id')
          .all(eventId, runId)) as unknown as WaiterRow[];
  }

  /** What a run is waiting for (the broker page). */
  ofRun(runId: string): WaiterRow[] {
    return this.#db
      .prepare('SELECT * FROM workflow_waiters WHERE run_id = ? ORDER BY id')
      .all(runId) as unknown as WaiterRow[];
  }

  remove(id: number): void {
    this.#db.prepare('DELETE FROM workflow_waiters WHERE id = ?').run(id);
  }
}

/** A waiter as the SDK's `Waiter` type has it. */
export function waiterJson(row: WaiterRow): Record<string, unknown> {
  const headers: Record<string, string[]> = {};
  for (const [name, value] of JSON.parse(row.headers) as [string, string][])
    headers[name] = [value];
  return {
    url: row.url,
    deadline: Math.floor(row.deadline / 1000),
    headers,
    ...(row.timeout_url && { timeoutUrl: row.timeout_url }),
    ...(row.timeout_headers && { timeoutHeaders: JSON.parse(row.timeout_headers) }),
  };
}
