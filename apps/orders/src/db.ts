// Drizzle on PostgreSQL when DATABASE_URL is set, else on embedded PGlite (a folder on disk),
// migrated before first use and stocked on first run. PGlite takes seconds and ~1 GB to start:
// this process opens it once.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PostgresClientLike } from '@signet/core';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { Config } from './config.ts';
import * as schema from './schema.ts';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface DatabaseHandle {
  db: Db;
  /** The raw client, for Signet's replay store. */
  sql: PostgresClientLike;
  close(): Promise<void>;
}

const MIGRATIONS = {
  migrationsFolder: fileURLToPath(new URL('../drizzle', import.meta.url)),
  // Its own migrations table, so the shop can share a database with other services.
  migrationsTable: '__migrations_orders',
};

export const CATALOGUE = [
  {
    slug: 'signet-mug',
    name: 'Signet mug',
    description: 'Holds 350 ml of coffee and one verified signature.',
    priceCents: 1400,
    stock: 40,
  },
  {
    slug: 'webhook-hoodie',
    name: 'Webhook hoodie',
    description: 'Warm, heavy, and retried until it is delivered.',
    priceCents: 5900,
    stock: 12,
  },
  {
    slug: 'retry-stickers',
    name: 'Retry sticker pack',
    description: 'Twelve stickers with exponential backoff.',
    priceCents: 600,
    stock: 200,
  },
  {
    slug: 'cron-clock',
    name: 'Cron wall clock',
    description: 'Strikes at 0 * * * *. Battery included.',
    priceCents: 3200,
    stock: 5,
  },
];

async function open(config: Pick<Config, 'databaseUrl' | 'pgliteDir'>): Promise<DatabaseHandle> {
  if (config.databaseUrl) {
    const [{ default: pg }, { drizzle }, { migrate }] = await Promise.all([
      import('pg'),
      import('drizzle-orm/node-postgres'),
      import('drizzle-orm/node-postgres/migrator'),
    ]);
    const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 10 });
    // An idle connection dropped by a database restart is reported here; without a listener
    // Node would end the process. Queries meanwhile fail, get a 503, and the pool reconnects.
    pool.on('error', (error) =>
      console.warn(`[orders] database connection lost: ${error.message}`),
    );
    const db = drizzle(pool, { schema });
    await migrate(db, MIGRATIONS);
    return { db: db as unknown as Db, sql: pool, close: () => pool.end() };
  }
  const [{ PGlite }, { drizzle }, { migrate }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
    import('drizzle-orm/pglite/migrator'),
  ]);
  mkdirSync(config.pgliteDir, { recursive: true });
  const client = await PGlite.create(config.pgliteDir);
  const db = drizzle(client, { schema });
  await migrate(db, MIGRATIONS);
  return { db: db as unknown as Db, sql: client, close: () => client.close() };
}

/** Opens (and migrates) the database, and stocks the shop on first run. */
export async function openDatabase(config: Pick<Config, 'databaseUrl' | 'pgliteDir'>) {
  const handle = await open(config);
  await handle.db
    .insert(schema.products)
    .values(CATALOGUE)
    .onConflictDoNothing({ target: schema.products.slug });
  return handle;
}
