import type { QstashError } from '@upstash/qstash';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Harness, sleep, startHarness } from './helpers/broker.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
afterEach(() => {
  vi.useRealTimers();
});

const trigger = (scheduleId: string) =>
  h.api(`/v2/dev/schedules/${scheduleId}/trigger`, { method: 'POST' });

describe('schedules', () => {
  it('creates, gets, lists, pauses, resumes and deletes through the official Client', async () => {
    const { scheduleId } = await h.client.schedules.create({
      destination: h.receiver.url('/report'),
      cron: '0 9 * * 1',
      body: JSON.stringify({ report: 'weekly' }),
      retries: 2,
      headers: { 'x-team': 'ops' },
    });
    expect(scheduleId).toMatch(/^scd_/);
    const schedule = await h.client.schedules.get(scheduleId);
    expect(schedule).toMatchObject({
      scheduleId,
      cron: '0 9 * * 1',
      destination: h.receiver.url('/report'),
      method: 'POST',
      retries: 2,
      isPaused: false,
      body: '{"report":"weekly"}',
      header: { 'Content-Type': ['application/json'], 'X-Team': ['ops'] },
    });
    // The next Monday, 09:00 UTC.
    const next = new Date(schedule.nextScheduleTime as number);
    expect([next.getUTCDay(), next.getUTCHours(), next.getUTCMinutes()]).toEqual([1, 9, 0]);

    expect((await h.client.schedules.list()).map((listed) => listed.scheduleId)).toContain(
      scheduleId,
    );
    await h.client.schedules.pause({ schedule: scheduleId });
    expect((await h.client.schedules.get(scheduleId)).isPaused).toBe(true);
    await h.client.schedules.resume({ schedule: scheduleId });
    expect((await h.client.schedules.get(scheduleId)).isPaused).toBe(false);
    await h.client.schedules.delete(scheduleId);
    const error = await h.client.schedules.get(scheduleId).catch((thrown: unknown) => thrown);
    expect((error as QstashError).status).toBe(404);
  });

  it('updates the schedule when created again with the same id', async () => {
    const first = await h.client.schedules.create({
      scheduleId: 'nightly-sync',
      destination: h.receiver.url('/sync'),
      cron: '0 2 * * *',
    });
    const again = await h.client.schedules.create({
      scheduleId: 'nightly-sync',
      destination: h.receiver.url('/sync-v2'),
      cron: '30 3 * * *',
    });
    expect(first.scheduleId).toBe('nightly-sync');
    expect(again.scheduleId).toBe('nightly-sync');
    const all = (await h.client.schedules.list()).filter(
      (schedule) => schedule.scheduleId === 'nightly-sync',
    );
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ cron: '30 3 * * *', destination: h.receiver.url('/sync-v2') });
    await h.client.schedules.delete('nightly-sync');
  });

  it('"trigger now" delivers at once with Upstash-Schedule-Id, leaving the timetable alone', async () => {
    const { scheduleId } = await h.client.schedules.create({
      destination: h.receiver.url('/triggered'),
      cron: '0 0 1 1 *',
      body: 'tick',
    });
    const before = await h.client.schedules.get(scheduleId);
    const response = await trigger(scheduleId);
    expect(response.status).toBe(200);
    const { messageIds } = (await response.json()) as { messageIds: string[] };
    const [delivery] = await h.receiver.waitFor(1, '/triggered');
    expect(delivery?.headers['upstash-schedule-id']).toBe(scheduleId);
    expect(delivery?.headers['upstash-message-id']).toBe(messageIds[0]);
    expect(delivery?.text).toBe('tick');
    expect(delivery?.signet).toBe(true);
    expect(delivery?.official).toBe(true);
    expect((await h.client.schedules.get(scheduleId)).nextScheduleTime).toBe(
      before.nextScheduleTime,
    );
    expect((await trigger('scd_missing')).status).toBe(404);
    await h.client.schedules.delete(scheduleId);
  });

  it('fires on its cron, and a paused schedule does not', async () => {
    const active = await h.client.schedules.create({
      destination: h.receiver.url('/every-minute'),
      cron: '* * * * *',
      body: 'on',
    });
    const paused = await h.client.schedules.create({
      destination: h.receiver.url('/paused-minute'),
      cron: '* * * * *',
      body: 'off',
    });
    await h.client.schedules.pause({ schedule: paused.scheduleId });
    const { nextScheduleTime } = await h.client.schedules.get(active.scheduleId);

    // Only the clock jumps (timers stay real): the broker's next look sees the minute has come.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime((nextScheduleTime as number) + 500);
    await h.api('/v2/dev/deliver-now', { method: 'POST' }); // any wake-up will do

    const [delivery] = await h.receiver.waitFor(1, '/every-minute');
    expect(delivery?.headers['upstash-schedule-id']).toBe(active.scheduleId);
    expect(delivery?.signet).toBe(true);
    const after = await h.client.schedules.get(active.scheduleId);
    expect(after.lastScheduleTime).toBe((nextScheduleTime as number) + 500);
    expect(after.nextScheduleTime).toBe((nextScheduleTime as number) + 60_000);
    await sleep(100);
    expect(h.receiver.to('/paused-minute')).toHaveLength(0);
    expect(h.receiver.to('/every-minute')).toHaveLength(1);
    vi.useRealTimers();
    await h.client.schedules.delete(active.scheduleId);
    await h.client.schedules.delete(paused.scheduleId);
  });

  it('understands CRON_TZ', async () => {
    const { scheduleId } = await h.client.schedules.create({
      destination: h.receiver.url('/tz'),
      cron: 'CRON_TZ=America/New_York 0 9 * * *',
    });
    const next = new Date((await h.client.schedules.get(scheduleId)).nextScheduleTime as number);
    const hourInNewYork = Number(
      new Intl.DateTimeFormat('en-US', {
        timeZone: 'America/New_York',
        hour: 'numeric',
        hour12: false,
      }).format(next),
    );
    expect(hourInNewYork).toBe(9);
    await h.client.schedules.delete(scheduleId);
  });

  it('fans a schedule out to a URL group, and delivers through its queue', async () => {
    await h.client.urlGroups.addEndpoints({
      name: 'scheduled-group',
      endpoints: [{ url: h.receiver.url('/g1') }, { url: h.receiver.url('/g2') }],
    });
    const group = await h.client.schedules.create({
      destination: 'scheduled-group',
      cron: '0 0 1 1 *',
      body: 'fan',
    });
    await trigger(group.scheduleId);
    await h.receiver.waitFor(1, '/g1');
    await h.receiver.waitFor(1, '/g2');
    expect(h.receiver.to('/g1')[0]?.headers['upstash-topic-name']).toBe('scheduled-group');

    const queued = await h.client.schedules.create({
      destination: h.receiver.url('/queued'),
      cron: '0 0 1 1 *',
      queueName: 'cron-queue',
    });
    expect((await h.client.schedules.get(queued.scheduleId)).queueName).toBe('cron-queue');
    await trigger(queued.scheduleId);
    await h.receiver.waitFor(1, '/queued');
    expect((await h.client.queue({ queueName: 'cron-queue' }).get()).name).toBe('cron-queue');
  });

  it('refuses a bad cron, a missing cron and an unknown URL group with 400', async () => {
    const refusal = (create: () => Promise<unknown>) =>
      create().catch((thrown: unknown) => thrown) as Promise<QstashError>;
    const bad = await refusal(() =>
      h.client.schedules.create({ destination: h.receiver.url('/x'), cron: '61 * * * *' }),
    );
    expect(bad.status).toBe(400);
    expect(bad.message).toMatch(/cron/);
    const missing = await h.api(`/v2/schedules/${h.receiver.url('/x')}`, { method: 'POST' });
    expect(missing.status).toBe(400);
    expect((await missing.json()).detail).toMatch(/Upstash-Cron/);
    const group = await refusal(() =>
      h.client.schedules.create({ destination: 'no-such-group', cron: '* * * * *' }),
    );
    expect(group.status).toBe(400);
  });
});
