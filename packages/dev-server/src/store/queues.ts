import { LIMITS } from '../publish/limits.ts';
import type { Db } from './db.ts';

export interface QueueRow {
  name: string;
  parallelism: number;
  paused: number;
  created_at: number;
  updated_at: number;
}

/**
 * A row as the broker uses it. Parallelism is checked on the way in (LIMITS.parallelism), but a
 * database written by an older version may hold anything (`1e308`): such a value is read as the
 * nearest allowed one, so it can never stall dispatch or break the page.
 */
function sane(row: QueueRow): QueueRow {
  const { min, max } = LIMITS.parallelism;
  const value = Number(row.parallelism);
  const parallelism = Number.isFinite(value)
    ? Math.min(max, Math.max(min, Math.floor(value)))
    : min;
  return parallelism === row.parallelism ? row : { ...row, parallelism };
}

/** Named queues: ordered delivery with at most `parallelism` messages in flight. */
export class Queues {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  upsert(
    name: string,
    settings: { parallelism?: number; paused?: boolean },
    now = Date.now(),
  ): void {
    const existing = this.get(name);
    const parallelism = settings.parallelism ?? existing?.parallelism ?? 1;
    const paused = settings.paused ?? Boolean(existing?.paused);
    this.#db
      .prepare(
        `INSERT INTO queues (name, parallelism, paused, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET parallelism = excluded.parallelism, paused = excluded.paused, updated_at = excluded.updated_at`,
      )
      .run(name, parallelism, paused ? 1 : 0, now, now);
  }

  /** Enqueueing to a queue that does not exist yet creates it (parallelism 1), as QStash does. */
  ensure(name: string, now = Date.now()): void {
    if (!this.get(name)) this.upsert(name, {}, now);
  }

  get(name: string): QueueRow | undefined {
    const row = this.#db.prepare('SELECT * FROM queues WHERE name = ?').get(name) as
      | QueueRow
      | undefined;
    return row && sane(row);
  }

  list(): QueueRow[] {
    return (
      this.#db.prepare('SELECT * FROM queues ORDER BY name').all() as unknown as QueueRow[]
    ).map(sane);
  }

  setPaused(name: string, paused: boolean, now = Date.now()): boolean {
    return (
      Number(
        this.#db
          .prepare('UPDATE queues SET paused = ?, updated_at = ? WHERE name = ?')
          .run(paused ? 1 : 0, now, name).changes,
      ) > 0
    );
  }

  delete(name: string): boolean {
    return Number(this.#db.prepare('DELETE FROM queues WHERE name = ?').run(name).changes) > 0;
  }

  lag(name: string): number {
    const row = this.#db
      .prepare(
        `SELECT COUNT(*) AS n FROM messages WHERE queue_name = ? AND state IN ('CREATED', 'ACTIVE', 'RETRY')`,
      )
      .get(name) as { n: number };
    return row.n;
  }

  toJson(row: QueueRow) {
    return {
      name: row.name,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      parallelism: row.parallelism,
      lag: this.lag(row.name),
      paused: Boolean(row.paused),
    };
  }
}
