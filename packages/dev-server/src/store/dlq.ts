import type { Db } from './db.ts';
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

export interface DlqFilter {
  dlqIds?: string[];
  url?: string;
  topicName?: string;
  queueName?: string;
  scheduleId?: string;
  responseStatus?: number;
  cursor?: string;
  count?: number;
}

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
    const where = new Where()
      .in('dlq_id', filter.dlqIds)
      .when(filter.url, `json_extract(message, '$.url') = ?`)
      .when(filter.topicName, `json_extract(message, '$.topic_name') = ?`)
      .when(filter.queueName, `json_extract(message, '$.queue_name') = ?`)
      .when(filter.scheduleId, `json_extract(message, '$.schedule_id') = ?`)
      .when(filter.responseStatus, 'response_status = ?')
      .when(filter.cursor === undefined ? undefined : Number(filter.cursor), 'rowid < ?');
    const count = Math.min(Math.max(filter.count ?? 100, 1), 1000);
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
    if (row.response_header) message.responseHeader = JSON.parse(row.response_header);
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
