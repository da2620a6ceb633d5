// Every number the broker takes has a range: outside it, a 400 that names the field, and nothing
// stored. Numbers an older version stored anyway never break the page or a publish.

import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Client } from '@upstash/qstash';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer } from '../src/index.ts';
import { type Harness, startHarness, tempDir } from './helpers/broker.ts';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness?.close());

async function problem(response: Response, status: number, mentions: RegExp) {
  expect(response.status, await response.clone().text()).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  expect((await response.json()).detail).toMatch(mentions);
}

describe('numbers out of range', () => {
  it('refuses a queue parallelism of 1e308, 0, 1.5 or "many", naming the range', async () => {
    for (const parallelism of [1e308, 0, 1.5, 'many', 1001]) {
      const response = await harness.api('/v2/queues', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ queueName: 'q', parallelism }),
      });
      await problem(response, 400, /"parallelism" must be a whole number from 1 to 1000/);
    }
    // Nothing was stored, and publishing to a fresh queue works.
    const { messageId } = await harness.client.queue({ queueName: 'q' }).enqueue({
      url: harness.receiver.url('/q'),
      body: 'x',
    });
    expect(messageId).toMatch(/^msg_/);
  });

  it('refuses delays, timeouts and not-before dates that are no dates, naming the header', async () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ 'upstash-delay': '99999999999d' }, /Upstash-Delay must be between 0s and 365d/],
      [{ 'upstash-delay': '9999999999999999999999d' }, /Upstash-Delay must be between/],
      [{ 'upstash-timeout': '99999999999d' }, /Upstash-Timeout must be between 1ms and 1d/],
      [{ 'upstash-timeout': '0s' }, /Upstash-Timeout must be between/],
      [
        { 'upstash-not-before': '99999999999999' },
        /Upstash-Not-Before \(unix seconds\) must be a whole number from 0 to \d+/,
      ],
      [{ 'upstash-not-before': '-1' }, /Upstash-Not-Before/],
      [{ 'upstash-retries': '1e3' }, /Upstash-Retries must be a whole number from 0 to 100/],
      [
        { 'upstash-callback-delay': '400d', 'upstash-callback': 'http://127.0.0.1:9/cb' },
        /Upstash-Callback-Delay must be between/,
      ],
      [{ 'upstash-cron': '* * *' }, /cron/],
    ];
    for (const [headers, mentions] of cases) {
      const response = await harness.api(`/v2/publish/${harness.receiver.url('/nope')}`, {
        method: 'POST',
        headers,
        body: 'x',
      });
      await problem(response, 400, mentions);
    }
    // Nothing of it was stored: the event log has no message for that URL.
    const { events } = (await (await harness.api('/v2/events')).json()) as {
      events: { url: string }[];
    };
    expect(events.filter((event) => event.url.endsWith('/nope'))).toEqual([]);
  });

  it('refuses query numbers that are not whole or too large', async () => {
    await problem(
      await harness.api('/v2/events?count=1e308'),
      400,
      /"count" parameter must be a whole number/,
    );
    await problem(await harness.api('/v2/dlq?count=-1'), 400, /"count" parameter/);
  });
});

describe('request sizes', () => {
  it('answers 413 to a message body over --max-body, and to a batch over its total size, early', async () => {
    const small = await startHarness({ maxBodyBytes: 1024 });
    try {
      const big = await small.api(`/v2/publish/${small.receiver.url('/x')}`, {
        method: 'POST',
        body: 'x'.repeat(2048),
      });
      await problem(big, 413, /larger than the 1024-byte limit/);
      // 64 MiB of batch, streamed without a Content-Length: refused once 10 MiB have arrived,
      // and the rest is never read (only what the sockets' buffers hold gets sent).
      let sent = 0;
      const chunk = new TextEncoder().encode(`${'x'.repeat(65_535)},`);
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('['));
        },
        pull(controller) {
          if (sent >= 64 * 1024 * 1024) return controller.close();
          sent += chunk.length;
          controller.enqueue(chunk);
        },
      });
      const batch = await small
        .api('/v2/batch', { method: 'POST', body: stream, duplex: 'half' } as RequestInit)
        .catch((error: Error) => error);
      // Either the 413 arrived, or the broker closed the connection after answering it.
      if (batch instanceof Response)
        await problem(batch, 413, /larger than the 10485760-byte limit/);
      expect(sent).toBeLessThan(32 * 1024 * 1024);
    } finally {
      await small.close();
    }
  });

  it('refuses a batch of more than 1000 messages', async () => {
    const items = Array.from({ length: 1001 }, () => ({
      destination: harness.receiver.url('/b'),
      body: 'x',
    }));
    await problem(
      await harness.api('/v2/batch', { method: 'POST', body: JSON.stringify(items) }),
      400,
      /at most 1000 messages/,
    );
  });
});

describe('numbers stored by an older version', () => {
  it('never make the page or a publish answer 500', async () => {
    const dir = tempDir();
    try {
      const first = await startDevServer({ port: 0, dataDir: dir.path, log: () => {} });
      await first.close();
      // What the broker once let in, written straight into its database.
      const db = new DatabaseSync(join(dir.path, 'signet.db'));
      const now = Date.now();
      db.prepare(
        'INSERT INTO queues (name, parallelism, paused, created_at, updated_at) VALUES (?, ?, 0, ?, ?)',
      ).run('poisoned', 1e308, now, now);
      db.prepare(
        `INSERT INTO messages (id, url, method, headers, body, max_retries, timeout_ms, not_before, created_at, updated_at, state)
         VALUES ('msg_old', 'http://127.0.0.1:9/old?secret_api_key=s3cret', 'POST', '{}', x'', 3, 8.64e29, 8.64e29, ?, ?, 'CREATED')`,
      ).run(now, now);
      db.close();

      const server = await startDevServer({
        port: 0,
        dataDir: dir.path,
        retryScale: 1000,
        log: () => {},
      });
      try {
        const page = await fetch(`${server.url}/`);
        expect(page.status).toBe(200);
        expect(await page.text()).not.toContain('s3cret');
        const client = new Client({ baseUrl: server.url, token: server.token });
        const { messageId } = await client.queue({ queueName: 'poisoned' }).enqueue({
          url: harness.receiver.url('/poisoned'),
          body: 'after',
        });
        const [delivery] = await harness.receiver.waitFor(1, '/poisoned');
        expect(delivery?.headers['upstash-message-id']).toBe(messageId);
        expect((await fetch(`${server.url}/`)).status).toBe(200);
      } finally {
        await server.close();
      }
    } finally {
      dir.remove();
    }
  });
});
