import { eventually } from '@signet/test-kit';
import { QstashError } from '@upstash/qstash';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_TOKEN } from '../src/index.ts';
import { type Harness, sleep, startHarness } from './helpers/broker.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ maxBodyBytes: 64 * 1024 });
});
afterAll(() => h.close());

const pendingCount = async () => {
  const { logs } = await h.client.logs({ filter: { state: 'CREATED' } });
  return logs.length;
};

describe('publish', () => {
  it('delivers a JSON publish signed for its URL; the official Receiver and @signet/core both accept it', async () => {
    const { messageId } = (await h.client.publishJSON({
      url: h.receiver.url('/json'),
      body: { order: 'o_1', total: 42 },
    })) as {
      messageId: string;
    };
    const [delivery] = await h.receiver.waitFor(1, '/json');
    expect(delivery?.official).toBe(true);
    expect(delivery?.signet).toBe(true);
    expect(JSON.parse(delivery?.text ?? '')).toEqual({ order: 'o_1', total: 42 });
    expect(delivery?.headers['content-type']).toBe('application/json');
    expect(delivery?.headers['upstash-message-id']).toBe(messageId);
    expect(delivery?.headers['upstash-retried']).toBe('0');
    expect(delivery?.headers['user-agent']).toBe('Upstash-QStash');
    expect(delivery?.headers['upstash-caller-ip']).toBe('127.0.0.1');
    expect(delivery?.method).toBe('POST');
  });

  it('passes a binary body through byte for byte, and the token hashes exactly those bytes', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 251, 255, 10, 13, 0x80]);
    await h.client.publish({
      url: h.receiver.url('/binary'),
      body: new Blob([bytes]),
      headers: { 'content-type': 'application/octet-stream' },
    });
    const [delivery] = await h.receiver.waitFor(1, '/binary');
    expect(delivery?.body.equals(bytes)).toBe(true);
    expect(delivery?.signet).toBe(true);
  });

  it('keeps the destination query string, and signs the URL with it', async () => {
    await h.client.publish({ url: h.receiver.url('/query?tenant=acme&x=1%202'), body: 'q' });
    const [delivery] = await h.receiver.waitFor(1, '/query');
    expect(delivery?.url).toBe(h.receiver.url('/query?tenant=acme&x=1%202'));
    expect(delivery?.official).toBe(true);
    expect(delivery?.signet).toBe(true);
  });

  it('forwards headers as plain headers and honours Upstash-Method', async () => {
    await h.client.publish({
      url: h.receiver.url('/forward'),
      body: 'hi',
      method: 'PUT',
      headers: { 'x-tenant': 'acme', authorization: 'Bearer for-the-destination' },
    });
    const [delivery] = await h.receiver.waitFor(1, '/forward');
    expect(delivery?.method).toBe('PUT');
    expect(delivery?.headers['x-tenant']).toBe('acme');
    expect(delivery?.headers.authorization).toBe('Bearer for-the-destination');
    expect(delivery?.headers['upstash-forward-x-tenant']).toBeUndefined();
    expect(delivery?.signet).toBe(true);
  });

  it('delivers the same deduplication id once; the repeat answers deduplicated with the first id', async () => {
    const first = (await h.client.publish({
      url: h.receiver.url('/dedup'),
      body: 'a',
      deduplicationId: 'order-7',
    })) as {
      messageId: string;
      deduplicated?: boolean;
    };
    const again = (await h.client.publish({
      url: h.receiver.url('/dedup'),
      body: 'b',
      deduplicationId: 'order-7',
    })) as typeof first;
    expect(first.deduplicated).toBeUndefined();
    expect(again).toEqual({ messageId: first.messageId, deduplicated: true });
    await h.receiver.waitFor(1, '/dedup');
    await sleep(150);
    expect(h.receiver.to('/dedup')).toHaveLength(1);
  });

  it('deduplicates by content when asked: same body once, a different body again', async () => {
    const publish = (body: string) =>
      h.client.publish({
        url: h.receiver.url('/content'),
        body,
        contentBasedDeduplication: true,
      }) as Promise<{ messageId: string; deduplicated?: boolean }>;
    const first = await publish('same');
    expect(await publish('same')).toEqual({ messageId: first.messageId, deduplicated: true });
    expect((await publish('other')).deduplicated).toBeUndefined();
    await h.receiver.waitFor(2, '/content');
    await sleep(150);
    expect(h.receiver.to('/content').map((delivery) => delivery.text)).toEqual(['same', 'other']);
  });

  it('holds a delayed message until its time, and "deliver now" sends it at once', async () => {
    const { messageId } = (await h.client.publish({
      url: h.receiver.url('/delayed'),
      body: 'later',
      delay: 3600,
    })) as {
      messageId: string;
    };
    await sleep(200);
    expect(h.receiver.to('/delayed')).toHaveLength(0);
    const message = await h.client.messages.get(messageId);
    expect(message.notBefore).toBeGreaterThan(Date.now() + 3_500_000);
    const response = await h.api(`/v2/dev/deliver-now?messageId=${messageId}`, { method: 'POST' });
    expect(await response.json()).toEqual({ messages: 1 });
    const [delivery] = await h.receiver.waitFor(1, '/delayed');
    expect(delivery?.signet).toBe(true);
  });

  it('honours a short real delay, and Upstash-Not-Before', async () => {
    const published = Date.now();
    await h.client.publish({ url: h.receiver.url('/short-delay'), body: 'x', delay: 1 });
    await h.client.publish({
      url: h.receiver.url('/not-before'),
      body: 'y',
      notBefore: Math.floor(Date.now() / 1000) + 3600,
    });
    const [delivery] = await h.receiver.waitFor(1, '/short-delay', 3000);
    expect((delivery?.at ?? 0) - published).toBeGreaterThanOrEqual(950);
    expect(h.receiver.to('/not-before')).toHaveLength(0);
    await h.api('/v2/dev/deliver-now', { method: 'POST' });
    await h.receiver.waitFor(1, '/not-before');
  });

  it('publishing with Upstash-Cron creates a schedule instead of a message', async () => {
    const result = (await h.client.publish({
      url: h.receiver.url('/cron-publish'),
      body: 'tick',
      headers: { 'Upstash-Cron': '*/5 * * * *' },
    })) as unknown as { scheduleId: string };
    expect(result.scheduleId).toMatch(/^scd_/);
    const schedule = await h.client.schedules.get(result.scheduleId);
    expect(schedule).toMatchObject({
      cron: '*/5 * * * *',
      destination: h.receiver.url('/cron-publish'),
    });
    await h.client.schedules.delete(result.scheduleId);
  });
});

describe('batch', () => {
  it('publishes every item of batchJSON, to URLs and queues', async () => {
    const results = await h.client.batchJSON([
      { url: h.receiver.url('/batch'), body: { n: 1 } },
      { url: h.receiver.url('/batch'), body: { n: 2 }, headers: { 'x-item': 'two' } },
      { url: h.receiver.url('/batch'), body: { n: 3 }, queueName: 'batch-queue' },
    ]);
    expect(results).toHaveLength(3);
    const deliveries = await h.receiver.waitFor(3, '/batch');
    expect(deliveries.map((delivery) => JSON.parse(delivery.text).n).sort()).toEqual([1, 2, 3]);
    expect(
      deliveries.every((delivery) => delivery.signet === true && delivery.official === true),
    ).toBe(true);
    expect(deliveries.find((delivery) => delivery.text.includes('2'))?.headers['x-item']).toBe(
      'two',
    );
  });

  it('refuses a whole batch when one item is invalid, naming the item', async () => {
    const before = h.receiver.to('/batch-bad').length;
    const error = await h.client
      .batch([
        { url: h.receiver.url('/batch-bad'), body: 'ok' },
        { url: 'ftp://example.com/nope', body: 'bad' },
      ])
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(QstashError);
    expect((error as QstashError).status).toBe(400);
    expect((error as QstashError).message).toContain('batch item 1');
    await sleep(100);
    expect(h.receiver.to('/batch-bad')).toHaveLength(before);
  });
});

describe('refusals', () => {
  const refused = async (publish: () => Promise<unknown>) => {
    const error = await publish().then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error, 'expected the broker to refuse').toBeInstanceOf(QstashError);
    return error as QstashError;
  };

  it('answers invalid input with 400 and a clear message, and stores nothing', async () => {
    const before = await pendingCount();
    const cases: Array<[() => Promise<unknown>, RegExp]> = [
      [() => h.client.publish({ url: 'ftp://example.com/x', body: 'x' }), /http or https/],
      [
        () => h.client.publish({ url: 'https://exa mple.com', body: 'x' }),
        /not a valid URL|neither/,
      ],
      [
        () =>
          h.client.publish({
            url: h.receiver.url('/never'),
            body: 'x',
            headers: { 'Upstash-Cron': 'every day' },
          }),
        /cron/,
      ],
      [
        () => h.client.publish({ url: h.receiver.url('/never'), body: 'x', delay: '-5s' as '5s' }),
        /Upstash-Delay/,
      ],
      [() => h.client.publish({ urlGroup: 'no-such-group', body: 'x' }), /does not exist/],
      [
        () => h.client.publish({ url: h.receiver.url('/never'), body: 'x', retries: -1 }),
        /Upstash-Retries/,
      ],
      [
        () => h.client.publish({ url: h.receiver.url('/never'), body: 'x', callback: 'not a url' }),
        /Upstash-Callback/,
      ],
      [
        () =>
          h.client.publish({ url: h.receiver.url('/never'), body: 'x', method: 'TRACE' as 'GET' }),
        /Upstash-Method/,
      ],
    ];
    for (const [publish, message] of cases) {
      const error = await refused(publish);
      expect(error.status).toBe(400);
      expect(error.message).toMatch(message);
      expect(JSON.parse(error.message)).toMatchObject({ status: 400, title: 'Bad Request' });
    }
    // Too large is not malformed: 413, as QStash answers it.
    const tooLarge = await refused(() =>
      h.client.publish({ url: h.receiver.url('/never'), body: 'x'.repeat(64 * 1024 + 1) }),
    );
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.message).toMatch(/limit/);
    expect(await pendingCount()).toBe(before);
    await sleep(100);
    expect(h.receiver.to('/never')).toHaveLength(0);
  });

  it('answers a missing or wrong token with 401 problem+json, on every API route', async () => {
    for (const [method, path] of [
      ['POST', `/v2/publish/${h.receiver.url('/never')}`],
      ['GET', '/v2/schedules'],
      ['GET', '/v2/dlq'],
      ['GET', '/v2/keys'],
      ['POST', '/v2/dev/deliver-now'],
    ] as const) {
      for (const authorization of [undefined, 'Bearer wrong', `Bearer ${DEV_TOKEN}x`, DEV_TOKEN]) {
        const response = await fetch(`${h.server.url}${path}`, {
          method,
          headers: authorization ? { authorization } : {},
        });
        expect(response.status, `${method} ${path} with ${authorization}`).toBe(401);
        expect(response.headers.get('content-type')).toBe('application/problem+json');
        expect(await response.json()).toMatchObject({ status: 401, title: 'Unauthorized' });
      }
    }
    await sleep(50);
    expect(h.receiver.to('/never')).toHaveLength(0);
  });

  it('answers unknown routes with 404 and wrong methods with 405, as problem+json', async () => {
    const unknown = await h.api('/v2/nothing-here');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toBe('application/problem+json');
    const wrongMethod = await h.api('/v2/batch', { method: 'GET' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
  });

  it('rejects a body over the limit while it streams, without reading it all', async () => {
    const response = await h.api(`/v2/publish/${h.receiver.url('/never')}`, {
      method: 'POST',
      body: new ReadableStream({
        pull(controller) {
          controller.enqueue(new Uint8Array(16 * 1024));
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect((await response.json()).detail).toMatch(/limit/);
  });
});

describe('the publisher waits for durability', () => {
  it('answers a publish only after its message is stored (it is visible at once)', async () => {
    const { messageId } = (await h.client.publish({
      url: h.receiver.url('/visible'),
      body: 'x',
      delay: 3600,
    })) as { messageId: string };
    const { logs } = await h.client.logs({ messageIds: [messageId] });
    expect(logs.map((log) => log.state)).toEqual(['CREATED']);
    await eventually(
      'the cancel to be accepted',
      async () => (await h.api(`/v2/messages/${messageId}`, { method: 'DELETE' })).status === 202,
    );
  });
});

describe('what the local broker does not do', () => {
  it('says so with 501, instead of pretending', async () => {
    const workflow = await h.api('/v2/workflows/schedules');
    expect(workflow.status).toBe(501);
    expect((await workflow.json()).detail).toMatch(/Upstash Workflow API is not supported/);
    const llm = await h.api('/v2/publish/api/llm', { method: 'POST', body: '{}' });
    expect(llm.status).toBe(501);
  });
});
