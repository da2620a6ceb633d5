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
import type { EventFields, Events, State } from './events.ts';
import { applyFilter, MESSAGE_COLUMNS, type RecordFilter } from './filter.ts';
import { newId } from './ids.ts';
import { Where } from './where.ts';
import type { WorkflowStepSpec } from './workflows.ts';

/** What a publish, a schedule or a callback asks for: everything needed to deliver a message. */
export interface MessageSpec {
  url: string;
  method: string;
  /** Headers to send: the content type and the forwarded ones. */
  headers: Record<string, string>;
  body: Uint8Array;
  topicName?: string | undefined;
  endpointName?: string | undefined;
  queueName?: string | undefined;
  scheduleId?: string | undefined;
  callback?: string | undefined;
  failureCallback?: string | undefined;
  callbackConfig?: CallbackConfig | undefined;
  /** For callback messages: the message they report on. Callbacks get no callbacks of their own. */
  callbackOf?: string | undefined;
  maxRetries: number;
  retryDelay?: string | undefined;
  timeoutMs?: number | undefined;
  notBefore: number;
  callerIp?: string | undefined;
  label?: string | undefined;
  flowControl?: FlowControl | undefined;
  redact?: Redaction | undefined;
  /** A message of an Upstash Workflow run: recorded in the run's history when stored. */
  workflow?: WorkflowStepSpec | undefined;
}

export interface MessageRow {
  id: string;
  seq: number;
  url: string;
  method: string;
  headers: string;
  body: Uint8Array;
  topic_name: string | null;
  endpoint_name: string | null;
  queue_name: string | null;
  schedule_id: string | null;
  callback: string | null;
  failure_callback: string | null;
  callback_config: string | null;
  callback_of: string | null;
  max_retries: number;
  retried: number;
  retry_delay: string | null;
  timeout_ms: number | null;
  not_before: number;
  created_at: number;
  updated_at: number;
  state: State;
  caller_ip: string | null;
  label: string | null;
  last_status: number | null;
  last_error: string | null;
  flow_control_key: string | null;
  flow_control: string | null;
  redact: string | null;
}

/** Messages still to be delivered; everything else is history. */
export const PENDING: readonly State[] = ['CREATED', 'ACTIVE', 'RETRY'];

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** The SDK's `Message` shape (messages.get, and the base of a DLQ message). */
export function toMessageJson(row: MessageRow): Record<string, unknown> {
  const redaction = readRedaction(row.redact);
  const body = shownBodyBytes(row.body, redaction);
  const message: Record<string, unknown> = {
    messageId: row.id,
    url: row.url,
    method: row.method,
    header: headerLists(
      JSON.stringify(shownHeaders(JSON.parse(row.headers) as Record<string, string>, redaction)),
    ),
    maxRetries: row.max_retries,
    notBefore: row.not_before,
    createdAt: row.created_at,
  };
  if (isUtf8(body)) message.body = new TextDecoder().decode(body);
  else message.bodyBase64 = base64(body);
  if (row.topic_name) message.topicName = row.topic_name;
  if (row.endpoint_name) message.endpointName = row.endpoint_name;
  if (row.schedule_id) message.scheduleId = row.schedule_id;
  return Object.assign(
    message,
    sharedFields(row),
    flowControlFields(row.flow_control_key, row.flow_control),
  );
}

/** The message table: every message, pending or done, and its state transitions. */
export class Messages {
  readonly #db: Db;
  readonly #events: Events;
  #seq: number;
  readonly #insert;
  readonly #get;
  readonly #state;
  readonly #setState;
  readonly #dueUnqueued;
  readonly #nextDueUnqueued;
  readonly #queueHead;

  constructor(db: Db, events: Events) {
    this.#db = db;
    this.#events = events;
    const max = db.prepare('SELECT MAX(seq) AS seq FROM messages').get() as {
      seq: number | null;
    };
    this.#seq = max.seq ?? 0;
    this.#insert = db.prepare(
      `INSERT INTO messages (id, seq, url, method, headers, body, topic_name, endpoint_name, queue_name, schedule_id,
        callback, failure_callback, callback_config, callback_of, max_retries, retried, retry_delay, timeout_ms, not_before,
        created_at, updated_at, state, caller_ip, label, flow_control_key, flow_control, redact)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, 'CREATED', ?, ?, ?, ?, ?)`,
    );
    this.#get = db.prepare('SELECT * FROM messages WHERE id = ?');
    this.#state = db.prepare('SELECT state FROM messages WHERE id = ?');
    // Messages with a flow-control key are picked per key (see dueForKey).
    this.#dueUnqueued = db.prepare(
      `SELECT * FROM messages WHERE queue_name IS NULL AND state IN ('CREATED', 'RETRY') AND not_before <= ?
         AND flow_control_key IS NULL
       ORDER BY not_before, seq LIMIT ?`,
    );
    this.#nextDueUnqueued = db.prepare(
      `SELECT not_before FROM messages WHERE queue_name IS NULL AND state IN ('CREATED', 'RETRY')
         AND flow_control_key IS NULL ORDER BY not_before, seq LIMIT 1`,
    );
    this.#queueHead = db.prepare(
      `SELECT * FROM messages WHERE queue_name = ? AND state IN ('CREATED', 'ACTIVE', 'RETRY') ORDER BY seq LIMIT ?`,
    );
    this.#setState = db.prepare(
      'UPDATE messages SET state = ?, retried = ?, not_before = ?, updated_at = ?, last_status = ?, last_error = ? WHERE id = ?',
    );
  }

  /** Stores a new message (inside the caller's transaction) and logs CREATED. */
  create(spec: MessageSpec, now = Date.now()): string {
    const id = newId.message();
    this.#insert.run(
      id,
      ++this.#seq,
      spec.url,
      spec.method,
      JSON.stringify(spec.headers),
      spec.body,
      spec.topicName ?? null,
      spec.endpointName ?? null,
      spec.queueName ?? null,
      spec.scheduleId ?? null,
      spec.callback ?? null,
      spec.failureCallback ?? null,
      spec.callbackConfig ? JSON.stringify(spec.callbackConfig) : null,
      spec.callbackOf ?? null,
      spec.maxRetries,
      spec.retryDelay ?? null,
      spec.timeoutMs ?? null,
      spec.notBefore,
      now,
      now,
      spec.callerIp ?? null,
      spec.label ?? null,
      spec.flowControl?.key ?? null,
      storedFlowControl(spec.flowControl),
      storedRedaction(spec.redact),
    );
    this.#events.record(
      {
        state: 'CREATED',
        messageId: id,
        url: spec.url,
        topicName: spec.topicName,
        endpointName: spec.endpointName,
        queueName: spec.queueName,
        scheduleId: spec.scheduleId,
        label: spec.label,
        callerIp: spec.callerIp,
        flowControlKey: spec.flowControl?.key,
        nextDeliveryTime: spec.notBefore,
      },
      now,
    );
    return id;
  }

  get(id: string): MessageRow | undefined {
    return this.#get.get(id) as MessageRow | undefined;
  }

  /** True when the message was cancelled (while an attempt was on the wire, say). */
  isCancelled(id: string): boolean {
    return (this.#state.get(id) as { state: State } | undefined)?.state === 'CANCELED';
  }

  /** Moves a message to a new state and logs the event. */
  transition(
    row: MessageRow,
    state: State,
    changes: {
      retried?: number;
      notBefore?: number;
      status?: number | undefined;
      error?: string | undefined;
    } = {},
    now = Date.now(),
  ): void {
    const retried = changes.retried ?? row.retried;
    const notBefore = changes.notBefore ?? row.not_before;
    this.#setState.run(
      state,
      retried,
      notBefore,
      now,
      changes.status ?? null,
      changes.error ?? null,
      row.id,
    );
    this.#log(
      row,
      state,
      {
        nextDeliveryTime: state === 'RETRY' ? notBefore : undefined,
        responseStatus: changes.status,
        error: changes.error,
      },
      now,
    );
    row.state = state;
    row.retried = retried;
    row.not_before = notBefore;
  }

  /** Logs a failed attempt (ERROR) without changing the message; a RETRY or FAILED follows. */
  recordError(
    row: MessageRow,
    status: number | undefined,
    error: string | undefined,
    now = Date.now(),
  ): void {
    this.#log(row, 'ERROR', { responseStatus: status, error }, now);
  }

  #log(row: MessageRow, state: State, extra: Partial<EventFields>, now: number): void {
    this.#events.record(
      {
        state,
        messageId: row.id,
        url: row.url,
        topicName: row.topic_name,
        endpointName: row.endpoint_name,
        queueName: row.queue_name,
        scheduleId: row.schedule_id,
        label: row.label,
        callerIp: row.caller_ip,
        flowControlKey: row.flow_control_key,
        ...extra,
      },
      now,
    );
  }

  /** Due messages outside queues, oldest first. */
  dueUnqueued(now: number, limit: number): MessageRow[] {
    return this.#dueUnqueued.all(now, limit) as unknown as MessageRow[];
  }

  /** Flow-control keys with due messages outside queues. */
  dueKeys(now: number): string[] {
    return (
      this.#db
        .prepare(
          `SELECT DISTINCT flow_control_key AS key FROM messages WHERE flow_control_key IS NOT NULL
             AND queue_name IS NULL AND state IN ('CREATED', 'RETRY') AND not_before <= ?`,
        )
        .all(now) as { key: string }[]
    ).map((row) => row.key);
  }

  /** A key's due messages outside queues, oldest first. */
  dueForKey(key: string, now: number, limit: number): MessageRow[] {
    return this.#db
      .prepare(
        `SELECT * FROM messages WHERE flow_control_key = ? AND queue_name IS NULL
           AND state IN ('CREATED', 'RETRY') AND not_before <= ? ORDER BY not_before, seq LIMIT ?`,
      )
      .all(key, now, limit) as unknown as MessageRow[];
  }

  /** When the next flow-controlled message outside queues becomes due, after `now`. */
  nextDueKeyed(now: number): number | undefined {
    const row = this.#db
      .prepare(
        `SELECT MIN(not_before) AS at FROM messages WHERE flow_control_key IS NOT NULL
           AND queue_name IS NULL AND state IN ('CREATED', 'RETRY') AND not_before > ?`,
      )
      .get(now) as { at: number | null };
    return row.at ?? undefined;
  }

  /** When the next message outside queues becomes due (for the dispatcher's timer). */
  nextDueUnqueued(): number | undefined {
    const row = this.#nextDueUnqueued.get() as { not_before: number } | undefined;
    return row?.not_before;
  }

  /** The first `limit` unfinished messages of a queue, in order: only these may be delivered. */
  queueHead(queue: string, limit: number): MessageRow[] {
    return this.#queueHead.all(queue, limit) as unknown as MessageRow[];
  }

  /**
   * After a crash, messages that were being delivered are due again: QStash delivers at least
   * once, so a delivery that may or may not have happened happens again.
   */
  recoverInFlight(now = Date.now()): number {
    const rows = this.#db
      .prepare(`SELECT * FROM messages WHERE state = 'ACTIVE'`)
      .all() as unknown as MessageRow[];
    this.#db.tx(() => {
      for (const row of rows)
        this.transition(
          row,
          'RETRY',
          { notBefore: now, error: 'the broker restarted during delivery' },
          now,
        );
    });
    return rows.length;
  }

  /**
   * Cancels unfinished messages, one being delivered included: its attempt runs out, but its
   * outcome is then ignored (no retry, no dead letter, no callback). Returns how many.
   */
  cancel(ids: string[], now = Date.now()): number {
    let cancelled = 0;
    this.#db.tx(() => {
      for (const id of ids) {
        const row = this.get(id);
        if (row && PENDING.includes(row.state)) {
          this.transition(row, 'CANCELED', {}, now);
          cancelled++;
        }
      }
    });
    return cancelled;
  }

  /** Pending message ids matching a filter (for bulk cancel). */
  pendingIds(filter: RecordFilter): string[] {
    const where = applyFilter(new Where(`state IN ('CREATED', 'ACTIVE', 'RETRY')`), filter, {
      ...MESSAGE_COLUMNS,
      fromDate: 'created_at',
      toDate: 'created_at',
    });
    const rows = this.#db
      .prepare(`SELECT id FROM messages ${where} ORDER BY seq`)
      .all(...where.params) as { id: string }[];
    return rows.map((row) => row.id);
  }

  /** Makes delayed messages due now (the "deliver now" development control). */
  deliverNow(filter: { messageId?: string; queueName?: string }, now = Date.now()): number {
    const where = new Where(`state IN ('CREATED', 'RETRY')`)
      .when(now, 'not_before > ?')
      .when(filter.messageId, 'id = ?')
      .when(filter.queueName, 'queue_name = ?');
    const result = this.#db
      .prepare(`UPDATE messages SET not_before = ?, updated_at = ? ${where}`)
      .run(now, now, ...where.params);
    return Number(result.changes);
  }

  /** The callback messages (and failure callbacks) that report on message `id`. */
  callbacksOf(id: string): MessageRow[] {
    return this.#db
      .prepare('SELECT * FROM messages WHERE callback_of = ? ORDER BY seq')
      .all(id) as unknown as MessageRow[];
  }

  recent(limit: number): MessageRow[] {
    return this.#db
      .prepare('SELECT * FROM messages ORDER BY seq DESC LIMIT ?')
      .all(limit) as unknown as MessageRow[];
  }

  counts(): Record<string, number> {
    const rows = this.#db
      .prepare('SELECT state, COUNT(*) AS n FROM messages GROUP BY state')
      .all() as { state: string; n: number }[];
    return Object.fromEntries(rows.map((row) => [row.state, row.n]));
  }

  /** Drops finished messages beyond the newest `keep` (the event log remembers them). */
  prune(keep: number): void {
    this.#db
      .prepare(
        `DELETE FROM messages WHERE state IN ('DELIVERED', 'FAILED', 'CANCELED') AND seq <= (SELECT MAX(seq) FROM messages) - ?`,
      )
      .run(keep);
  }
}
