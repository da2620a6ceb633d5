import type { Db } from './db.ts';
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
  next_delivery_time: number | null;
  response_status: number | null;
  error: string | null;
}

export interface EventFilter {
  messageIds?: string[];
  state?: string;
  url?: string;
  topicName?: string;
  scheduleId?: string;
  queueName?: string;
  label?: string;
  fromDate?: number;
  toDate?: number;
  cursor?: number;
  count?: number;
}

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
        next_delivery_time, response_status, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
      event.nextDeliveryTime ?? null,
      event.responseStatus ?? null,
      event.error ?? null,
    );
    if (++this.#sinceTrim >= 1000) {
      this.#sinceTrim = 0;
      this.#db.prepare('DELETE FROM events WHERE id <= (SELECT MAX(id) FROM events) - ?').run(KEEP);
    }
  }

  list(filter: EventFilter): { events: Record<string, unknown>[]; cursor?: string } {
    const where = new Where()
      .in('message_id', filter.messageIds)
      .when(filter.state, 'state = ?')
      .when(filter.url, 'url = ?')
      .when(filter.topicName, 'topic_name = ?')
      .when(filter.scheduleId, 'schedule_id = ?')
      .when(filter.queueName, 'queue_name = ?')
      .when(filter.label, 'label = ?')
      .when(filter.fromDate, 'time >= ?')
      .when(filter.toDate, 'time <= ?')
      .when(filter.cursor, 'id < ?');
    const count = Math.min(Math.max(filter.count ?? 100, 1), 1000);
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
      if (row.label) event.label = row.label;
      if (row.next_delivery_time !== null) event.nextDeliveryTime = row.next_delivery_time;
      if (row.response_status !== null) event.responseStatus = row.response_status;
      if (row.error !== null) event.error = row.error;
      return event;
    });
    const last = page.at(-1);
    return rows.length > count && last ? { events, cursor: String(last.id) } : { events };
  }
}
