// The @signet/lambda quick start, in a brand-new npm project: the README's install line (from the
// packed tarballs), its handler.mts and local.mts, its .env, started with its command. A message
// published through `signet dev` with the official Client reaches the handler; an unsigned call
// gets a 401 problem.
import { type DevServer, startDevServer } from '@signet/dev-server';
import { eventually } from '@signet/test-kit';
import { Client } from '@upstash/qstash';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  answers,
  envFile,
  freePort,
  newProject,
  npm,
  type Running,
  start,
  withTarballs,
  write,
} from './project.ts';
import { readme } from './readme.ts';

const quickStart = readme('packages/lambda/README.md');
let broker: DevServer;
let server: Running;
let origin: string;

beforeAll(async () => {
  broker = await startDevServer({ port: 0, memory: true, log: () => {} });
  expect(Object.keys(quickStart.files).sort()).toEqual(['.env', 'handler.mts', 'local.mts']);
  const dir = newProject('lambda');
  npm(dir, ['install', ...withTarballs(quickStart.install)]);
  const port = await freePort();
  origin = `http://localhost:${port}`;
  write(dir, {
    'handler.mts': quickStart.files['handler.mts'] as string,
    'local.mts': quickStart.files['local.mts'] as string,
    '.env': envFile(quickStart.files['.env'] as string, {
      QSTASH_CURRENT_SIGNING_KEY: broker.keys.current,
      QSTASH_NEXT_SIGNING_KEY: broker.keys.next,
      SIGNET_ORIGIN: origin,
    }),
  });
  expect(quickStart.text).toContain('node --env-file=.env local.mts');
  server = await start(dir, process.execPath, ['--env-file=.env', 'local.mts'], {
    env: { PORT: String(port) },
    ready: answers(`http://127.0.0.1:${port}/`),
  });
});
afterAll(async () => {
  await server?.stop();
  await broker?.close();
});

it('lets in a message published through signet dev with the official Client', async () => {
  const qstash = new Client({ baseUrl: broker.url, token: broker.token });
  const { messageId } = await qstash.publishJSON({
    url: `${origin}/hooks/order-placed`,
    body: { orderId: 'o_1', total: 42 },
  });
  await eventually(`the handler to log ${messageId}`, () =>
    server.output().includes(`message ${messageId}`),
  );
});

it('refuses an unsigned call with a 401 problem', async () => {
  const response = await fetch(`${origin}/hooks/order-placed`, { method: 'POST', body: '{}' });
  expect(response.status).toBe(401);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
});
