import type { Db } from './db.ts';
import { applyFilter, MESSAGE_COLUMNS, type RecordFilter } from './filter.ts';
import { labelFields } from './labels.ts';
import { Where } from './where.ts';

/** The states QStash reports in its event log. */
export type State = 'CREATED' | 'ACTIVE' | 'DELIVERED' | 'ERROR' | 'RETRY' | 'FAILED' | 'CANCELED';

export interface EventFields {
  state: State;
  messageId: string;
  url: string;
  topicName?: string | null | undefined;
  endpointName?: string | null | undefined;
  queueName?: string | null | undefined;
  scheduleId?: string | null | undefined;
  label?: string | null | undefined;
  callerIp?: string | null | undefined;
  flowControlKey?: string | null | undefined;
  nextDeliveryTime?: number | undefined;
  responseStatus?: number | undefined;
  error?: string | undefined;
}

interface EventRow {
  id: number;
  time: number;
  state: State;
  message_id: string;
  url: string;
  topic_name: string | null;
  endpoint_name: string | null;
  queue_name: string | null;
  schedule_id: string | null;
  label: string | null;
  caller_ip: string | null;
  flow_control_key: string | null;
  next_delivery_time: number | null;
  response_status: number | null;
  error: string | null;
}

export interface EventPage {
  cursor?: number | undefined;
  count: number;
}

const EVENT_COLUMNS = {
  ...MESSAGE_COLUMNS,
  messageId: 'message_id',
  state: 'state',
  fromDate: 'time',
  toDate: 'time',
} as const;

/** How many events the log keeps; older ones are dropped. */
const KEEP = 50_000;

/** The event log: every state change of every message, newest first, cursor-paginated. */
export class Events {
  readonly #db: Db;
  readonly #insert;
  #sinceTrim = 0;

  constructor(db: Db) {
    this.#db = db;
    this.#insert = db.prepare(
      `INSERT INTO events (time, state, message_id, url, topic_name, endpoint_name, queue_name, schedule_id, label,
        caller_ip, flow_control_key, next_delivery_time, response_status, error)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  record(event: EventFields, time = Date.now()): void {
    this.#insert.run(
      time,
      event.state,
      event.messageId,
      event.url,
      event.topicName ?? null,
      event.endpointName ?? null,
      event.queueName ?? null,
      event.scheduleId ?? null,
      event.label ?? null,
      event.callerIp ?? null,
      event.flowControlKey ?? null,
      event.nextDeliveryTime ?? null,
      event.responseStatus ?? null,
      event.error ?? null,
    );
    if (++this.#sinceTrim >= 1000) {
      this.#sinceTrim = 0;
      this.#db.prepare('DELETE FROM events WHERE id <= (SELECT MAX(id) FROM events) - ?').run(KEEP);
    }
  }

  list(
    filter: RecordFilter,
    paging: EventPage,
  ): { events: Record<string, unknown>[]; cursor?: string } {
    const where = applyFilter(new Where(), filter, EVENT_COLUMNS).when(paging.cursor, 'id < ?');
    const { count } = paging;
    const rows = this.#db
      .prepare(`SELECT * FROM events ${where} ORDER BY id DESC LIMIT ?`)
      .all(...where.params, count + 1) as unknown as EventRow[];
    const page = rows.slice(0, count);
    const events = page.map((row) => {
      const event: Record<string, unknown> = {
        time: row.time,
        state: row.state,
        messageId: row.message_id,
        url: row.url,
      };
      if (row.topic_name) event.topicName = row.topic_name;
      if (row.endpoint_name) event.endpointName = row.endpoint_name;
      if (row.queue_name) event.queueName = row.queue_name;
      if (row.schedule_id) event.scheduleId = row.schedule_id;
      Object.assign(event, labelFields(row.label));
      if (row.caller_ip) event.callerIp = row.caller_ip;
      if (row.flow_control_key) event.flowControlKey = row.flow_control_key;
      if (row.next_delivery_time !== null) event.nextDeliveryTime = row.next_delivery_time;
      if (row.response_status !== null) event.responseStatus = row.response_status;
      if (row.error !== null) event.error = row.error;
      return event;
    });
    const last = page.at(-1);
    return rows.length > count && last ? { events, cursor: String(last.id) } : { events };
  }
}
