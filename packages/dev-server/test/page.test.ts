// The broker's pages: the overview, and each message opened to what a developer debugging a
// delivery wants (body, headers, every attempt, the callbacks it triggered), escaped, with
// secrets out of sight.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './helpers/broker.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const page = async (path: string) => {
  const response = await fetch(`${h.server.url}${path}`);
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    html: await response.text(),
  };
};

describe('the overview', () => {
  it('lists messages, schedules, URL groups, queues and dead letters, and refreshes itself', async () => {
    h.receiver.on('/dead', () => ({ status: 500 }));
    const { messageId } = (await h.client.publish({
      url: h.receiver.url('/dead'),
      body: 'x',
      retries: 0,
    })) as { messageId: string };
    await h.client.schedules.create({
      scheduleId: 'page-schedule',
      destination: h.receiver.url('/s'),
      cron: '0 5 * * *',
    });
    await h.client.urlGroups.addEndpoints({
      name: 'page-group',
      endpoints: [{ url: h.receiver.url('/<script>alert(1)</script>') }],
    });
    await h.client.queue({ queueName: 'page-queue' }).upsert({ parallelism: 2 });
    await h.receiver.waitFor(1, '/dead');
    await new Promise((resolve) => setTimeout(resolve, 100));

    const { status, type, html } = await page('/');
    expect(status).toBe(200);
    expect(type).toBe('text/html; charset=utf-8');
    expect(html).toContain('<meta http-equiv="refresh" content="2">');
    for (const text of [
      messageId,
      '>failed<',
      'page-schedule',
      '0 5 * * *',
      'page-group',
      'page-queue',
      'dlq_',
    ])
      expect(html).toContain(text);
    expect(html).toContain(`href="/messages/${messageId}"`);
    // Everything shown is escaped: a URL cannot inject markup into the page.
    expect(html).not.toContain('<script>alert(1)</script>');
    // No mid-word breaks: the stylesheet never breaks all words anywhere.
    expect(html).not.toContain('break-all');
  });
});

describe('a message', () => {
  it('opens to its body, headers, every attempt (status, response, duration) and its callbacks', async () => {
    h.receiver.on('/flaky-page', (_delivery, attempt) =>
      attempt === 0 ? { status: 503, body: 'busy, try later' } : { status: 200, body: 'thanks' },
    );
    const { messageId } = (await h.client.publishJSON({
      url: h.receiver.url('/flaky-page'),
      body: { order: 42, note: '<b>bold</b>' },
      headers: { 'X-Trace': 'trace-1', Authorization: 'Bearer secret-token' },
      callback: h.receiver.url('/page-callback'),
    })) as { messageId: string };
    await h.receiver.waitFor(2, '/flaky-page');
    await h.receiver.waitFor(2, '/page-callback');
    await new Promise((resolve) => setTimeout(resolve, 100));

    const { status, html } = await page(`/messages/${messageId}`);
    expect(status).toBe(200);
    expect(html).toContain('&#34;order&#34;:42');
    expect(html).toContain('&#60;b&#62;bold&#60;/b&#62;');
    expect(html).toContain('x-trace');
    expect(html).toContain('trace-1');
    expect(html).not.toContain('secret-token'); // credentials are not shown
    expect(html).toContain('busy, try later');
    expect(html).toContain('thanks');
    expect(html).toMatch(/>503</);
    expect(html).toMatch(/\d+ ms/);
    // Two callbacks (one per attempt), each linked; the page stops refreshing once delivered.
    expect(html.match(/href="\/messages\/msg_[^"]+"/g)?.length).toBeGreaterThanOrEqual(2);
    expect(html).not.toContain('http-equiv="refresh"');
  });

  it('answers 404 with a page for a message it does not hold', async () => {
    const { status, html } = await page('/messages/msg_nope');
    expect(status).toBe(404);
    expect(html).toContain('No such message');
  });
});
