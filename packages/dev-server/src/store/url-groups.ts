import type { Db } from './db.ts';

export interface Endpoint {
  name?: string;
  url: string;
}

/** URL groups (the API still calls them topics): a name and the endpoints a publish fans out to. */
export class UrlGroups {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  addEndpoints(name: string, endpoints: Endpoint[], now = Date.now()): void {
    this.#db.tx(() => {
      this.#db
        .prepare(
          'INSERT INTO topics (name, created_at, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET updated_at = excluded.updated_at',
        )
        .run(name, now, now);
      const upsert = this.#db.prepare(
        'INSERT INTO endpoints (topic, url, name) VALUES (?, ?, ?) ON CONFLICT (topic, url) DO UPDATE SET name = excluded.name',
      );
      for (const endpoint of endpoints) upsert.run(name, endpoint.url, endpoint.name ?? null);
    });
  }

  /** Removes endpoints by URL or by name; returns how many went. */
  removeEndpoints(
    name: string,
    endpoints: Array<{ name?: string; url?: string }>,
    now = Date.now(),
  ): number {
    return this.#db.tx(() => {
      let removed = 0;
      for (const endpoint of endpoints) {
        const result = endpoint.url
          ? this.#db
              .prepare('DELETE FROM endpoints WHERE topic = ? AND url = ?')
              .run(name, endpoint.url)
          : this.#db
              .prepare('DELETE FROM endpoints WHERE topic = ? AND name = ?')
              .run(name, endpoint.name ?? '');
        removed += Number(result.changes);
      }
      this.#db.prepare('UPDATE topics SET updated_at = ? WHERE name = ?').run(now, name);
      return removed;
    });
  }

  get(
    name: string,
  ): { name: string; createdAt: number; updatedAt: number; endpoints: Endpoint[] } | undefined {
    const topic = this.#db.prepare('SELECT * FROM topics WHERE name = ?').get(name) as
      | { name: string; created_at: number; updated_at: number }
      | undefined;
    if (!topic) return undefined;
    const endpoints = (
      this.#db
        .prepare('SELECT url, name FROM endpoints WHERE topic = ? ORDER BY rowid')
        .all(name) as {
        url: string;
        name: string | null;
      }[]
    ).map((row) => (row.name ? { name: row.name, url: row.url } : { url: row.url }));
    return {
      name: topic.name,
      createdAt: topic.created_at,
      updatedAt: topic.updated_at,
      endpoints,
    };
  }

  list() {
    return (
      this.#db.prepare('SELECT name FROM topics ORDER BY name').all() as { name: string }[]
    ).map((row) => this.get(row.name) as NonNullable<ReturnType<UrlGroups['get']>>);
  }

  delete(name: string): boolean {
    return Number(this.#db.prepare('DELETE FROM topics WHERE name = ?').run(name).changes) > 0;
  }
}
