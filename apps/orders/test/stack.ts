// This app for real: `signet dev` in memory and the shop as its own process on a PostgreSQL
// database of its own, joined to a URL group of its own.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { type DevServer, startDevServer } from '@signet/dev-server';
import { Client } from '@upstash/qstash';
import pg from 'pg';
import { type AppProcess, eventually, freePort, startApp } from './support.ts';

export interface Stack {
  broker: DevServer;
  qstash: Client;
  group: string;
  orders: AppProcess;
  sql<T>(query: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

const cwd = fileURLToPath(new URL('..', import.meta.url));

export async function startStack(
  databaseUrl: string,
  extraEnv: Record<string, string> = {},
): Promise<Stack> {
  const broker = await startDevServer({ port: 0, memory: true, retryScale: 1000, log: () => {} });
  const group = `orders-${randomUUID().slice(0, 8)}`;
  const port = await freePort();
  const orders = await startApp({
    args: ['src/server.ts'],
    cwd,
    port,
    readyPath: '/healthz',
    env: {
      PORT: String(port),
      APP_URL: `http://127.0.0.1:${port}`,
      DATABASE_URL: databaseUrl,
      ORDERS_URL_GROUP: group,
      QSTASH_URL: broker.url,
      QSTASH_TOKEN: broker.token,
      QSTASH_CURRENT_SIGNING_KEY: broker.keys.current,
      QSTASH_NEXT_SIGNING_KEY: broker.keys.next,
      ...extraEnv,
    },
  });
  const qstash = new Client({ baseUrl: broker.url, token: broker.token });
  await eventually('the shop in its URL group', async () => {
    const found = await qstash.urlGroups.get(group).catch(() => undefined);
    return found && found.endpoints.length === 1;
  });
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  pool.on('error', () => {}); // the outage test stops the server under it
  return {
    broker,
    qstash,
    group,
    orders,
    async sql<T>(query: string, params: unknown[] = []) {
      return (await pool.query(query, params)).rows as T[];
    },
    async close() {
      await orders.stop();
      await pool.end();
      await broker.close();
    },
  };
}

/** A purchase as the shop's JSON API takes it. */
export function buy(stack: Stack, requestId: string, productId = 1, quantity = 1) {
  return fetch(`${stack.orders.origin}/api/purchase`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': requestId },
    body: JSON.stringify({ productId, quantity, email: 'ada@example.com' }),
  });
}
