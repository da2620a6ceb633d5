// The quick starts that are a whole server (core on node:http, Hono, Express, Fastify, h3): in a brand-new npm
// project, installed with the README's own install line (Signet from its packed tarballs), the
// README's file and .env, started with the README's command. A message published through
// `signet dev` with the official Client reaches the handler; an unsigned call gets a 401 problem.
import { type DevServer, startDevServer } from '@signet/dev-server';
import { eventually } from '@signet/test-kit';
import { Client } from '@upstash/qstash';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

let broker: DevServer;
beforeAll(async () => {
  broker = await startDevServer({ port: 0, memory: true, log: () => {} });
});
afterAll(() => broker?.close());

describe.each([
  ['@signet/core', 'packages/core/README.md', '/any/path'],
  ['@signet/hono', 'packages/hono/README.md', '/hooks/order-placed'],
  ['@signet/express', 'packages/express/README.md', '/hooks/order-placed'],
  ['@signet/fastify', 'packages/fastify/README.md', '/hooks/order-placed'],
  // The README's first install line is for Nuxt, which brings h3; a plain h3 app adds it.
  ['@signet/h3', 'packages/h3/README.md', '/hooks/order-placed', 'npm install @signet/h3 h3'],
])('the %s quick start, in a brand-new npm project', (_name, path, route, installLine?: string) => {
  const quickStart = readme(path);
  let server: Running;
  let origin: string;

  beforeAll(async () => {
    expect(Object.keys(quickStart.files)).toEqual(expect.arrayContaining(['.env', 'server.mts']));
    const dir = newProject('quickstart');
    if (installLine) expect(quickStart.text).toContain(installLine);
    const packages = installLine ? installLine.split(' ').slice(2) : quickStart.install;
    npm(dir, ['install', ...withTarballs(packages)]);
    const port = await freePort();
    origin = `http://localhost:${port}`;
    write(dir, {
      'server.mts': quickStart.files['server.mts'] as string,
      '.env': envFile(quickStart.files['.env'] as string, {
        QSTASH_CURRENT_SIGNING_KEY: broker.keys.current,
        QSTASH_NEXT_SIGNING_KEY: broker.keys.next,
        SIGNET_ORIGIN: origin,
      }),
    });
    // The README's command; PORT only because 3000 may be taken on a test machine.
    server = await start(dir, process.execPath, ['--env-file=.env', 'server.mts'], {
      env: { PORT: String(port) },
      ready: answers(`http://127.0.0.1:${port}/`),
    });
  });
  afterAll(() => server?.stop());

  it('lets in a message published through signet dev with the official Client', async () => {
    const qstash = new Client({ baseUrl: broker.url, token: broker.token });
    const { messageId } = await qstash.publishJSON({
      url: `${origin}${route}`,
      body: { orderId: 'o_1', total: 42 },
    });
    await eventually(`the handler to log ${messageId}`, () =>
      server.output().includes(`message ${messageId}`),
    );
  });

  it('refuses an unsigned call with a 401 problem', async () => {
    const response = await fetch(`${origin}${route}`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  });
});
