// Every setting the app reads, with its default, in one place.
import type { Plan } from './schema.ts';

export interface Config {
  databaseUrl: string | undefined;
  pgliteDir: string;
  redisUrl: string;
  redisPrefix: string;
  /** Calls allowed per period, by plan. */
  limits: Record<Plan, number>;
  /** A user's counter starts at their first call and lasts this long. */
  periodSeconds: number;
  appUrl: string | undefined;
  qstash: { url: string | undefined; token: string | undefined };
  scheduleId: string;
  cron: string;
}

type Env = Record<string, string | undefined>;

function positive(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0)
    throw new Error(`${name} must be a whole number above 0, got "${raw}"`);
  return value;
}

export function readConfig(env: Env): Config {
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    pgliteDir: env.PGLITE_DIR || '.data/pglite',
    redisUrl: env.REDIS_URL || 'redis://127.0.0.1:6379',
    // Every key this app writes starts with this, so it can share a Redis with other apps.
    redisPrefix: env.REDIS_PREFIX ?? 'usage-sync:',
    limits: { FREE: positive(env, 'FREE_LIMIT', 500), PRO: positive(env, 'PRO_LIMIT', 10_000) },
    periodSeconds: positive(env, 'QUOTA_PERIOD_SECONDS', 30 * 86_400),
    appUrl: env.APP_URL ? new URL(env.APP_URL).origin : undefined,
    qstash: { url: env.QSTASH_URL || undefined, token: env.QSTASH_TOKEN || undefined },
    scheduleId: env.SYNC_SCHEDULE_ID || 'usage-sync-hourly',
    cron: env.SYNC_CRON || '0 * * * *',
  };
}

let current: Config | undefined;
/** The configuration from process.env, read once. */
export const config = (): Config => {
  current ??= readConfig(process.env);
  return current;
};
