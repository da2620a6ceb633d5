// Everything a test needs, real and on loopback: Redis (its own key prefix per run), the
// bundled origin in this process (so tests can steer it), `signet dev` in memory, and the
// built app as its own process, wired together the way `pnpm dev` wires them.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { signRequest } from '@signet/core/testing';
import { type DevServer, startDevServer } from '@signet/dev-server';
import { Client } from '@upstash/qstash';
import { createClient } from 'redis';
import { type Origin, startOrigin } from '../origin/server.ts';
import { type AppProcess, freePort, startApp } from './support.ts';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const appDir = fileURLToPath(new URL('..', import.meta.url));
const connectRedis = () => createClient({ url: REDIS_URL });

export interface Stack {
  origin: Origin;
  broker: DevServer;
  qstash: Client;
  redis: ReturnType<typeof connectRedis>;
  prefix: string;
  app: AppProcess;
  /** GET a page of the app; `status` is the RFC 9211 outcome word (hit, stale, miss, bypass). */
  page(path: string): Promise<{ status: number; cache: string; html: string; response: Response }>;
  /** POST to /api/refresh, signed for that URL with the broker's current key unless told otherwise. */
  refresh(
    body: unknown,
    sign?: { key?: string; url?: string; signature?: string | null },
  ): Promise<Response>;
  startApp(env?: Record<string, string>): Promise<AppProcess>;
  close(): Promise<void>;
}

export function cacheOutcome(header: string | null): string {
  if (!header) return 'none';
  if (header.includes('stale')) return 'stale';
  if (header.includes('fwd=bypass')) return 'bypass';
  if (header.includes('fwd=miss')) return 'miss';
  return header.includes('; hit') ? 'hit' : header;
}

export async function startStack(options: { originLatencyMs?: number } = {}): Promise<Stack> {
  const prefix = `movies-test-${randomUUID().slice(0, 8)}:`;
  const origin = await startOrigin({ latencyMs: options.originLatencyMs ?? 20 });
  // Retries 1000× faster than QStash's backoff: the first comes after ~12 ms.
  const broker = await startDevServer({ port: 0, memory: true, retryScale: 1000, log: () => {} });
  const redis = connectRedis();
  await redis.connect();

  const apps: AppProcess[] = [];
  async function launch(env: Record<string, string> = {}): Promise<AppProcess> {
    const port = await freePort();
    const app = await startApp({
      args: ['build/index.js'],
      cwd: appDir,
      port,
      readyPath: '/api/refresh',
      env: {
        HOST: '127.0.0.1',
        PORT: String(port),
        APP_URL: `http://127.0.0.1:${port}`,
        TMDB_BASE_URL: origin.url,
        TMDB_API_KEY: '',
        TMDB_TIMEOUT_SECONDS: '1',
        REDIS_URL,
        REDIS_PREFIX: prefix,
        QSTASH_URL: broker.url,
        QSTASH_TOKEN: broker.token,
        QSTASH_CURRENT_SIGNING_KEY: broker.keys.current,
        QSTASH_NEXT_SIGNING_KEY: broker.keys.next,
        ...env,
      },
    });
    apps.push(app);
    return app;
  }
  const app = await launch();

  return {
    origin,
    broker,
    qstash: new Client({ baseUrl: broker.url, token: broker.token }),
    redis,
    prefix,
    app,
    startApp: launch,
    async page(path) {
      const response = await fetch(`${app.origin}${path}`, { redirect: 'manual' });
      const html = await response.text();
      return {
        status: response.status,
        cache: cacheOutcome(response.headers.get('cache-status')),
        html,
        response,
      };
    },
    async refresh(body, sign = {}) {
      const url = `${app.origin}/api/refresh`;
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (sign.signature !== null) {
        const signed = await signRequest({
          url: sign.url ?? url,
          body: text,
          key: sign.key ?? broker.keys.current,
        });
        Object.assign(headers, signed.headers);
        if (sign.signature) headers['upstash-signature'] = sign.signature;
      }
      return fetch(url, { method: 'POST', headers, body: text });
    },
    async close() {
      await Promise.all(apps.map((running) => running.stop()));
      await broker.close();
      await origin.close();
      for await (const keys of redis.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
        if (keys.length) await redis.del(keys);
      }
      await redis.close();
    },
  };
}

export { eventually } from './support.ts';
