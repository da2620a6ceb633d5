// The order flow for real: `signet dev` in memory, a PostgreSQL database of its own (both apps'
// tables live in it side by side), and orders and mailer as their own processes, wired the way
// `pnpm dev` wires them.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, dropTestDatabase } from '@signet/app-harness/database';
import { type AppProcess, freePort, startApp } from '@signet/app-harness/process';
import { type DevServer, startDevServer } from '@signet/dev-server';
import { eventually } from '@signet/test-kit';
import { Client } from '@upstash/qstash';
import pg from 'pg';

export { eventually };

export interface Stack {
  broker: DevServer;
  qstash: Client;
  group: string;
  orders: AppProcess;
  mailer: AppProcess;
  sql<T>(query: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

const apps = fileURLToPath(new URL('../../../apps/', import.meta.url));

export async function startStack(): Promise<Stack> {
  const broker = await startDevServer({ port: 0, memory: true, retryScale: 1000, log: () => {} });
  const databaseUrl = await createTestDatabase('orders_test');
  const group = `orders-${randomUUID().slice(0, 8)}`;
  const launch = async (app: 'orders' | 'mailer') => {
    const port = await freePort();
    return startApp({
      command: process.execPath,
      args: ['src/server.ts'],
      cwd: `${apps}${app}`,
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
      },
    });
  };
  // One after the other: both migrate the same database at start.
  const orders = await launch('orders');
  const mailer = await launch('mailer');
  const qstash = new Client({ baseUrl: broker.url, token: broker.token });
  await eventually('both services in the URL group', async () => {
    const found = await qstash.urlGroups.get(group).catch(() => undefined);
    return found && found.endpoints.length === 2;
  });
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });

  return {
    broker,
    qstash,
    group,
    orders,
    mailer,
    async sql<T>(query: string, params: unknown[] = []) {
      return (await pool.query(query, params)).rows as T[];
    },
    async close() {
      await Promise.all([orders.stop(), mailer.stop()]);
      await pool.end();
      await broker.close();
      await dropTestDatabase(databaseUrl);
    },
  };
}

/** A URL group member that answers each attempt with the next status in `statuses` (the last one repeats). */
export async function scriptedReceiver(
  statuses: number[],
): Promise<{ url: string; attempts: () => number; close(): Promise<void> }> {
  let attempts = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const status = statuses[Math.min(attempts, statuses.length - 1)] ?? 200;
      attempts++;
      res.writeHead(status, { 'content-type': 'text/plain' }).end(`attempt ${attempts}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/order-placed`,
    attempts: () => attempts,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
