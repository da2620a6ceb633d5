import { nextRun } from '../cron.ts';
import { type FlowControl, flowControlFields, storedFlowControl } from '../publish/flow-control.ts';
import type { CallbackConfig } from '../publish/publish-headers.ts';
import {
  type Redaction,
  readRedaction,
  shownBodyBytes,
  shownHeaders,
  storedRedaction,
} from '../publish/redact.ts';
import { headerLists, sharedFields } from './api-fields.ts';
import type { Db } from './db.ts';
import { newId } from './ids.ts';

export interface ScheduleSpec {
  id?: string | undefined;
  destination: string;
  cron: string;
  method: string;
  headers: Record<string, string>;
  body: Uint8Array;
  retries: number;
  retryDelay?: string | undefined;
  delayMs?: number | undefined;
  timeoutMs?: number | undefined;
  callback?: string | undefined;
  failureCallback?: string | undefined;
  callbackConfig?: CallbackConfig | undefined;
  queueName?: string | undefined;
  label?: string | undefined;
  callerIp?: string | undefined;
  flowControl?: FlowControl | undefined;
  redact?: Redaction | undefined;
}

export interface ScheduleRow {
  id: string;
  destination: string;
  cron: string;
  method: string;
  headers: string;
  body: Uint8Array;
  retries: number;
  retry_delay: string | null;
  delay_ms: number | null;
  timeout_ms: number | null;
  callback: string | null;
  failure_callback: string | null;
  callback_config: string | null;
  queue_name: string | null;
  label: string | null;
  paused: number;
  caller_ip: string | null;
  created_at: number;
  updated_at: number;
  last_run: number | null;
  next_run: number | null;
  flow_control_key: string | null;
  flow_control: string | null;
  redact: string | null;
}

/** Schedules: a cron expression and the message to publish each time it fires. */
export class Schedules {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /** Creates a schedule, or updates the one with the same id (fixed ids never pile up). */
  upsert(spec: ScheduleSpec, now = Date.now()): string {
    const id = spec.id ?? newId.schedule();
    const next = nextRun(spec.cron, now) ?? null;
    const existing = this.get(id);
    this.#db
      .prepare(
        `INSERT INTO schedules (id, destination, cron, method, headers, body, retries, retry_delay, delay_ms, timeout_ms,
          callback, failure_callback, callback_config, queue_name, label, paused, caller_ip, created_at, updated_at, last_run,
          next_run, flow_control_key, flow_control, redact) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET destination = excluded.destination, cron = excluded.cron, method = excluded.method,
          headers = excluded.headers, body = excluded.body, retries = excluded.retries, retry_delay = excluded.retry_delay,
          delay_ms = excluded.delay_ms, timeout_ms = excluded.timeout_ms, callback = excluded.callback,
          failure_callback = excluded.failure_callback, callback_config = excluded.callback_config, queue_name = excluded.queue_name, label = excluded.label,
          caller_ip = excluded.caller_ip, updated_at = excluded.updated_at, next_run = excluded.next_run,
          flow_control_key = excluded.flow_control_key, flow_control = excluded.flow_control,
          redact = excluded.redact`,
      )
      .run(
        id,
        spec.destination,
        spec.cron,
        spec.method,
        JSON.stringify(spec.headers),
        spec.body,
        spec.retries,
        spec.retryDelay ?? null,
        spec.delayMs ?? null,
        spec.timeoutMs ?? null,
        spec.callback ?? null,
        spec.failureCallback ?? null,
        spec.callbackConfig ? JSON.stringify(spec.callbackConfig) : null,
        spec.queueName ?? null,
        spec.label ?? null,
        existing?.paused ?? 0,
        spec.callerIp ?? null,
        existing?.created_at ?? now,
        now,
        existing?.last_run ?? null,
        next,
        spec.flowControl?.key ?? null,
        storedFlowControl(spec.flowControl),
        storedRedaction(spec.redact),
      );
    return id;
  }

  get(id: string): ScheduleRow | undefined {
    return this.#db.prepare('SELECT * FROM schedules WHERE id = ?').get(id) as
      | ScheduleRow
      | undefined;
  }

  list(): ScheduleRow[] {
    return this.#db
      .prepare('SELECT * FROM schedules ORDER BY created_at')
      .all() as unknown as ScheduleRow[];
  }

  delete(id: string): boolean {
    return Number(this.#db.prepare('DELETE FROM schedules WHERE id = ?').run(id).changes) > 0;
  }

  setPaused(id: string, paused: boolean, now = Date.now()): boolean {
    const row = this.get(id);
    if (!row) return false;
    // Resuming starts from now: runs missed while paused are not made up.
    const next = paused ? row.next_run : (nextRun(row.cron, now) ?? null);
    this.#db
      .prepare('UPDATE schedules SET paused = ?, updated_at = ?, next_run = ? WHERE id = ?')
      .run(paused ? 1 : 0, now, next, id);
    return true;
  }

  /** Active schedules whose next run is due. */
  due(now: number): ScheduleRow[] {
    return this.#db
      .prepare(
        'SELECT * FROM schedules WHERE paused = 0 AND next_run IS NOT NULL AND next_run <= ?',
      )
      .all(now) as unknown as ScheduleRow[];
  }

  /**
   * Records a run and computes the next one from now. After downtime a schedule fires once for
   * all the runs it missed, then carries on, rather than firing a burst.
   */
  markRun(row: ScheduleRow, now: number): void {
    this.#db
      .prepare('UPDATE schedules SET last_run = ?, next_run = ? WHERE id = ?')
      .run(now, nextRun(row.cron, now) ?? null, row.id);
  }

  nextDue(): number | undefined {
    const row = this.#db
      .prepare('SELECT MIN(next_run) AS at FROM schedules WHERE paused = 0')
      .get() as { at: number | null };
    return row.at ?? undefined;
  }

  toJson(row: ScheduleRow): Record<string, unknown> {
    const redaction = readRedaction(row.redact);
    const body = shownBodyBytes(row.body, redaction);
    const schedule: Record<string, unknown> = {
      scheduleId: row.id,
      cron: row.cron,
      createdAt: row.created_at,
      destination: row.destination,
      method: row.method,
      header: headerLists(
        JSON.stringify(shownHeaders(JSON.parse(row.headers) as Record<string, string>, redaction)),
      ),
      retries: row.retries,
      isPaused: Boolean(row.paused),
    };
    if (body.length > 0) schedule.body = new TextDecoder().decode(body);
    if (row.delay_ms !== null) schedule.delay = Math.round(row.delay_ms / 1000);
    Object.assign(
      schedule,
      sharedFields(row),
      flowControlFields(row.flow_control_key, row.flow_control),
    );
    if (row.last_run !== null) schedule.lastScheduleTime = row.last_run;
    if (row.next_run !== null) schedule.nextScheduleTime = row.next_run;
    return schedule;
  }
}
