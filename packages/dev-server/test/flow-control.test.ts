// Flow control as hosted QStash does it, driven by the official Client: deliveries sharing a key
// never exceed its parallelism nor its rate per period (checked as counts, not wall-clock
// equalities), pause holds them, pin overrides, the info endpoint reports the wait list, and a
// SIGKILL while messages wait loses none and breaks no limit.
import { DEV_SIGNING_KEYS } from '@signet/core';
import { eventually } from '@signet/test-kit';
import { Client } from '@upstash/qstash';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_TOKEN } from '../src/server.ts';
import { type Harness, startHarness, tempDir } from './helpers/broker.ts';
import { startCli } from './helpers/cli.ts';
import { startReceiver } from './helpers/receiver.ts';

let h: Harness;
const dir = tempDir();
beforeAll(async () => {
  h = await startHarness({ memory: false, dataDir: dir.path });
});
afterAll(async () => {
  await h.close();
  dir.remove();
});

const publishMany = (count: number, path: string, flowControl: Record<string, unknown>) =>
  Promise.all(
    Array.from({ length: count }, (_, i) =>
      h.client.publish({
        url: h.receiver.url(path),
        body: String(i),
        flowControl: flowControl as { key: string; parallelism: number },
      }),
    ),
  );

/** A message outside any key, delivered: the dispatcher has taken a turn since `before`. */
async function turnTaken(tag: string): Promise<void> {
  await h.client.publish({ url: h.receiver.url(`/turn-${tag}`), body: 'x' });
  await h.receiver.waitFor(1, `/turn-${tag}`);
}

describe('parallelism', () => {
  it('never has more than parallelism deliveries of a key on the wire, and delivers them all', async () => {
    h.receiver.on('/par', () => ({ delayMs: 60 }));
    await publishMany(12, '/par', { key: 'par-2', parallelism: 2 });
    const info = await h.client.flowControl.get('par-2');
    expect(info).toMatchObject({ flowControlKey: 'par-2', parallelismMax: 2, isPaused: false });
    expect(info.parallelismCount).toBeLessThanOrEqual(2);
    expect(info.waitListSize).toBeGreaterThan(0);
    await h.receiver.waitFor(12, '/par', 15_000);
    // Never more than two at once (as many as two when the machine is busy is not guaranteed).
    expect(h.receiver.busy.get('/par')?.max).toBeLessThanOrEqual(2);
    expect((await h.client.flowControl.get('par-2')).waitListSize).toBe(0);
  });

  it('shares the limit between destinations with the same key', async () => {
    h.receiver.on('/shared-a', () => ({ delayMs: 60 }));
    h.receiver.on('/shared-b', () => ({ delayMs: 60 }));
    let inFlight = 0;
    let most = 0;
    for (const path of ['/shared-a', '/shared-b']) {
      h.receiver.on(path, () => {
        inFlight++;
        most = Math.max(most, inFlight);
        setTimeout(() => inFlight--, 60);
        return { delayMs: 60 };
      });
    }
    await Promise.all([
      publishMany(5, '/shared-a', { key: 'shared-1', parallelism: 1 }),
      publishMany(5, '/shared-b', { key: 'shared-1', parallelism: 1 }),
    ]);
    await h.receiver.waitFor(5, '/shared-a', 15_000);
    await h.receiver.waitFor(5, '/shared-b', 15_000);
    expect(most).toBe(1);
  });
});

describe('rate', () => {
  it('starts at most rate deliveries per period', async () => {
    await publishMany(9, '/rate', { key: 'rate-3', rate: 3, period: 1 });
    await h.receiver.waitFor(9, '/rate', 15_000);
    // The broker's own start times (ACTIVE in the log), so delivery latency does not blur them.
    const { logs } = await h.client.logs({ filter: { flowControlKey: 'rate-3', state: 'ACTIVE' } });
    const at = logs.map((log) => log.time).sort((a, b) => a - b);
    expect(at).toHaveLength(9);
    const first = at[0] as number;
    // Periods are fixed windows from the first start: the (3k+1)-th start is in window k or later.
    for (let k = 1; k * 3 < at.length; k++) {
      expect((at[k * 3] as number) - first).toBeGreaterThanOrEqual(k * 1000);
    }
    const info = await h.client.flowControl.get('rate-3');
    expect(info).toMatchObject({ rateMax: 3, ratePeriod: 1 });
  });

  it('resets the rate count on request', async () => {
    await publishMany(1, '/reset', { key: 'reset-1', rate: 1, period: 60 });
    await h.receiver.waitFor(1, '/reset');
    expect((await h.client.flowControl.get('reset-1')).rateCount).toBe(1);
    await publishMany(1, '/reset', { key: 'reset-1', rate: 1, period: 60 });
    await turnTaken('reset');
    expect(h.receiver.to('/reset')).toHaveLength(1); // held: one start per minute
    await h.client.flowControl.resetRate('reset-1');
    await h.receiver.waitFor(2, '/reset');
  });
});

describe('pause, resume, pin', () => {
  it('holds a paused key’s messages until it is resumed', async () => {
    await h.client.flowControl.pause('held');
    await publishMany(2, '/held', { key: 'held', parallelism: 5 });
    await turnTaken('held');
    expect(h.receiver.to('/held')).toHaveLength(0);
    expect(await h.client.flowControl.get('held')).toMatchObject({
      isPaused: true,
      waitListSize: 2,
    });
    await h.client.flowControl.resume('held');
    await h.receiver.waitFor(2, '/held');
  });

  it('uses a pinned parallelism over what messages ask for, until unpinned', async () => {
    await h.client.flowControl.pin('pinned', { parallelism: 1 });
    expect((await h.client.flowControl.get('pinned')).isPinnedParallelism).toBe(true);
    h.receiver.on('/pinned', () => ({ delayMs: 40 }));
    await publishMany(6, '/pinned', { key: 'pinned', parallelism: 6 });
    await h.receiver.waitFor(6, '/pinned', 15_000);
    expect(h.receiver.busy.get('/pinned')?.max).toBe(1);
    await h.client.flowControl.unpin('pinned', { parallelism: true });
    expect((await h.client.flowControl.get('pinned')).isPinnedParallelism).toBe(false);
  });

  it('reports the global parallelism', async () => {
    const global = await h.client.flowControl.getGlobalParallelism();
    expect(global.parallelismMax).toBeGreaterThan(0);
    expect(global.parallelismCount).toBeGreaterThanOrEqual(0);
  });

  it('refuses bad flow-control settings with a 400, storing nothing', async () => {
    for (const value of ['parallelism=0', 'rate=-1', 'speed=3', 'period=1s', 'parallelism']) {
      const response = await h.api(`/v2/publish/${h.receiver.url('/never')}`, {
        method: 'POST',
        headers: { 'upstash-flow-control-key': 'bad', 'upstash-flow-control-value': value },
        body: 'x',
      });
      expect(response.status, value).toBe(400);
    }
    expect(
      await h.client.flowControl.get('bad').then(
        () => 200,
        (error: { status: number }) => error.status,
      ),
    ).toBe(404);
  });
});

describe('the key on what the API returns', () => {
  it('shows on messages, schedules and the log', async () => {
    const { messageId } = (await h.client.publish({
      url: h.receiver.url('/shown'),
      body: 'x',
      delay: 3600,
      flowControl: { key: 'shown', parallelism: 3, rate: 10, period: '1m' },
    })) as { messageId: string };
    expect(await h.client.messages.get(messageId)).toMatchObject({
      flowControlKey: 'shown',
      parallelism: 3,
      rate: 10,
      period: 60,
    });
    const { logs } = await h.client.logs({ filter: { flowControlKey: 'shown' } });
    expect(logs.map((log) => log.messageId)).toContain(messageId);
    await h.client.messages.cancel(messageId);

    const { scheduleId } = await h.client.schedules.create({
      destination: h.receiver.url('/shown'),
      cron: '0 0 1 1 *',
      flowControl: { key: 'shown', parallelism: 2 },
    });
    expect(await h.client.schedules.get(scheduleId)).toMatchObject({
      flowControlKey: 'shown',
      parallelism: 2,
    });
    await h.client.schedules.delete(scheduleId);
  });
});

describe('durability', () => {
  it('keeps waiting flow-controlled messages and their limits across a SIGKILL', async () => {
    const data = tempDir();
    const rx = await startReceiver(() => DEV_SIGNING_KEYS);
    rx.on('/durable', () => ({ delayMs: 100 }));
    const args = ['dev', '--port', '0', '--data', data.path, '--quiet'];
    const broker = await startCli(args);
    try {
      const client = new Client({ baseUrl: broker.url, token: DEV_TOKEN, retry: false });
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          client.publish({
            url: rx.url('/durable'),
            body: String(i),
            flowControl: { key: 'durable-2', parallelism: 2 },
          }),
        ),
      );
      await rx.waitFor(2, '/durable');
      broker.child.kill('SIGKILL');
      expect(await broker.exited).toBe('SIGKILL');
      // From here on, count what the restarted broker has on the wire at once.
      let inFlight = 0;
      let most = 0;
      rx.on('/durable', () => {
        inFlight++;
        most = Math.max(most, inFlight);
        setTimeout(() => inFlight--, 100);
        return { delayMs: 100 };
      });
      const restarted = await startCli(args);
      try {
        await eventually(
          'every message delivered after the restart',
          async () => new Set(rx.to('/durable').map((d) => d.text)).size === 10,
          { timeoutMs: 20_000 },
        );
        expect(most).toBeLessThanOrEqual(2);
        expect(rx.to('/durable').every((d) => d.signet === true)).toBe(true);
      } finally {
        restarted.child.kill('SIGTERM');
        await restarted.exited;
      }
    } finally {
      broker.child.kill('SIGKILL');
      await rx.close();
      data.remove();
    }
  });
});
