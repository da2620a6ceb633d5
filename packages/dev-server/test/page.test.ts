import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Harness, startHarness } from './helpers/broker.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

it('lists messages, schedules, URL groups, queues and dead letters on a page that refreshes itself', async () => {
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

  const response = await fetch(`${h.server.url}/`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
  const html = await response.text();
  expect(html).toContain('<meta http-equiv="refresh" content="2">');
  for (const text of [
    messageId,
    'FAILED',
    'page-schedule',
    '0 5 * * *',
    'page-group',
    'page-queue',
    'dlq_',
  ])
    expect(html).toContain(text);
  // Everything shown is escaped: a URL cannot inject markup into the page.
  expect(html).not.toContain('<script>alert(1)</script>');
  expect(html).toMatch(/&#60;script&#62;|%3Cscript%3E/);
});
