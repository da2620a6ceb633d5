import { fileURLToPath } from 'node:url';
import { type Database, openDatabase as open } from '@signet/demo-kit/db';
import type { Config } from './config.ts';
import * as schema from './schema.ts';

export type Db = Database<typeof schema>;

const MIGRATIONS = fileURLToPath(new URL('../drizzle', import.meta.url));

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

/** Opens (and migrates) the database, and stocks the shop on first run. */
export async function openDatabase(config: Pick<Config, 'databaseUrl' | 'pgliteDir'>) {
  const handle = await open({ name: 'orders', schema, migrationsFolder: MIGRATIONS, ...config });
  await handle.db
    .insert(schema.products)
    .values(CATALOGUE)
    .onConflictDoNothing({ target: schema.products.slug });
  return handle;
}
