// Real services for every test file: a PostgreSQL database of its own (dropped afterwards), a
// Redis key prefix of its own, `signet dev` in memory, and the production build under
// `next start`, wired the way `pnpm dev` wires them.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { signRequest } from '@signet/core/testing';
import { type DevServer, startDevServer } from '@signet/dev-server';
import { Client } from '@upstash/qstash';
import { createClient } from 'redis';
import { type Db, openDatabase } from '../lib/db.ts';
import { seed } from '../lib/seed.ts';
import {
  type AppProcess,
  createTestDatabase,
  dropTestDatabase,
  freePort,
  startApp,
} from './support.ts';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const appDir = fileURLToPath(new URL('..', import.meta.url));
const connectRedis = () => createClient({ url: REDIS_URL });

export interface Stack {
  broker: DevServer;
  qstash: Client;
  redis: ReturnType<typeof connectRedis>;
  prefix: string;
  databaseUrl: string | undefined;
  db: Db | undefined;
  app: AppProcess;
  env: Record<string, string>;
  /** GET /api/spreadsheets/{id} with an API key. */
  api(sheet: number | string, apiKey?: string): Promise<Response>;
  /** POST to the cron endpoint, signed for it with the broker's current key unless told otherwise. */
  cron(sign?: { key?: string; url?: string; unsigned?: boolean }): Promise<Response>;
  restart(env?: Record<string, string>): Promise<AppProcess>;
  close(): Promise<void>;
}

export async function startStack(
  options: {
    pgliteDir?: string;
    env?: Record<string, string>;
    /** A PostgreSQL server to make the test database on (default: the machine's). */
    adminUrl?: string;
  } = {},
): Promise<Stack> {
  const prefix = `usage-test-${randomUUID().slice(0, 8)}:`;
  const broker = await startDevServer({ port: 0, memory: true, retryScale: 1000, log: () => {} });
  const redis = connectRedis();
  await redis.connect();
  // PGlite allows one process: the app seeds it itself. Postgres is seeded from here.
  const databaseUrl = options.pgliteDir
    ? undefined
    : await createTestDatabase('usage_sync_test', options.adminUrl);
  const handle = databaseUrl ? await openDatabase({ databaseUrl }) : undefined;
  if (handle) await seed(handle.db);

  const port = await freePort();
  const env: Record<string, string> = {
    PORT: String(port),
    HOSTNAME: '127.0.0.1',
    NEXT_TELEMETRY_DISABLED: '1',
    APP_URL: `http://127.0.0.1:${port}`,
    REDIS_URL,
    REDIS_PREFIX: prefix,
    QSTASH_URL: broker.url,
    QSTASH_TOKEN: broker.token,
    QSTASH_CURRENT_SIGNING_KEY: broker.keys.current,
    QSTASH_NEXT_SIGNING_KEY: broker.keys.next,
    ...(databaseUrl
      ? { DATABASE_URL: databaseUrl }
      : { DATABASE_URL: '', PGLITE_DIR: options.pgliteDir as string, SEED_DEMO: '1' }),
    ...options.env,
  };
  const launch = (extra: Record<string, string> = {}) =>
    startApp({
      args: ['node_modules/next/dist/bin/next', 'start', '-p', String(port), '-H', '127.0.0.1'],
      cwd: appDir,
      port,
      readyPath: '/api/spreadsheets/1',
      env: { ...env, ...extra },
      timeoutMs: 90_000,
    });

  const stack: Stack = {
    broker,
    qstash: new Client({ baseUrl: broker.url, token: broker.token }),
    redis,
    prefix,
    databaseUrl,
    db: handle?.db,
    env,
    app: await launch(),
    api(sheet, apiKey = 'sk_demo_alice') {
      return fetch(`${stack.app.origin}/api/spreadsheets/${sheet}`, {
        headers: { authorization: `Bearer ${apiKey}` },
      });
    },
    async cron(sign = {}) {
      const url = `${stack.app.origin}/api/cron/update-usage`;
      const body = JSON.stringify({ trigger: 'test' });
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (!sign.unsigned) {
        Object.assign(
          headers,
          (await signRequest({ url: sign.url ?? url, body, key: sign.key ?? broker.keys.current }))
            .headers,
        );
      }
      return fetch(url, { method: 'POST', headers, body });
    },
    async restart(extra) {
      await stack.app.stop();
      stack.app = await launch(extra);
      return stack.app;
    },
    async close() {
      await stack.app.stop();
      await broker.close();
      await handle?.close();
      if (databaseUrl) await dropTestDatabase(databaseUrl, options.adminUrl);
      for await (const keys of redis.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
        if (keys.length) await redis.del(keys);
      }
      await redis.close();
    },
  };
  return stack;
}

export { eventually } from './support.ts';
