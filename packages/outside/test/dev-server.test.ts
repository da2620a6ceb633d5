// The `signet dev` quick start, in a brand-new npm project: the README's install line (from the
// packed tarballs), `npx signet dev` as written, its printed lines pasted into .env, and the
// README's publish.mts run with them. The message arrives at a receiver, signed.
import { createServer, type Server } from 'node:http';
import { createVerifier } from '@signet/core';
import { eventually } from '@signet/test-kit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  freePort,
  newProject,
  npm,
  type Running,
  run,
  start,
  withTarballs,
  write,
} from './project.ts';
import { readme } from './readme.ts';

const quickStart = readme('packages/dev-server/README.md');
let dir: string;
let broker: Running;
let receiver: Server;
const received: { path: string; verified: string }[] = [];

beforeAll(async () => {
  expect(quickStart.dev).toBe(true);
  dir = newProject('signet-dev');
  npm(dir, ['install', '-D', ...withTarballs(quickStart.install)]);
  // The app that publishes has the official Client, as the README assumes.
  npm(dir, ['install', '@upstash/qstash@2']);
  // `npx signet dev` as written; the port by its documented variable, since 8080 may be taken.
  broker = await start(dir, 'npx', ['signet', 'dev'], {
    env: { QSTASH_DEV_PORT: String(await freePort()) },
    ready: (output) => output.includes('Messages, schedules and dead letters'),
  });
}, 600_000);
afterAll(async () => {
  await broker?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
});

it('prints the lines to paste into .env, and publish.mts delivers a signed message with them', async () => {
  const env = broker
    .output()
    .split('\n')
    .filter((line) => /^QSTASH_[A-Z_]+=\S+$/.test(line));
  expect(env.map((line) => line.split('=')[0])).toEqual([
    'QSTASH_URL',
    'QSTASH_TOKEN',
    'QSTASH_CURRENT_SIGNING_KEY',
    'QSTASH_NEXT_SIGNING_KEY',
  ]);
  const values = Object.fromEntries(
    env.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  const verifier = createVerifier({
    currentSigningKey: values.QSTASH_CURRENT_SIGNING_KEY,
    nextSigningKey: values.QSTASH_NEXT_SIGNING_KEY,
  });
  const port = await freePort();
  receiver = createServer(async (req, res) => {
    const verified = await verifier
      .verify({
        signature: req.headers['upstash-signature'] as string,
        body: req,
        url: `http://${req.headers.host}${req.url}`,
      })
      .then(
        (message) => message.text(),
        (error: Error) => `refused: ${error.message}`,
      );
    received.push({ path: req.url ?? '', verified });
    res.end('ok');
  });
  await new Promise<void>((resolve) => receiver.listen(port, resolve));

  // The README's file as written, but for the port of the quick-start server it publishes to.
  const publish = (quickStart.files['publish.mts'] as string).replace(
    'localhost:3000',
    `localhost:${port}`,
  );
  write(dir, { '.env': `${env.join('\n')}\n`, 'publish.mts': publish });
  run(dir, process.execPath, ['--env-file=.env', 'publish.mts']);
  const [delivery] = await eventually('the delivery', () => received.length > 0 && received);
  expect(delivery).toEqual({ path: '/hooks/order-placed', verified: '{"id":"o_1"}' });
});
