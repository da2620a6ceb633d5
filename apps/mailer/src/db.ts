import { fileURLToPath } from 'node:url';
import { type Database, openDatabase as open } from '@signet/demo-kit/db';
import type { Config } from './config.ts';
import * as schema from './schema.ts';

export type Db = Database<typeof schema>;

const MIGRATIONS = fileURLToPath(new URL('../drizzle', import.meta.url));

export const openDatabase = (config: Pick<Config, 'databaseUrl' | 'pgliteDir'>) =>
  open({ name: 'mailer', schema, migrationsFolder: MIGRATIONS, ...config });
