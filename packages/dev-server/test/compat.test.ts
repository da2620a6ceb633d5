// What the official Client can ask beyond the happy path, answered the way hosted QStash does:
// several labels, every filter on every endpoint that takes it (and nothing that widens a bulk
// action by accident), cancelling a message on the wire, header names as QStash spells them,
// and 501 for what is not built. On durable storage, driven by the Client wherever it has a method.
import { createHash } from 'node:crypto';
import { eventually } from '@signet/test-kit';
import type { QstashError } from '@upstash/qstash';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, tempDir } from './helpers/broker.ts';

let h: Harness;
const dir = tempDir();
beforeAll(async () => {
  h = await startHarness({ memory: false, dataDir: dir.path });
  for (const path of ['/dead-a', '/dead-b', '/dead-c'])
    h.receiver.on(path, () => ({ status: 500 }));
});
afterAll(async () => {
  await h.close();
  dir.remove();
});

const later = (path: string, extra: Record<string, unknown> = {}) =>
  h.client.publish({ url: h.receiver.url(path), body: 'x', delay: 3600, ...extra }) as Promise<{
    messageId: string;
  }>;

const status = (promise: Promise<unknown>) =>
  promise.then(
    () => 200,
    (error: QstashError) => error.status,
  );

/** Publishes to a path that always answers 500, with no retries: a dead letter. */
async function deadLetter(path: string, extra: Record<string, unknown> = {}): Promise<string> {
  const { messageId } = (await h.client.publish({
    url: h.receiver.url(path),
    body: path,
    retries: 0,
    ...extra,
  })) as { messageId: string };
  await eventually(`${messageId} in the dead letters`, async () => {
    const { messages } = await h.client.dlq.listMessages({ filter: { messageId } });
    return messages.length === 1;
  });
  return messageId;
}

describe('labels', () => {
  it('keeps several labels as a list, returns them as the SDK types say, and filters by any', async () => {
    const { messageId } = await later('/labelled', { label: ['billing', 'nightly'] });
    const message = await h.client.messages.get(messageId);
    expect(message.labels).toEqual(['billing', 'nightly']);
    expect(message.label).toBe('billing');

    const { logs } = await h.client.logs({ filter: { label: 'nightly' } });
    expect(logs.map((log) => log.messageId)).toContain(messageId);
    expect(logs.find((log) => log.messageId === messageId)?.labels).toEqual(['billing', 'nightly']);
    // Not a substring match: "night" is no label of it.
    const { logs: none } = await h.client.logs({ filter: { label: 'night' } });
    expect(none.map((log) => log.messageId)).not.toContain(messageId);

    const { scheduleId } = await h.client.schedules.create({
      destination: h.receiver.url('/labelled-schedule'),
      cron: '0 0 1 1 *',
      label: ['a', 'b'],
    });
    expect((await h.client.schedules.get(scheduleId)).labels).toEqual(['a', 'b']);
    await h.client.schedules.delete(scheduleId);

    expect(await h.client.messages.cancel({ filter: { label: ['other', 'nightly'] } })).toEqual({
      cancelled: 1,
    });
  });
});

describe('filters', () => {
  it('refuses a misspelt or unknown filter with a 400 naming it, and acts on nothing', async () => {
    const dead = await deadLetter('/dead-a');
    for (const [method, path, named] of [
      ['DELETE', '/v2/dlq?labeel=x', 'labeel'],
      ['POST', '/v2/dlq/retry?mesageId=x', 'mesageId'],
      ['GET', '/v2/dlq?host=example.com', 'host'], // host and path are not DLQ filters
      ['DELETE', '/v2/messages?lable=x', 'lable'],
      ['GET', '/v2/events?stat=DELIVERED', 'stat'],
      ['GET', '/v2/events?state=DONE', 'state'],
      ['DELETE', '/v2/dlq?label=', 'label'],
      ['DELETE', '/v2/dlq?fromDate=yesterday', 'fromDate'],
      ['DELETE', '/v2/dlq?dlqIds=x&label=y', 'dlqIds'],
    ] as const) {
      const response = await h.api(path, { method });
      const problem = (await response.json()) as { detail: string };
      expect(response.status, `${method} ${path}`).toBe(400);
      expect(problem.detail).toContain(named);
    }
    const { messages } = await h.client.dlq.listMessages({ filter: { messageId: dead } });
    expect(messages).toHaveLength(1);
  });

  it('retries nothing when a filter matches nothing', async () => {
    const dead = await deadLetter('/dead-a');
    const { responses } = await h.client.dlq.retry({ filter: { messageId: 'msg_does-not-exist' } });
    expect(responses).toEqual([]);
    expect(
      (await h.client.dlq.listMessages({ filter: { messageId: dead } })).messages,
    ).toHaveLength(1);
  });

  it('reads repeated values as "any of", and separate filters as "all of"', async () => {
    const a = await deadLetter('/dead-b', { label: 'red' });
    const b = await deadLetter('/dead-c', { label: 'blue' });
    const both = await h.client.dlq.listMessages({
      filter: { url: [h.receiver.url('/dead-b'), h.receiver.url('/dead-c')] },
    });
    expect(both.messages.map((m) => m.messageId)).toEqual(expect.arrayContaining([a, b]));
    const one = await h.client.dlq.listMessages({
      filter: { url: [h.receiver.url('/dead-b'), h.receiver.url('/dead-c')], label: 'blue' },
    });
    expect(one.messages.map((m) => m.messageId)).toEqual([b]);
  });

  it('filters dead letters by message id, label, caller IP, flow-control key and date', async () => {
    const before = Date.now() - 1;
    const id = await deadLetter('/dead-a', {
      label: 'dated',
      flowControl: { key: 'dlq-key', parallelism: 1 },
    });
    const after = Date.now() + 1;
    const ids = async (filter: Record<string, unknown>) =>
      (await h.client.dlq.listMessages({ filter })).messages.map((m) => m.messageId);
    expect(await ids({ messageId: id })).toEqual([id]);
    expect(await ids({ label: 'dated' })).toEqual([id]);
    expect(await ids({ flowControlKey: 'dlq-key' })).toEqual([id]);
    expect(await ids({ callerIp: '127.0.0.1', label: 'dated' })).toEqual([id]);
    expect(await ids({ callerIp: '10.9.9.9', label: 'dated' })).toEqual([]);
    expect(await ids({ fromDate: before, toDate: after, label: 'dated' })).toEqual([id]);
    expect(await ids({ fromDate: after, label: 'dated' })).toEqual([]);
  });

  it('caps a dead-letter bulk action at count, and goes on from its cursor', async () => {
    const ids = [
      await deadLetter('/dead-a', { label: 'capped' }),
      await deadLetter('/dead-a', { label: 'capped' }),
      await deadLetter('/dead-a', { label: 'capped' }),
    ];
    const first = await h.client.dlq.delete({ filter: { label: 'capped' }, count: 2 });
    expect(first.deleted).toBe(2);
    expect(first.cursor).toBeDefined();
    const left = await h.client.dlq.listMessages({ filter: { label: 'capped' } });
    expect(left.messages).toHaveLength(1);
    expect(ids).toContain(left.messages[0]?.messageId);
  });

  it('filters the log by message id, host and path', async () => {
    const { messageId } = await later('/logged/path');
    const host = new URL(h.receiver.origin).host;
    const byId = await h.client.logs({ filter: { messageId } });
    expect(new Set(byId.logs.map((log) => log.messageId))).toEqual(new Set([messageId]));
    const byPath = await h.client.logs({ filter: { host, path: '/logged/path' } });
    expect(byPath.logs.map((log) => log.messageId)).toContain(messageId);
    expect(byPath.logs.every((log) => log.url === h.receiver.url('/logged/path'))).toBe(true);
    const elsewhere = await h.client.logs({ filter: { host: 'elsewhere.example' } });
    expect(elsewhere.logs).toEqual([]);
    await h.client.messages.cancel(messageId);
  });

  it('cancels by host, path and flow-control key, and only what matches', async () => {
    const keep = await later('/keep');
    const byPath = await later('/cancel-by-path');
    const byKey = await later('/cancel-by-key', { flowControl: { key: 'tenant-9', rate: 5 } });
    expect(
      await h.client.messages.cancel({ filter: { path: '/cancel-by-path', host: 'x.example' } }),
    ).toEqual({ cancelled: 0 });
    expect(
      await h.client.messages.cancel({
        filter: { path: '/cancel-by-path', host: new URL(h.receiver.origin).host },
      }),
    ).toEqual({ cancelled: 1 });
    expect(await h.client.messages.cancel({ filter: { flowControlKey: 'tenant-9' } })).toEqual({
      cancelled: 1,
    });
    expect(await status(h.client.messages.get(byPath.messageId))).toBe(404);
    expect(await status(h.client.messages.get(byKey.messageId))).toBe(404);
    expect(await status(h.client.messages.get(keep.messageId))).toBe(200);
    await h.client.messages.cancel(keep.messageId);
  });
});

describe('cancelling a message on the wire', () => {
  it('wins: the attempt in progress is not retried, and the log ends with CANCELED', async () => {
    h.receiver.on('/slow', () => ({ status: 500, delayMs: 300 }));
    const { messageId } = (await h.client.publish({
      url: h.receiver.url('/slow'),
      body: 'x',
      retries: 3,
      retryDelay: '0',
    })) as { messageId: string };
    await h.receiver.waitFor(1, '/slow');
    expect(h.receiver.unanswered.size).toBeGreaterThan(0);
    expect(await h.client.messages.cancel(messageId)).toEqual({ cancelled: 1 });
    await eventually('the attempt to be answered', async () => h.receiver.unanswered.size === 0);
    // A retry would be due at once (retryDelay 0): a message published now is delivered only
    // after the dispatcher has taken that turn.
    await h.client.publish({ url: h.receiver.url('/after-cancel'), body: 'x' });
    await h.receiver.waitFor(1, '/after-cancel');
    await h.client.publish({ url: h.receiver.url('/after-cancel'), body: 'y' });
    await h.receiver.waitFor(2, '/after-cancel');
    const { logs } = await h.client.logs({ filter: { messageId } });
    expect(h.receiver.to('/slow'), JSON.stringify(logs)).toHaveLength(1);
    expect(logs[0]?.state).toBe('CANCELED');
    expect(logs.map((log) => log.state)).not.toContain('RETRY');
  });
});

describe('header names', () => {
  it('come back as hosted QStash spells them, on schedules, messages and dead letters', async () => {
    const { scheduleId } = await h.client.schedules.create({
      destination: h.receiver.url('/headers'),
      cron: '0 0 1 1 *',
      body: JSON.stringify({ hello: 'world' }),
      headers: {
        'test-header': 'test-value',
        'Upstash-Forward-bypass-tunnel-reminder': 'client-test',
        'content-type': 'application/json',
      },
    });
    expect((await h.client.schedules.get(scheduleId)).header).toEqual({
      'Bypass-Tunnel-Reminder': ['client-test'],
      'Content-Type': ['application/json'],
      'Test-Header': ['test-value'],
    });
    await h.client.schedules.delete(scheduleId);

    const { messageId } = await later('/headers', { headers: { 'x-tenant-id': 'acme' } });
    expect((await h.client.messages.get(messageId)).header).toMatchObject({
      'X-Tenant-Id': ['acme'],
    });
    await h.client.messages.cancel(messageId);

    const dead = await deadLetter('/dead-a', { headers: { 'x-tenant-id': 'acme' } });
    const { messages } = await h.client.dlq.listMessages({ filter: { messageId: dead } });
    expect(messages[0]?.header).toMatchObject({ 'X-Tenant-Id': ['acme'] });
  });
});

describe('redaction', () => {
  const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

  it('delivers the originals, and shows REDACTED:<sha256> everywhere a message is shown', async () => {
    const secret = 'Bearer s3cret-token';
    const body = '{"card":"4242"}';
    h.receiver.on('/redacted', () => ({ status: 500 }));
    const { messageId } = (await h.client.publish({
      url: h.receiver.url('/redacted'),
      body,
      retries: 0,
      headers: { Authorization: secret, 'x-visible': 'yes', 'content-type': 'application/json' },
      redact: { body: true, header: ['Authorization'] },
    })) as { messageId: string };
    const [delivery] = await h.receiver.waitFor(1, '/redacted');
    expect(delivery?.text).toBe(body);
    expect(delivery?.headers.authorization).toBe(secret);

    await eventually('the dead letter', async () => {
      const { messages } = await h.client.dlq.listMessages({ filter: { messageId } });
      return messages.length === 1;
    });
    const {
      messages: [dead],
    } = await h.client.dlq.listMessages({ filter: { messageId } });
    expect(dead?.body).toBe(`REDACTED:${sha256(body)}`);
    expect(dead?.header).toMatchObject({
      Authorization: [`REDACTED:${sha256(secret)}`],
      'X-Visible': ['yes'],
    });
    const page = await (await fetch(`${h.server.url}/messages/${messageId}`)).text();
    expect(page).not.toContain('s3cret');
    expect(page).not.toContain('4242');

    const { scheduleId } = await h.client.schedules.create({
      destination: h.receiver.url('/redacted-schedule'),
      cron: '0 0 1 1 *',
      body,
      redact: { header: true },
      headers: { Authorization: secret },
    });
    const schedule = await h.client.schedules.get(scheduleId);
    expect(schedule.header?.Authorization).toEqual([`REDACTED:${sha256(secret)}`]);
    expect(schedule.body).toBe(body);
    await h.client.schedules.delete(scheduleId);
  });
});

describe('ids in the path', () => {
  it('answer 400, never 500, to broken percent-encoding or odd characters', async () => {
    for (const [method, path] of [
      ['GET', '/v2/workflows/runs/%E0%A4%A'],
      ['POST', '/v2/notify/%'],
      ['GET', '/v2/waiters/a%20b'],
      ['GET', '/v2/flowControl/%ZZ'],
    ] as const) {
      const response = await h.api(path, { method });
      expect(response.status, `${method} ${path}`).toBe(400);
    }
  });
});

describe('the Workflow API beyond what the SDK calls', () => {
  it('answers 501 on Workflow routes the SDK never calls, and 405 naming the method on those it does', async () => {
    for (const [method, path] of [
      ['GET', '/v2/workflows/schedules'],
      ['POST', '/v2/workflows/anything/else'],
    ] as const) {
      const response = await h.api(path, { method });
      expect(response.status, `${method} ${path}`).toBe(501);
    }
    for (const [method, path, allow] of [
      ['PUT', '/v2/notify/event-1', 'POST'],
      ['DELETE', '/v2/waiters/event-1', 'GET'],
      ['POST', '/v2/workflows/events', 'GET'],
    ] as const) {
      const response = await h.api(path, { method });
      expect(response.status, `${method} ${path}`).toBe(405);
      expect(response.headers.get('allow')).toBe(allow);
    }
  });
});
