import { canonicalHeaderLists } from './api-fields.ts';
import type { Db } from './db.ts';
import { applyFilter, type RecordFilter } from './filter.ts';
import { newId } from './ids.ts';
import { labelFields } from './labels.ts';
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
  workflow_run_id: string | null;
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
  /** `source=workflow`: only the dead letters of workflow runs, and their run's fields. */
  workflow?: WorkflowDlqFilter | undefined;
  cursor?: number | undefined;
  count: number;
}

/** The workflow DLQ's own filters. */
export interface WorkflowDlqFilter {
  runIds?: string[] | undefined;
  urls?: string[] | undefined;
  createdAt?: number[] | undefined;
  failureFunctionState?: string[] | undefined;
}

const run = (column: string) =>
  `(SELECT ${column} FROM workflow_runs WHERE run_id = dlq.workflow_run_id)`;

/** The state of a failed run's failure function, as the workflow API names it. */
const FAILURE_STATE = `(SELECT CASE m.state WHEN 'DELIVERED' THEN 'CALLBACK_SUCCESS'
  WHEN 'FAILED' THEN 'CALLBACK_FAIL' WHEN 'CANCELED' THEN 'CALLBACK_CANCELED'
  ELSE 'CALLBACK_INPROGRESS' END FROM messages m WHERE m.id = ${run('failure_message_id')})`;

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
  add(row: MessageRow, response: FailedResponse, now = Date.now(), runId?: string): string {
    const dlqId = newId.dlq();
    this.#db
      .prepare(
        `INSERT INTO dlq (dlq_id, message_id, message, body, response_status, response_header, response_body, created_at, workflow_run_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
        runId ?? null,
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
    const { workflow } = filter;
    if (workflow) {
      where.add('workflow_run_id IS NOT NULL');
      where.in('workflow_run_id', workflow.runIds);
      where.anyOf(workflow.urls, `${run('url')} = ?`);
      where.in(run('created_at'), workflow.createdAt);
      where.in(FAILURE_STATE, workflow.failureFunctionState);
    }
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
    const messages = rows.map((row) =>
      filter.workflow ? this.#toWorkflowJson(row) : this.#toJson(row),
    );
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

  /** The dead letter and the run it failed (for the workflow DLQ's actions). */
  entry(
    dlqId: string,
  ): { original: MessageRow; runId: string | null; response: FailedResponse } | undefined {
    const row = this.#db.prepare('SELECT * FROM dlq WHERE dlq_id = ?').get(dlqId) as
      | DlqRow
      | undefined;
    if (!row) return undefined;
    return {
      original: { ...(JSON.parse(row.message) as MessageRow), body: row.body },
      runId: row.workflow_run_id,
      response: {
        status: row.response_status ?? undefined,
        headers: row.response_header ? JSON.parse(row.response_header) : undefined,
        body: row.response_body ?? undefined,
      },
    };
  }

  /**
   * A dead letter of a workflow run as the workflow SDK's `DLQMessage`: the run's URL, id,
   * creation and labels, and its failure function's state.
   */
  #toWorkflowJson(row: DlqRow): Record<string, unknown> {
    const message = this.#toJson(row);
    const info = this.#db
      .prepare(
        `SELECT r.url AS url, r.created_at AS created_at, r.label AS label, r.failure_message_id AS failure_id,
           ${FAILURE_STATE.replaceAll('dlq.workflow_run_id', 'r.run_id')} AS failure_state
         FROM workflow_runs r WHERE r.run_id = ?`,
      )
      .get(row.workflow_run_id) as
      | {
          url: string | null;
          created_at: number;
          label: string | null;
          failure_id: string | null;
          failure_state: string | null;
        }
      | undefined;
    if (!info) return message;
    const original = JSON.parse(row.message) as MessageRow;
    Object.assign(message, {
      workflowRunId: row.workflow_run_id,
      workflowCreatedAt: info.created_at,
      workflowUrl: info.url ?? message.url,
      ...labelFields(info.label),
    });
    if (original.failure_callback) {
      message.failureCallback = original.failure_callback;
      if (info.failure_state) message.failureCallbackInfo = { state: info.failure_state };
    }
    return message;
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
