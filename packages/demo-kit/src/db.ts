// Drizzle on PostgreSQL when a URL is given, else on embedded PGlite (a folder on disk),
// migrated before first use. Each app keeps its own migrations table, so several demos can share
// one database. PGlite takes seconds and ~1 GB to start: open it once per process (`perProcess`).
import { mkdirSync } from 'node:fs';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';

export type Database<Schema extends Record<string, unknown>> = PgDatabase<PgQueryResultHKT, Schema>;

export interface DatabaseHandle<Schema extends Record<string, unknown>> {
  db: Database<Schema>;
  close(): Promise<void>;
}

export interface OpenOptions<Schema extends Record<string, unknown>> {
  /** The app's name: its migrations table is `__migrations_{name}`. */
  name: string;
  schema: Schema;
  migrationsFolder: string;
  /** PostgreSQL; unset: PGlite in `pgliteDir`. */
  databaseUrl?: string | undefined;
  pgliteDir: string;
}

export async function openDatabase<Schema extends Record<string, unknown>>(
  options: OpenOptions<Schema>,
): Promise<DatabaseHandle<Schema>> {
  const migrations = {
    migrationsFolder: options.migrationsFolder,
    migrationsTable: `__migrations_${options.name.replace(/\W/g, '_')}`,
  };
  if (options.databaseUrl) {
    const [{ default: pg }, { drizzle }, { migrate }] = await Promise.all([
      import('pg'),
      import('drizzle-orm/node-postgres'),
      import('drizzle-orm/node-postgres/migrator'),
    ]);
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10 });
    const db = drizzle(pool, { schema: options.schema });
    await migrate(db, migrations);
    return { db: db as unknown as Database<Schema>, close: () => pool.end() };
  }
  const [{ PGlite }, { drizzle }, { migrate }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
    import('drizzle-orm/pglite/migrator'),
  ]);
  mkdirSync(options.pgliteDir, { recursive: true });
  const client = await PGlite.create(options.pgliteDir);
  const db = drizzle(client, { schema: options.schema });
  await migrate(db, migrations);
  return { db: db as unknown as Database<Schema>, close: () => client.close() };
}
