import { canonicalHeaderLists } from './api-fields.ts';
import type { Db } from './db.ts';
import { applyFilter, type RecordFilter } from './filter.ts';
import { newId } from './ids.ts';
import { type MessageRow, toMessageJson } from './messages.ts';
import { Where } from './where.ts';

interface DlqRow {
  dlq_id: string;
  message_id: string;
  message: string;
  body: Uint8Array;
  response_status: number | null;
  response_header: string | null;
  response_body: Uint8Array | null;
  created_at: number;
}

export interface FailedResponse {
  status?: number | undefined;
  headers?: Record<string, string[]> | undefined;
  body?: Uint8Array | undefined;
}

/** Dead letters by id, or by filter (none: all of them); `count` at a time from `cursor`. */
export interface DlqFilter {
  dlqIds?: string[] | undefined;
  filter?: RecordFilter | undefined;
  cursor?: number | undefined;
  count: number;
}

const original = (field: string) => `json_extract(message, '$.${field}')`;
const DLQ_COLUMNS = {
  messageId: original('id'),
  url: original('url'),
  topicName: original('topic_name'),
  queueName: original('queue_name'),
  scheduleId: original('schedule_id'),
  label: original('label'),
  flowControlKey: original('flow_control_key'),
  callerIp: original('caller_ip'),
  responseStatus: 'response_status',
  fromDate: 'created_at',
  toDate: 'created_at',
} as const;

/** Dead letters: messages whose last retry failed, with the last response they got. */
export class DeadLetters {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /** Stores a dead letter (inside the caller's transaction); returns its dlqId. */
  add(row: MessageRow, response: FailedResponse, now = Date.now()): string {
    const dlqId = newId.dlq();
    this.#db
      .prepare(
        `INSERT INTO dlq (dlq_id, message_id, message, body, response_status, response_header, response_body, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        dlqId,
        row.id,
        JSON.stringify({ ...row, body: undefined }),
        row.body,
        response.status ?? null,
        response.headers ? JSON.stringify(response.headers) : null,
        response.body ?? null,
        now,
      );
    return dlqId;
  }

  /** The original message of a dead letter, for a retry. */
  original(dlqId: string): MessageRow | undefined {
    const row = this.#db.prepare('SELECT * FROM dlq WHERE dlq_id = ?').get(dlqId) as
      | DlqRow
      | undefined;
    if (!row) return undefined;
    return { ...(JSON.parse(row.message) as MessageRow), body: row.body };
  }

  get(dlqId: string): Record<string, unknown> | undefined {
    const row = this.#db.prepare('SELECT * FROM dlq WHERE dlq_id = ?').get(dlqId) as
      | DlqRow
      | undefined;
    return row ? this.#toJson(row) : undefined;
  }

  #matching(filter: DlqFilter): { rows: DlqRow[]; cursor?: string } {
    const where = new Where();
    if (filter.dlqIds) where.in('dlq_id', filter.dlqIds);
    else applyFilter(where, filter.filter ?? {}, DLQ_COLUMNS);
    where.when(filter.cursor, 'rowid < ?');
    const { count } = filter;
    const rows = this.#db
      .prepare(`SELECT rowid AS rid, * FROM dlq ${where} ORDER BY rowid DESC LIMIT ?`)
      .all(...where.params, count + 1) as unknown as (DlqRow & { rid: number })[];
    const page = rows.slice(0, count);
    const last = page.at(-1);
    return rows.length > count && last ? { rows: page, cursor: String(last.rid) } : { rows: page };
  }

  list(filter: DlqFilter): { messages: Record<string, unknown>[]; cursor?: string } {
    const { rows, cursor } = this.#matching(filter);
    const messages = rows.map((row) => this.#toJson(row));
    return cursor ? { messages, cursor } : { messages };
  }

  ids(filter: DlqFilter): { ids: string[]; cursor?: string } {
    const { rows, cursor } = this.#matching(filter);
    const ids = rows.map((row) => row.dlq_id);
    return cursor ? { ids, cursor } : { ids };
  }

  delete(ids: string[]): number {
    return this.#db.tx(() => {
      let deleted = 0;
      for (const id of ids)
        deleted += Number(this.#db.prepare('DELETE FROM dlq WHERE dlq_id = ?').run(id).changes);
      return deleted;
    });
  }

  count(): number {
    return (this.#db.prepare('SELECT COUNT(*) AS n FROM dlq').get() as { n: number }).n;
  }

  #toJson(row: DlqRow): Record<string, unknown> {
    const original = { ...(JSON.parse(row.message) as MessageRow), body: row.body };
    const message: Record<string, unknown> = { ...toMessageJson(original), dlqId: row.dlq_id };
    if (row.response_status !== null) message.responseStatus = row.response_status;
    if (row.response_header)
      message.responseHeader = canonicalHeaderLists(JSON.parse(row.response_header));
    if (row.response_body) {
      const bytes = row.response_body;
      try {
        message.responseBody = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch {
        message.responseBodyBase64 = Buffer.from(bytes).toString('base64');
      }
    }
    return message;
  }
}
