import type { Db } from './db.ts';

/** QStash documents a 10-minute deduplication window. */
export const DEDUP_WINDOW_MS = 10 * 60 * 1000;

/**
 * Deduplication: a publish with a deduplication id (or content-based deduplication) that was
 * seen within the window gets the first publish's answer again, and nothing new is stored.
 */
export class Dedup {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /** The stored answer for `key`, when it is still inside the window. */
  find(key: string, now = Date.now()): unknown {
    const row = this.#db.prepare('SELECT response, expires_at FROM dedup WHERE key = ?').get(key) as
      | { response: string; expires_at: number }
      | undefined;
    return row && row.expires_at > now ? JSON.parse(row.response) : undefined;
  }

  remember(key: string, response: unknown, now = Date.now()): void {
    this.#db
      .prepare(
        'INSERT INTO dedup (key, response, expires_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET response = excluded.response, expires_at = excluded.expires_at',
      )
      .run(key, JSON.stringify(response), now + DEDUP_WINDOW_MS);
  }

  sweep(now = Date.now()): void {
    this.#db.prepare('DELETE FROM dedup WHERE expires_at <= ?').run(now);
  }
}
