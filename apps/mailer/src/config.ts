import { readServiceConfig, type ServiceConfig } from '@signet/demo-kit/config';

export interface Config extends ServiceConfig {
  /** How long after the order the review reminder goes out (QStash delay syntax). */
  reviewDelay: string;
}

/** PORT (3200), APP_URL, DATABASE_URL or PGLITE_DIR, ORDERS_URL_GROUP, REVIEW_DELAY (3d), QSTASH_*. */
export function readConfig(env: Record<string, string | undefined>): Config {
  return { ...readServiceConfig(env, 3200), reviewDelay: env.REVIEW_DELAY || '3d' };
}
