import type { ReplayStore } from './store.ts';

/**
 * A PostgreSQL client with `query(text, params)` resolving to `{ rows }`: node-postgres (`Pool`,
 * `Client`), PGlite, and Drizzle's underlying clients all have it.
 */
export interface PostgresClientLike {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}

export interface PostgresReplayStoreOptions {
  /** Table for the marks (`schema.table` allowed); created on first use. Default `signet_replay`. */
  table?: string;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/;
/** Expired rows are swept every this many marks; they never block a mark meanwhile. */
const SWEEP_EVERY = 1000;

function alreadyCreated(error: unknown): boolean {
  // Two processes creating the table at once: one of them loses the race on the catalogue.
  const code = (error as { code?: unknown } | null)?.code;
  return code === '42P07' || code === '23505';
}

/**
 * A replay store in PostgreSQL, for apps that have a database but no Redis: one row per token
 * until it expires. Marking is a single `INSERT … ON CONFLICT DO UPDATE … WHERE expired`, atomic
 * across every instance that shares the database; expired rows are overwritten in place and swept
 * now and then.
 */
export function postgresReplayStore(
  client: PostgresClientLike,
  options: PostgresReplayStoreOptions = {},
): ReplayStore {
  if (typeof client?.query !== 'function') {
    throw new TypeError(
      '@signet/core: postgresReplayStore needs a client with query(text, params)',
    );
  }
  const table = options.table ?? 'signet_replay';
  if (!IDENTIFIER.test(table)) {
    throw new TypeError(
      `@signet/core: postgresReplayStore table ${JSON.stringify(table)} is not a plain identifier`,
    );
  }
  let ready: Promise<void> | undefined;
  const setUp = (): Promise<void> => {
    ready ??= client
      .query(
        `CREATE TABLE IF NOT EXISTS ${table} (id text PRIMARY KEY, expires_at timestamptz NOT NULL)`,
      )
      .then(
        () => {},
        (error: unknown) => {
          if (alreadyCreated(error)) return;
          ready = undefined; // try again on the next request
          throw error;
        },
      );
    return ready;
  };
  let marks = 0;

  return {
    async mark(id, ttlSeconds) {
      await setUp();
      const { rows } = await client.query(
        `INSERT INTO ${table} AS mark (id, expires_at)
         VALUES ($1, now() + make_interval(secs => $2::double precision))
         ON CONFLICT (id) DO UPDATE SET expires_at = excluded.expires_at
         WHERE mark.expires_at <= now()
         RETURNING 1`,
        [id, Math.max(1, Math.ceil(ttlSeconds))],
      );
      if (++marks % SWEEP_EVERY === 0) {
        client.query(`DELETE FROM ${table} WHERE expires_at <= now()`).catch(() => {});
      }
      return rows.length === 1;
    },
    async release(id) {
      await setUp();
      await client.query(`DELETE FROM ${table} WHERE id = $1`, [id]);
    },
  };
}
