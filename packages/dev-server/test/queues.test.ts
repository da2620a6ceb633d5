import { eventually } from '@signet/test-kit';
import type { QstashError } from '@upstash/qstash';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, sleep, startHarness } from './helpers/broker.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const numbers = (path: string) => h.receiver.to(path).map((delivery) => Number(delivery.text));

describe('queues', () => {
  it('creates, gets, lists, pauses, resumes and deletes through the official Client', async () => {
    const queue = h.client.queue({ queueName: 'emails' });
    await queue.upsert({ parallelism: 3 });
    expect(await queue.get()).toMatchObject({
      name: 'emails',
      parallelism: 3,
      paused: false,
      lag: 0,
    });
    expect((await h.client.queue().list()).map((listed) => listed.name)).toContain('emails');
    await queue.pause();
    expect((await queue.get()).paused).toBe(true);
    await queue.resume();
    expect((await queue.get()).paused).toBe(false);
    await queue.upsert({ parallelism: 1 });
    expect((await queue.get()).parallelism).toBe(1);
    await queue.delete();
    const error = (await queue.get().catch((thrown: unknown) => thrown)) as QstashError;
    expect(error.status).toBe(404);
  });

  it('delivers a queue in order, one message at a time', async () => {
    h.receiver.on('/ordered', () => ({ delayMs: 20 }));
    const queue = h.client.queue({ queueName: 'ordered' });
    for (let n = 0; n < 10; n++)
      await queue.enqueue({ url: h.receiver.url('/ordered'), body: String(n) });
    await h.receiver.waitFor(10, '/ordered');
    expect(numbers('/ordered')).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(h.receiver.busy.get('/ordered')?.max).toBe(1);
    expect(
      h.receiver
        .to('/ordered')
        .every((delivery) => delivery.signet === true && delivery.official === true),
    ).toBe(true);
  });

  it('lets `parallelism` messages through at once, never more', async () => {
    h.receiver.on('/parallel', () => ({ delayMs: 60 }));
    const queue = h.client.queue({ queueName: 'parallel' });
    await queue.upsert({ parallelism: 2 });
    await Promise.all(
      Array.from({ length: 8 }, (_, n) =>
        queue.enqueue({ url: h.receiver.url('/parallel'), body: String(n) }),
      ),
    );
    await h.receiver.waitFor(8, '/parallel');
    expect(h.receiver.busy.get('/parallel')?.max).toBe(2);
  });

  it('keeps order while the head of the queue is being retried', async () => {
    h.receiver.on('/strict', (delivery, attempt) =>
      delivery.text === '0' && attempt === 0 ? { status: 500 } : {},
    );
    const queue = h.client.queue({ queueName: 'strict' });
    for (let n = 0; n < 3; n++)
      await queue.enqueue({ url: h.receiver.url('/strict'), body: String(n) });
    await h.receiver.waitFor(4, '/strict');
    expect(numbers('/strict')).toEqual([0, 0, 1, 2]);
  });

  it('holds messages in a paused queue until it is resumed', async () => {
    const queue = h.client.queue({ queueName: 'held' });
    await queue.upsert({ paused: true });
    await queue.enqueueJSON({ url: h.receiver.url('/held'), body: { n: 1 } });
    await sleep(200);
    expect(h.receiver.to('/held')).toHaveLength(0);
    expect((await queue.get()).lag).toBe(1);
    await queue.resume();
    await h.receiver.waitFor(1, '/held');
    await eventually('the queue to drain', async () => (await queue.get()).lag === 0);
  });

  it('creates an unknown queue on first enqueue, with parallelism 1', async () => {
    await h.client
      .queue({ queueName: 'made-on-demand' })
      .enqueue({ url: h.receiver.url('/on-demand'), body: 'x' });
    expect(await h.client.queue({ queueName: 'made-on-demand' }).get()).toMatchObject({
      parallelism: 1,
      paused: false,
    });
    await h.receiver.waitFor(1, '/on-demand');
  });

  it('cancels the waiting messages of a deleted queue', async () => {
    const queue = h.client.queue({ queueName: 'doomed' });
    await queue.upsert({ paused: true });
    const { messageId } = (await queue.enqueue({ url: h.receiver.url('/doomed'), body: 'x' })) as {
      messageId: string;
    };
    await queue.delete();
    const { logs } = await h.client.logs({ messageIds: [messageId] });
    expect(logs[0]?.state).toBe('CANCELED');
    await sleep(100);
    expect(h.receiver.to('/doomed')).toHaveLength(0);
  });

  it('refuses invalid queue settings with 400', async () => {
    const response = await h.api('/v2/queues', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ queueName: 'bad', parallelism: 0 }),
    });
    expect(response.status).toBe(400);
    const named = await h.api('/v2/queues', {
      method: 'POST',
      body: JSON.stringify({ queueName: 'has space' }),
    });
    expect(named.status).toBe(400);
  });
});
