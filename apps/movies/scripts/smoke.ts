// `npm run smoke` (after `npm run build`): this app on its own, end to end, with nothing but its
// own dependencies and a Redis (REDIS_URL, default 127.0.0.1:6379): a `signet dev` in memory, the
// bundled movie origin, the built app, a movie page (a cache miss, then a hit), a refresh published
// with the official Client to the signed endpoint, and one unsigned call refused.
// Exits 0 when all of it held, 1 with the reason otherwise.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { startDevServer } from '@signet/dev-server';
import { Client } from '@upstash/qstash';
import { createClient } from 'redis';
import { startOrigin } from '../origin/server.ts';

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
const port = await freePort();
const origin = `http://127.0.0.1:${port}`;
let output = '';
const prefix = `movies-smoke-${process.pid}:`;
const movies = await startOrigin({ port: 0, latencyMs: 50 });
const app = spawn(process.execPath, ['build'], {
  cwd,
  env: {
    ...process.env,
    PORT: String(port),
    APP_URL: origin,
    HOST: '127.0.0.1',
    TMDB_BASE_URL: movies.url,
    TMDB_API_KEY: '',
    REDIS_PREFIX: prefix,
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
  await until('the app to start', async () => (await fetch(`${origin}/`)).ok);
  const cache = async () => {
    const page = await fetch(`${origin}/movie/28`);
    if (!page.ok) throw new Error(`the movie page answered ${page.status}`);
    await page.arrayBuffer();
    return page.headers.get('cache-status') ?? '';
  };
  if (!(await cache()).includes('fwd=miss')) throw new Error('the first view was not a cache miss');
  if (!(await cache()).includes('hit')) throw new Error('the second view was not a cache hit');
  const qstash = new Client({ baseUrl: broker.url, token: broker.token });
  const { messageId } = await qstash.publishJSON({
    url: `${origin}/api/refresh`,
    body: { id: 28 },
  });
  await until('the refresh to be delivered', async () => {
    const { logs } = await qstash.logs({ messageIds: [messageId] });
    return logs.some((log) => log.state === 'DELIVERED');
  });
  const forged = await fetch(`${origin}/api/refresh`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"id":28}',
  });
  if (forged.status !== 401) throw new Error(`an unsigned call answered ${forged.status}`);
  console.log(
    'smoke: a movie was cached, and refreshed through signet dev at the signed endpoint; an unsigned call got 401',
  );
} catch (error) {
  failed = error;
} finally {
  app.kill('SIGTERM');
  await new Promise((resolve) => app.once('exit', resolve));
  await broker.close();
  await movies.close();
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
