import type { Db } from './db.ts';

/** How much of a destination's answer is kept per attempt: enough to debug, not a copy of it. */
export const KEPT_RESPONSE_BYTES = 4096;

export interface AttemptRow {
  message_id: string;
  attempt: number;
  started_at: number;
  duration_ms: number;
  status: number | null;
  error: string | null;
  response_headers: string | null;
  response_body: Uint8Array | null;
}

export interface AttemptRecord {
  messageId: string;
  /** `Upstash-Retried` of the attempt: 0 for the first. */
  attempt: number;
  startedAt: number;
  durationMs: number;
  status?: number | undefined;
  error?: string | undefined;
  responseHeaders?: Record<string, string[]> | undefined;
  responseBody?: Uint8Array | undefined;
}

/** Every delivery attempt of every message the broker still holds: for the page's message view. */
export class Attempts {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /** An attempt interrupted by a shutdown and made again replaces its first record. */
  record(attempt: AttemptRecord): void {
    this.#db
      .prepare(
        `INSERT OR REPLACE INTO attempts (message_id, attempt, started_at, duration_ms, status, error, response_headers, response_body)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        attempt.messageId,
        attempt.attempt,
        attempt.startedAt,
        Math.max(0, Math.round(attempt.durationMs)),
        attempt.status ?? null,
        attempt.error ?? null,
        attempt.responseHeaders ? JSON.stringify(attempt.responseHeaders) : null,
        attempt.responseBody ? attempt.responseBody.subarray(0, KEPT_RESPONSE_BYTES) : null,
      );
  }

  of(messageId: string): AttemptRow[] {
    return this.#db
      .prepare('SELECT * FROM attempts WHERE message_id = ? ORDER BY attempt')
      .all(messageId) as unknown as AttemptRow[];
  }

  /** Drops the attempts of messages the broker no longer holds (see Messages.prune). */
  prune(): void {
    this.#db
      .prepare('DELETE FROM attempts WHERE message_id NOT IN (SELECT id FROM messages)')
      .run();
  }
}
