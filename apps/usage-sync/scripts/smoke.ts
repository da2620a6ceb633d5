// `npm run smoke` (after `npm run build`): this app on its own, end to end, with nothing but its
// own dependencies and a Redis (REDIS_URL, default 127.0.0.1:6379): a `signet dev` in memory,
// `next start` on a fresh embedded database with the demo users, API calls counted, "Sync now"
// through the broker to the signed cron endpoint, and one unsigned call refused.
// Exits 0 when all of it held, 1 with the reason otherwise.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDevServer } from '@signet/dev-server';
import { createClient } from 'redis';

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
const data = mkdtempSync(join(tmpdir(), 'usage-sync-smoke-'));
const port = await freePort();
const origin = `http://127.0.0.1:${port}`;
let output = '';
const prefix = `usage-sync-smoke-${process.pid}:`;
const next = join(cwd, 'node_modules', 'next', 'dist', 'bin', 'next');
const app = spawn(process.execPath, [next, 'start', '-p', String(port), '-H', '127.0.0.1'], {
  cwd,
  env: {
    ...process.env,
    PORT: String(port),
    APP_URL: origin,
    PGLITE_DIR: data,
    DATABASE_URL: '',
    SEED_DEMO: '1',
    REDIS_PREFIX: prefix,
    NEXT_TELEMETRY_DISABLED: '1',
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
  await until(
    'the app to start',
    async () => (await fetch(`${origin}/api/spreadsheets/1`)).status === 401,
  );
  for (let i = 0; i < 3; i++) {
    const call = await fetch(`${origin}/api/spreadsheets/1`, {
      headers: { authorization: 'Bearer sk_demo_alice' },
    });
    if (call.status !== 200)
      throw new Error(`an API call answered ${call.status}: ${await call.text()}`);
  }
  const sync = await fetch(`${origin}/api/sync-now`, { method: 'POST', redirect: 'manual' });
  if (sync.status !== 303)
    throw new Error(`"Sync now" answered ${sync.status}: ${await sync.text()}`);
  await until('the synced usage on the dashboard', async () =>
    /data-user="alice@example.com"[\s\S]*?data-testid="synced"[^>]*>3</.test(
      await (await fetch(origin)).text(),
    ),
  );
  const forged = await fetch(`${origin}/api/cron/update-usage`, { method: 'POST', body: '{}' });
  if (forged.status !== 401) throw new Error(`an unsigned call answered ${forged.status}`);
  console.log(
    'smoke: API calls were counted and synced through signet dev to the signed cron endpoint; an unsigned call got 401',
  );
} catch (error) {
  failed = error;
} finally {
  app.kill('SIGTERM');
  await new Promise((resolve) => app.once('exit', resolve));
  await broker.close();
  rmSync(data, { recursive: true, force: true });
  const redis = createClient({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' });
  await redis.connect().catch(() => {});
  if (redis.isReady) {
    for await (const keys of redis.scanIterator({ MATCH: `${prefix}*` }))
      if (keys.length) await redis.del(keys);
    await redis.close();
  }
}
if (failed) {
  console.error(`smoke failed: ${(failed as Error).message}\n--- the app said:\n${output}`);
  process.exit(1);
}
