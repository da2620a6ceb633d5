import { eventually } from '@signet/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, sleep, startHarness } from './helpers/broker.ts';
import type { Delivery } from './helpers/receiver.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

interface CallbackBody {
  status: number;
  header: Record<string, string[]>;
  body: string;
  retried: number;
  maxRetries: number;
  sourceMessageId: string;
  url: string;
  method: string;
  sourceHeader: Record<string, string[]>;
  sourceBody: string;
  notBefore: string;
  createdAt: string;
  dlqId?: string;
  error?: string;
}

const callbackOf = (delivery: Delivery | undefined) =>
  JSON.parse(delivery?.text ?? '{}') as CallbackBody;
const base64 = (text: string) => Buffer.from(text).toString('base64');

describe('retries and dead letters', () => {
  it('retries a failing destination, then dead-letters it and calls the failure callback', async () => {
    h.receiver.on('/always-500', () => ({
      status: 500,
      body: 'database down',
      headers: { 'x-reason': 'db' },
    }));
    const { messageId } = (await h.client.publishJSON({
      url: h.receiver.url('/always-500'),
      body: { job: 'sync' },
      retries: 2,
      failureCallback: h.receiver.url('/failed'),
    })) as { messageId: string };

    const attempts = await h.receiver.waitFor(3, '/always-500');
    expect(attempts.map((attempt) => attempt.headers['upstash-retried'])).toEqual(['0', '1', '2']);
    expect(attempts.every((attempt) => attempt.headers['upstash-message-id'] === messageId)).toBe(
      true,
    );
    // Signed afresh per attempt: every retry verifies on its own.
    expect(attempts.every((attempt) => attempt.signet === true && attempt.official === true)).toBe(
      true,
    );
    expect(new Set(attempts.map((attempt) => attempt.headers['upstash-signature'])).size).toBe(3);

    const [failure] = await h.receiver.waitFor(1, '/failed');
    expect(failure?.signet).toBe(true);
    expect(failure?.official).toBe(true);
    const body = callbackOf(failure);
    expect(body).toMatchObject({
      status: 500,
      body: base64('database down'),
      retried: 2,
      maxRetries: 2,
      sourceMessageId: messageId,
      url: h.receiver.url('/always-500'),
      method: 'POST',
      sourceBody: base64('{"job":"sync"}'),
      sourceHeader: { 'Content-Type': ['application/json'] },
    });
    expect(body.header['X-Reason']).toEqual(['db']);
    expect(body.dlqId).toMatch(/^dlq_/);
    expect(Number(body.createdAt)).toBeGreaterThan(Date.now() - 60_000);
    await sleep(150);
    expect(h.receiver.to('/always-500')).toHaveLength(3);

    const { messages } = await h.client.dlq.listMessages({
      filter: { url: h.receiver.url('/always-500') },
    });
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      messageId,
      dlqId: body.dlqId,
      responseStatus: 500,
      responseBody: 'database down',
    });

    const { logs } = await h.client.logs({ messageIds: [messageId] });
    expect(logs.map((log) => log.state).reverse()).toEqual([
      'CREATED',
      'ACTIVE',
      'ERROR',
      'RETRY',
      'ACTIVE',
      'ERROR',
      'RETRY',
      'ACTIVE',
      'ERROR',
      'FAILED',
    ]);
  });

  it('waits QStash backoff between attempts, divided by the retry scale', async () => {
    h.receiver.on('/backoff', () => ({ status: 503 }));
    await h.client.publish({ url: h.receiver.url('/backoff'), body: 'x', retries: 2 });
    const attempts = await h.receiver.waitFor(3, '/backoff');
    const [first, second, third] = attempts.map((attempt) => attempt.at) as [
      number,
      number,
      number,
    ];
    // e^2.5 s = 12.2 s and e^5 s = 148 s, over a scale of 1000.
    expect(second - first).toBeGreaterThanOrEqual(11);
    expect(third - second).toBeGreaterThanOrEqual(140);
    expect(third - second).toBeLessThan(1000);
  });

  it('sends a 489 with Upstash-NonRetryable-Error straight to the dead letters', async () => {
    h.receiver.on('/bad-payload', () => ({
      status: 489,
      headers: { 'Upstash-NonRetryable-Error': 'true' },
      body: 'never valid',
    }));
    const { messageId } = (await h.client.publish({
      url: h.receiver.url('/bad-payload'),
      body: 'x',
      retries: 5,
      failureCallback: h.receiver.url('/bad-payload-failed'),
    })) as { messageId: string };
    const [failure] = await h.receiver.waitFor(1, '/bad-payload-failed');
    expect(callbackOf(failure)).toMatchObject({
      status: 489,
      retried: 0,
      maxRetries: 5,
      sourceMessageId: messageId,
    });
    expect(h.receiver.to('/bad-payload')).toHaveLength(1);
  });

  it('retries a plain 489 (without the header) like any failure', async () => {
    h.receiver.on('/plain-489', (_delivery, attempt) =>
      attempt === 0 ? { status: 489 } : { status: 200 },
    );
    const { messageId } = (await h.client.publish({
      url: h.receiver.url('/plain-489'),
      body: 'x',
    })) as { messageId: string };
    const [, second] = await h.receiver.waitFor(2, '/plain-489');
    expect(second?.headers['upstash-retried']).toBe('1');
    // (With messageIds the SDK sends no other filter.)
    const delivered = await eventually('the retried message to be delivered', async () => {
      const { logs } = await h.client.logs({ messageIds: [messageId] });
      return logs.find((log) => log.state === 'DELIVERED');
    });
    expect(delivered).toMatchObject({ messageId, state: 'DELIVERED' });
  });

  it('waits as long as Retry-After asks', async () => {
    h.receiver.on('/rate-limited', (_delivery, attempt) =>
      attempt === 0 ? { status: 429, headers: { 'Retry-After': '1' } } : {},
    );
    await h.client.publish({ url: h.receiver.url('/rate-limited'), body: 'x' });
    const [first, second] = await h.receiver.waitFor(2, '/rate-limited', 4000);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('uses an Upstash-Retry-Delay expression instead of the backoff', async () => {
    h.receiver.on('/custom-delay', (_delivery, attempt) => (attempt < 2 ? { status: 500 } : {}));
    await h.client.publish({
      url: h.receiver.url('/custom-delay'),
      body: 'x',
      retries: 3,
      retryDelay: '200 * (1 + retried)',
    });
    const [first, second, third] = (await h.receiver.waitFor(3, '/custom-delay')).map(
      (delivery) => delivery.at,
    ) as number[];
    expect((second as number) - (first as number)).toBeGreaterThanOrEqual(190);
    expect((third as number) - (second as number)).toBeGreaterThanOrEqual(390);
  });

  it('retries an attempt that does not answer within its timeout', async () => {
    h.receiver.on('/slow', (_delivery, attempt) =>
      attempt === 0 ? { hang: true } : { body: 'finally' },
    );
    const started = Date.now();
    const { messageId } = (await h.client.publish({
      url: h.receiver.url('/slow'),
      body: 'x',
      timeout: 1,
    })) as { messageId: string };
    const [, second] = await h.receiver.waitFor(2, '/slow', 5000);
    expect(second?.headers['upstash-retried']).toBe('1');
    expect((second?.at ?? 0) - started).toBeGreaterThanOrEqual(1000);
    const { logs } = await h.client.logs({
      messageIds: [messageId],
      filter: { state: 'ERROR' },
    } as never);
    expect(JSON.stringify(logs)).toMatch(/timeout/);
  });

  it('retries, then dead-letters, a destination that refuses connections', async () => {
    const closed = h.receiver.url('/x').replace(/:\d+\//, ':9/'); // port 9 (discard) is closed here
    const { messageId } = (await h.client.publish({
      url: closed,
      body: 'x',
      retries: 1,
      failureCallback: h.receiver.url('/refused-failed'),
    })) as { messageId: string };
    const [failure] = await h.receiver.waitFor(1, '/refused-failed');
    expect(callbackOf(failure)).toMatchObject({
      status: 0,
      body: '',
      retried: 1,
      sourceMessageId: messageId,
    });
    expect(callbackOf(failure).error).toMatch(/ECONNREFUSED/);
  });
});

describe('callbacks', () => {
  it("calls the callback after every attempt with the destination's response", async () => {
    h.receiver.on('/flaky', (_delivery, attempt) =>
      attempt === 0 ? { status: 503, body: 'busy' } : { status: 201, body: 'done' },
    );
    const { messageId } = (await h.client.publish({
      url: h.receiver.url('/flaky'),
      body: 'work',
      retries: 3,
      callback: h.receiver.url('/callback'),
      headers: { 'x-tenant': 'acme' },
    })) as { messageId: string };
    const callbacks = await h.receiver.waitFor(2, '/callback');
    const bodies = callbacks.map(callbackOf).sort((a, b) => a.retried - b.retried);
    expect(
      bodies.map((body) => [
        body.status,
        Buffer.from(body.body, 'base64').toString(),
        body.retried,
        body.maxRetries,
      ]),
    ).toEqual([
      [503, 'busy', 0, 3],
      [201, 'done', 1, 3],
    ]);
    expect(bodies[1]).toMatchObject({
      sourceMessageId: messageId,
      sourceHeader: { 'X-Tenant': ['acme'] },
      sourceBody: base64('work'),
    });
    expect(
      callbacks.every((callback) => callback.signet === true && callback.official === true),
    ).toBe(true);
    expect(callbacks[0]?.headers['content-type']).toBe('application/json');
    await sleep(150);
    expect(h.receiver.to('/callback')).toHaveLength(2);
  });

  it('configures callback messages with Upstash-Callback-* headers, and never calls back a callback', async () => {
    h.receiver.on('/callback-failing', () => ({ status: 500 }));
    await h.client.publish({
      url: h.receiver.url('/ok'),
      body: 'x',
      callback: h.receiver.url('/callback-failing'),
      failureCallback: h.receiver.url('/never-for-callbacks'),
      headers: {
        'Upstash-Callback-Forward-X-Signal': 'hello',
        'Upstash-Callback-Retries': '1',
        'Upstash-Callback-Method': 'PUT',
      },
    });
    const attempts = await h.receiver.waitFor(2, '/callback-failing');
    expect(
      attempts.map((attempt) => [
        attempt.method,
        attempt.headers['x-signal'],
        attempt.headers['upstash-retried'],
      ]),
    ).toEqual([
      ['PUT', 'hello', '0'],
      ['PUT', 'hello', '1'],
    ]);
    await sleep(200);
    expect(h.receiver.to('/callback-failing')).toHaveLength(2);
    expect(h.receiver.to('/never-for-callbacks')).toHaveLength(0);
  });
});

describe('dead-letter API', () => {
  it('gets, retries and deletes dead letters through the official Client', async () => {
    let healthy = false;
    h.receiver.on('/recovering', () => (healthy ? { status: 200 } : { status: 500 }));
    for (const n of [1, 2, 3])
      await h.client.publish({ url: h.receiver.url('/recovering'), body: `m${n}`, retries: 0 });
    const { messages } = await eventually('three dead letters', async () => {
      const page = await h.client.dlq.listMessages({
        filter: { url: h.receiver.url('/recovering') },
      });
      return page.messages.length === 3 && page;
    });
    const [first, second, third] = messages.map((message) => message.dlqId) as [
      string,
      string,
      string,
    ];

    const single = await h.api(`/v2/dlq/${first}`);
    expect(await single.json()).toMatchObject({
      dlqId: first,
      url: h.receiver.url('/recovering'),
      responseStatus: 500,
    });

    healthy = true;
    const { responses } = await h.client.dlq.retry([first, second]);
    expect(responses).toHaveLength(2);
    await h.receiver.waitFor(5, '/recovering');
    expect(await h.client.dlq.delete(third)).toEqual({ deleted: 1 });
    expect(
      (await h.client.dlq.listMessages({ filter: { url: h.receiver.url('/recovering') } }))
        .messages,
    ).toEqual([]);
    expect((await h.api(`/v2/dlq/${third}`)).status).toBe(404);
  });

  it('pages through dead letters with a cursor, and deletes by filter', async () => {
    h.receiver.on('/many-dead', () => ({ status: 500 }));
    for (let n = 0; n < 5; n++)
      await h.client.publish({ url: h.receiver.url('/many-dead'), body: `d${n}`, retries: 0 });
    await eventually('five dead letters', async () => {
      const page = await h.client.dlq.listMessages({
        filter: { url: h.receiver.url('/many-dead') },
      });
      return page.messages.length === 5;
    });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await h.client.dlq.listMessages({
        filter: { url: h.receiver.url('/many-dead') },
        count: 2,
        cursor,
      });
      seen.push(...page.messages.map((message) => message.dlqId));
      cursor = page.cursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(5);
    const deleted = await h.client.dlq.delete({ filter: { url: h.receiver.url('/many-dead') } });
    expect(deleted.deleted).toBe(5);
  });
});
