import { eventually } from '@signet/test-kit';
import type { QstashError } from '@upstash/qstash';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, sleep, startHarness } from './helpers/broker.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const later = (path: string, body = 'x', extra: Record<string, unknown> = {}) =>
  h.client.publish({ url: h.receiver.url(path), body, delay: 3600, ...extra }) as Promise<{
    messageId: string;
  }>;

describe('messages', () => {
  it('gets a pending message in the shape the official Client expects', async () => {
    const { messageId } = await h.client.publishJSON({
      url: h.receiver.url('/pending'),
      body: { a: 1 },
      delay: 3600,
      retries: 4,
      callback: h.receiver.url('/cb'),
      headers: { 'x-tenant': 'acme' },
      label: 'nightly',
    });
    const message = await h.client.messages.get(messageId);
    expect(message).toMatchObject({
      messageId,
      url: h.receiver.url('/pending'),
      method: 'POST',
      body: '{"a":1}',
      maxRetries: 4,
      callback: h.receiver.url('/cb'),
      header: { 'Content-Type': ['application/json'], 'X-Tenant': ['acme'] },
      label: 'nightly',
    });
    expect(message.notBefore).toBeGreaterThan(message.createdAt);
  });

  it('answers 404 for a message that has been delivered', async () => {
    const { messageId } = (await h.client.publish({ url: h.receiver.url('/done'), body: 'x' })) as {
      messageId: string;
    };
    await h.receiver.waitFor(1, '/done');
    const status = await eventually('the message to be gone', async () => {
      const code = await h.client.messages.get(messageId).then(
        () => 200,
        (error: QstashError) => error.status,
      );
      return code === 404 && code;
    });
    expect(status).toBe(404);
  });

  it('cancels one message, several by id, and all matching a filter; cancelled messages are never sent', async () => {
    const one = await later('/cancel-one');
    expect(await h.client.messages.cancel(one.messageId)).toEqual({ cancelled: 1 });

    const many = await Promise.all([
      later('/cancel-many'),
      later('/cancel-many'),
      later('/cancel-many'),
    ]);
    expect(
      await h.client.messages.cancel(many.slice(0, 2).map((message) => message.messageId)),
    ).toEqual({ cancelled: 2 });

    await Promise.all([
      later('/cancel-label', 'a', { label: 'batch-7' }),
      later('/cancel-label', 'b', { label: 'batch-7' }),
    ]);
    expect(await h.client.messages.cancel({ filter: { label: 'batch-7' } })).toEqual({
      cancelled: 2,
    });

    expect(await h.client.messages.cancel({ all: true })).toEqual({
      cancelled: expect.any(Number),
    });
    await h.api('/v2/dev/deliver-now', { method: 'POST' });
    await sleep(200);
    expect(h.receiver.to('/cancel-one')).toHaveLength(0);
    expect(h.receiver.to('/cancel-many')).toHaveLength(0);
    expect(h.receiver.to('/cancel-label')).toHaveLength(0);
    const error = (await h.client.messages
      .cancel(one.messageId)
      .catch((thrown: unknown) => thrown)) as QstashError;
    expect(error.status).toBe(404);
  });
});

describe('events', () => {
  it('logs every state change, newest first, filtered by message and state', async () => {
    const { messageId } = (await h.client.publish({
      url: h.receiver.url('/logged'),
      body: 'x',
    })) as { messageId: string };
    await h.receiver.waitFor(1, '/logged');
    const { logs } = await eventually('three log entries', async () => {
      const page = await h.client.logs({ messageIds: [messageId] });
      return page.logs.length === 3 && page;
    });
    expect(logs.map((log) => log.state)).toEqual(['DELIVERED', 'ACTIVE', 'CREATED']);
    expect(logs[0]).toMatchObject({
      messageId,
      url: h.receiver.url('/logged'),
      responseStatus: 200,
    });
    const delivered = await h.client.logs({
      filter: { state: 'DELIVERED', url: h.receiver.url('/logged') },
    });
    expect(delivered.logs.map((log) => log.messageId)).toEqual([messageId]);
  });

  it('pages through the log with a cursor, without gaps or repeats', async () => {
    const ids: string[] = [];
    for (let n = 0; n < 7; n++) ids.push((await later('/paged')).messageId);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await h.client.logs({
        filter: { url: h.receiver.url('/paged'), state: 'CREATED' },
        count: 3,
        cursor,
      });
      seen.push(...page.logs.map((log) => log.messageId));
      cursor = page.cursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].reverse());
  });
});
