// `npm run smoke`: this app on its own, end to end, with nothing but its own dependencies: a
// `signet dev` in memory, the ledger on a fresh embedded database, one order event published with
// the official Client to the signed hook (booked in the ledger), and one unsigned call refused.
// Exits 0 when all of it held, 1 with the reason otherwise.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDevServer } from '@signet/dev-server';
import { Client } from '@upstash/qstash';

const cwd = fileURLToPath(new URL('..', import.meta.url));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function until<T>(
  what: string,
  check: () => Promise<T | false | undefined>,
  ms = 60_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const broker = await startDevServer({ port: 0, memory: true, log: () => {} });
const data = mkdtempSync(join(tmpdir(), 'ledger-smoke-'));
const port = await freePort();
const origin = `http://127.0.0.1:${port}`;
let output = '';
const app = spawn(process.execPath, ['src/server.ts'], {
  cwd,
  env: {
    ...process.env,
    PORT: String(port),
    APP_URL: origin,
    PGLITE_DIR: data,
    DATABASE_URL: '',
    ORDERS_URL_GROUP: 'orders-smoke',
    QSTASH_URL: broker.url,
    QSTASH_TOKEN: broker.token,
    QSTASH_CURRENT_SIGNING_KEY: broker.keys.current,
    QSTASH_NEXT_SIGNING_KEY: broker.keys.next,
  },
  stdio: ['ignore', 'pipe', 'pipe'],
});
app.stdout?.on('data', (chunk: Buffer) => {
  output += chunk;
});
app.stderr?.on('data', (chunk: Buffer) => {
  output += chunk;
});

let failed: unknown;
try {
  await until('the ledger to start', async () => (await fetch(`${origin}/healthz`)).ok);
  const qstash = new Client({ baseUrl: broker.url, token: broker.token });
  await qstash.publishJSON({
    url: `${origin}/hooks/order-placed`,
    body: {
      type: 'order.placed',
      order: {
        id: 1,
        email: 'smoke@example.com',
        quantity: 2,
        product: { id: 1, name: 'Signet mug', priceCents: 1400 },
      },
    },
  });
  await until('the order in the ledger', async () =>
    (await (await fetch(`${origin}/`)).text()).includes('data-order="1"'),
  );
  const forged = await fetch(`${origin}/hooks/order-placed`, { method: 'POST', body: '{}' });
  if (forged.status !== 401) throw new Error(`an unsigned call answered ${forged.status}`);
  console.log(
    'smoke: an order event went through signet dev to the signed hook; an unsigned call got 401',
  );
} catch (error) {
  failed = error;
} finally {
  app.kill('SIGTERM');
  await new Promise((resolve) => app.once('exit', resolve));
  await broker.close();
  rmSync(data, { recursive: true, force: true });
}
if (failed) {
  console.error(`smoke failed: ${(failed as Error).message}\n--- the app said:\n${output}`);
  process.exit(1);
}
