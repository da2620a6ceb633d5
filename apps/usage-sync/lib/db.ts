// Drizzle on PostgreSQL when DATABASE_URL is set, else embedded PGlite in PGLITE_DIR; migrated
// (and, with SEED_DEMO=1, seeded) on first use, once per process. PGlite takes seconds and
// ~1 GB to start, so it is opened once.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { config } from './config.ts';
import { perProcess } from './lifecycle.ts';
import * as schema from './schema.ts';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface DatabaseHandle {
  db: Db;
  close(): Promise<void>;
}

/** For scripts and tests that open the database outside the app. */
export async function openDatabase(options: {
  databaseUrl?: string | undefined;
  pgliteDir?: string;
}): Promise<DatabaseHandle> {
  const migrations = {
    migrationsFolder: join(process.cwd(), 'drizzle'),
    // Its own migrations table, so the app can share a database with other services.
    migrationsTable: '__migrations_usage_sync',
  };
  if (options.databaseUrl) {
    const [{ default: pg }, { drizzle }, { migrate }] = await Promise.all([
      import('pg'),
      import('drizzle-orm/node-postgres'),
      import('drizzle-orm/node-postgres/migrator'),
    ]);
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10 });
    // An idle connection dropped by a database restart is reported here; without a listener
    // Node would end the process. Queries meanwhile fail with a 503, and the pool reconnects.
    pool.on('error', (error) =>
      console.warn(`[usage-sync] database connection lost: ${error.message}`),
    );
    const db = drizzle(pool, { schema });
    await migrate(db, migrations);
    return { db: db as unknown as Db, close: () => pool.end() };
  }
  const [{ PGlite }, { drizzle }, { migrate }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
    import('drizzle-orm/pglite/migrator'),
  ]);
  const dir = options.pgliteDir ?? config().pgliteDir;
  mkdirSync(dir, { recursive: true });
  const client = await PGlite.create(dir);
  const db = drizzle(client, { schema });
  await migrate(db, migrations);
  return { db: db as unknown as Db, close: () => client.close() };
}

/** The app's database. */
export async function database(): Promise<Db> {
  const handle = await perProcess('db', async () => {
    const opened = await openDatabase({ databaseUrl: config().databaseUrl });
    // `npm run dev` sets SEED_DEMO=1, so a fresh (PGlite) database has demo users to play with.
    if (process.env.SEED_DEMO === '1') await (await import('./seed.ts')).seed(opened.db);
    return opened;
  });
  return handle.db;
}
