// Drizzle on PostgreSQL when DATABASE_URL is set, else embedded PGlite in PGLITE_DIR; migrated
// (and, with SEED_DEMO=1, seeded) on first use, once per process.
import { join } from 'node:path';
import { type Database, openDatabase as open } from '@signet/demo-kit/db';
import { perProcess } from '@signet/demo-kit/process';
import { config } from './config.ts';
import * as schema from './schema.ts';

export type Db = Database<typeof schema>;

/** For scripts and tests that open the database outside the app. */
export function openDatabase(options: { databaseUrl?: string | undefined; pgliteDir?: string }) {
  return open({
    name: 'usage_sync',
    schema,
    migrationsFolder: join(process.cwd(), 'drizzle'),
    databaseUrl: options.databaseUrl,
    pgliteDir: options.pgliteDir ?? config().pgliteDir,
  });
}

/** The app's database. */
export async function database(): Promise<Db> {
  const handle = await perProcess('usage-sync.db', async () => {
    const opened = await openDatabase({ databaseUrl: config().databaseUrl });
    // `pnpm dev` sets SEED_DEMO=1, so a fresh (PGlite) database has demo users to play with.
    if (process.env.SEED_DEMO === '1') await (await import('./seed.ts')).seed(opened.db);
    return opened;
  });
  return handle.db;
}
