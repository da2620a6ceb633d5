// Drizzle on PostgreSQL when DATABASE_URL is set, else on embedded PGlite (a folder on disk),
// migrated on first use. One per process: PGlite takes seconds and ~1 GB to start, and Next can
// load this module more than once (instrumentation, routes), so the instance lives on globalThis.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { config } from './config.ts';
import * as schema from './schema.ts';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

interface Handle {
  db: Db;
  close(): Promise<void>;
}

const MIGRATIONS = join(process.cwd(), 'drizzle');
const slot = Symbol.for('usage-sync.db');
type Slot = { [slot]?: Promise<Handle> };

async function open(databaseUrl: string | undefined, pgliteDir: string): Promise<Handle> {
  const handle = await connect(databaseUrl, pgliteDir);
  // `pnpm dev` sets SEED_DEMO=1, so a fresh (PGlite) database has demo users to play with.
  if (process.env.SEED_DEMO === '1') await (await import('./seed.ts')).seed(handle.db);
  return handle;
}

async function connect(databaseUrl: string | undefined, pgliteDir: string): Promise<Handle> {
  if (databaseUrl) {
    const [{ Pool }, { drizzle }, { migrate }] = await Promise.all([
      import('pg'),
      import('drizzle-orm/node-postgres'),
      import('drizzle-orm/node-postgres/migrator'),
    ]);
    const pool = new Pool({ connectionString: databaseUrl, max: 10 });
    const db = drizzle(pool, { schema });
    await migrate(db, { migrationsFolder: MIGRATIONS });
    return { db: db as unknown as Db, close: () => pool.end() };
  }
  const [{ PGlite }, { drizzle }, { migrate }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
    import('drizzle-orm/pglite/migrator'),
  ]);
  mkdirSync(pgliteDir, { recursive: true });
  const client = await PGlite.create(pgliteDir);
  const db = drizzle(client, { schema });
  await migrate(db, { migrationsFolder: MIGRATIONS });
  return { db: db as unknown as Db, close: () => client.close() };
}

/** The database, opened and migrated on first call. */
export function database(): Promise<Db> {
  const global = globalThis as Slot;
  global[slot] ??= open(config().databaseUrl, config().pgliteDir).catch((error: unknown) => {
    delete global[slot];
    throw error;
  });
  return global[slot].then((handle) => handle.db);
}

/** For scripts and tests that open the database outside the app. */
export async function openDatabase(options: {
  databaseUrl?: string;
  pgliteDir?: string;
}): Promise<Handle> {
  return open(options.databaseUrl, options.pgliteDir ?? config().pgliteDir);
}
