import { Agent, request } from 'node:http';
import { DEV_SIGNING_KEYS } from '@signet/core';
import { eventually } from '@signet/test-kit';
import { Client } from '@upstash/qstash';
import { afterEach, describe, expect, it } from 'vitest';
import { startDevServer } from '../src/index.ts';
import { sleep, tempDir } from './helpers/broker.ts';
import { startCli } from './helpers/cli.ts';
import { startReceiver, type TestReceiver } from './helpers/receiver.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function receiver(): Promise<TestReceiver> {
  const started = await startReceiver(() => DEV_SIGNING_KEYS);
  cleanups.push(() => started.close());
  return started;
}

function folder() {
  const dir = tempDir();
  cleanups.push(() => dir.remove());
  return dir.path;
}

describe('restarts', () => {
  it('keeps delayed messages, schedules, groups and queues across a restart on the same data folder', async () => {
    const dataDir = folder();
    const rx = await receiver();
    const first = await startDevServer({ port: 0, dataDir });
    const client = new Client({ baseUrl: first.url, token: first.token, retry: false });
    await client.publish({ url: rx.url('/later'), body: 'kept', delay: 3600 });
    const { scheduleId } = await client.schedules.create({
      destination: rx.url('/cron'),
      cron: '0 0 1 1 *',
    });
    await client.urlGroups.addEndpoints({
      name: 'kept-group',
      endpoints: [{ url: rx.url('/group') }],
    });
    await client.queue({ queueName: 'kept-queue' }).upsert({ parallelism: 4 });
    await first.close();

    const second = await startDevServer({ port: 0, dataDir });
    cleanups.push(() => second.close());
    const again = new Client({ baseUrl: second.url, token: second.token, retry: false });
    expect((await again.schedules.get(scheduleId)).cron).toBe('0 0 1 1 *');
    expect((await again.urlGroups.get('kept-group')).endpoints).toEqual([
      { url: rx.url('/group') },
    ]);
    expect((await again.queue({ queueName: 'kept-queue' }).get()).parallelism).toBe(4);
    await fetch(`${second.url}/v2/dev/deliver-now`, {
      method: 'POST',
      headers: { authorization: `Bearer ${second.token}` },
    });
    const [delivery] = await rx.waitFor(1, '/later');
    expect(delivery?.text).toBe('kept');
    expect(delivery?.signet).toBe(true);
  });

  it('sends again, after a restart, a delivery that shutdown interrupted, without counting it as a retry', async () => {
    const dataDir = folder();
    const rx = await receiver();
    rx.on('/interrupted', (_delivery, attempt) => (attempt === 0 ? { hang: true } : {}));
    const first = await startDevServer({ port: 0, dataDir });
    const client = new Client({ baseUrl: first.url, token: first.token, retry: false });
    await client.publish({ url: rx.url('/interrupted'), body: 'x' });
    await rx.waitFor(1, '/interrupted');
    await first.close();

    const second = await startDevServer({ port: 0, dataDir });
    cleanups.push(() => second.close());
    const [, retried] = await rx.waitFor(2, '/interrupted');
    expect(retried?.headers['upstash-retried']).toBe('0');
    expect(retried?.signet).toBe(true);
  });
});

describe('crash safety', () => {
  it('delivers every message acknowledged before a SIGKILL at least once after restart, all correctly signed', async () => {
    const dataDir = folder();
    const rx = await receiver();
    // Slow answers before the kill, so deliveries are on the wire when it lands; quick ones after.
    let slow = true;
    rx.on('/load', () => ({ delayMs: slow ? 200 : 0 }));
    // Few delivery slots and slow answers, so a backlog of acknowledged messages builds up.
    const args = ['dev', '--port', '0', '--data', dataDir, '--quiet', '--concurrency', '8'];
    const broker = await startCli(args);
    cleanups.push(() => void broker.child.kill('SIGKILL'));

    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    cleanups.push(() => agent.destroy());
    const acknowledged = new Set<string>();
    let publishing = true;
    let sequence = 0;
    const publishOne = (n: number) =>
      new Promise<void>((resolve) => {
        const body = `m${n}`;
        const req = request(`${broker.url}/v2/publish/${rx.url('/load')}`, {
          method: 'POST',
          agent,
          headers: { authorization: `Bearer ${DEV_TOKEN_FOR_TEST}`, 'content-type': 'text/plain' },
        });
        req.on('response', (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode === 201) acknowledged.add(body);
            resolve();
          });
          res.on('error', () => resolve());
        });
        req.on('error', () => resolve()); // the broker died mid-request: not acknowledged
        req.end(body);
      });
    const publishers = Array.from({ length: 16 }, async () => {
      while (publishing) await publishOne(sequence++);
    });

    // Kill once enough is acknowledged and deliveries are on the wire, however busy the machine
    // is (not after a fixed time).
    const loadDeadline = Date.now() + 20_000;
    while ((acknowledged.size < 300 || rx.unanswered.size === 0) && Date.now() < loadDeadline) {
      await sleep(5);
    }
    // Deliveries on the wire when the broker dies: it never hears back, so it must send them
    // again. Taken in the same tick as the kill: the receiver (this process) cannot answer
    // in between, and its pending answers go on emptying the set afterwards.
    const cutOff = [...rx.unanswered].map((delivery) => delivery.text);
    broker.child.kill('SIGKILL');
    expect(await broker.exited).toBe('SIGKILL');
    slow = false;
    publishing = false;
    await Promise.all(publishers);
    const deliveredBeforeKill = new Set(rx.to('/load').map((delivery) => delivery.text));
    const outstanding = [...acknowledged].filter((body) => !deliveredBeforeKill.has(body));
    // The kill must have left acknowledged work undelivered, or this test proves nothing.
    expect(acknowledged.size).toBeGreaterThan(200);
    expect(outstanding.length).toBeGreaterThan(20);
    expect(cutOff.length).toBeGreaterThan(0);

    const restarted = await startCli(args);
    cleanups.push(async () => {
      restarted.child.kill('SIGTERM');
      await restarted.exited;
    });
    const deadline = Date.now() + 20_000;
    for (;;) {
      const delivered = new Set(rx.to('/load').map((delivery) => delivery.text));
      const missing = [...acknowledged].filter((body) => !delivered.has(body));
      if (missing.length === 0) break;
      if (Date.now() > deadline)
        throw new Error(
          `${missing.length} acknowledged messages never delivered, e.g. ${missing.slice(0, 5)}`,
        );
      await sleep(50);
    }
    const receivedTimes = (body: string) =>
      rx.to('/load').filter((delivery) => delivery.text === body).length;
    await eventually('the deliveries cut off by the kill to be sent again', () =>
      cutOff.every((body) => receivedTimes(body) >= 2),
    );
    const bad = rx
      .to('/load')
      .filter((delivery) => delivery.official !== true || delivery.signet !== true);
    expect(bad).toEqual([]);
  });
});

const DEV_TOKEN_FOR_TEST =
  'eyJVc2VySUQiOiJkZWZhdWx0VXNlciIsIlBhc3N3b3JkIjoiZGVmYXVsdFBhc3N3b3JkIn0=';
