import { readServiceConfig, type ServiceConfig } from '@signet/demo-kit/config';

export type Config = ServiceConfig;

/** PORT (3100), APP_URL, DATABASE_URL or PGLITE_DIR, ORDERS_URL_GROUP, QSTASH_*. */
export const readConfig = (env: Record<string, string | undefined>): Config =>
  readServiceConfig(env, 3100);
