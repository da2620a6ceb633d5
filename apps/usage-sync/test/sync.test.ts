// The signed cron: scheduled through the broker at start, triggered through it, and nobody
// else's requests get in.
import { generateSigningKey } from '@signet/core/testing';
import { asc, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../lib/db.ts';
import { syncRuns, users } from '../lib/schema.ts';
import { eventually, type Stack, startStack } from './harness.ts';

let stack: Stack;
let db: Db;
beforeAll(async () => {
  stack = await startStack();
  db = stack.db as Db;
});
afterAll(() => stack?.close());

const usageRows = () =>
  db
    .select({ email: users.email, usage: users.usage, syncedAt: users.usageSyncedAt })
    .from(users)
    .orderBy(asc(users.id));
const runCount = async () => (await db.select({ n: count() }).from(syncRuns))[0]?.n ?? 0;

async function call(times: number, apiKey: string, sheet: number) {
  for (let i = 0; i < times; i++) expect((await stack.api(sheet, apiKey)).status).toBe(200);
}

describe('the hourly schedule', () => {
  it('is created at start with the fixed id, pointing at the app’s own cron URL', async () => {
    const schedule = await eventually('the schedule', () =>
      stack.qstash.schedules.get('usage-sync-hourly').catch(() => undefined),
    );
    expect(schedule).toMatchObject({
      cron: '0 * * * *',
      destination: `${stack.app.origin}/api/cron/update-usage`,
    });
  });

  it('syncs Redis counts into the database when triggered through the broker, skipping a deleted user', async () => {
    await call(3, 'sk_demo_alice', 1);
    await call(2, 'sk_demo_bob', 3);
    await call(4, 'sk_demo_carol', 4);
    // Carol closes her account: her counter is still in Redis, her row is gone.
    await db.delete(users).where(eq(users.email, 'carol@example.com'));

    const before = await runCount();
    const trigger = await fetch(`${stack.broker.url}/v2/dev/schedules/usage-sync-hourly/trigger`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.broker.token}` },
    });
    expect(trigger.ok).toBe(true);
    await eventually('the sync run', async () => (await runCount()) > before);

    const [run] = await db
      .select()
      .from(syncRuns)
      .orderBy(asc(syncRuns.id))
      .limit(1)
      .offset(before);
    expect(run).toMatchObject({ trigger: 'schedule', scanned: 3, updated: 2, skipped: 1 });
    const rows = await usageRows();
    expect(rows.map(({ email, usage }) => [email, usage])).toEqual([
      ['alice@example.com', 3],
      ['bob@example.com', 2],
    ]);
    for (const row of rows) expect(row.syncedAt).toBeInstanceOf(Date);
  });

  it('answers {scanned, updated, skipped} and is safe to run twice', async () => {
    const first = await stack.cron();
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ scanned: 3, updated: 2, skipped: 1 });
    const second = await stack.cron();
    expect(await second.json()).toEqual({ scanned: 3, updated: 2, skipped: 1 });
    expect((await usageRows()).map((row) => row.usage)).toEqual([3, 2]);
  });

  it('syncs from the dashboard’s "Sync now" through the broker', async () => {
    await call(2, 'sk_demo_alice', 1);
    const before = await runCount();
    const response = await fetch(`${stack.app.origin}/api/sync-now`, {
      method: 'POST',
      redirect: 'manual',
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toMatch(/^\/\?queued=msg_/);
    await eventually('the manual sync', async () => (await runCount()) > before);
    expect((await usageRows())[0]?.usage).toBe(5);
    const dashboard = await (await fetch(stack.app.origin)).text();
    expect(dashboard).toContain('(<!-- -->manual<!-- -->)');
  });
});

describe('refusing cron calls that are not from the broker', () => {
  it('answers 401 to unsigned, wrong-key and other-URL calls, and changes nothing', async () => {
    await call(1, 'sk_demo_alice', 1);
    const [runs, rows] = [await runCount(), await usageRows()];
    for (const response of [
      await stack.cron({ unsigned: true }),
      await stack.cron({ key: generateSigningKey() }),
      await stack.cron({ url: 'https://evil.example/api/cron/update-usage' }),
    ]) {
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    }
    expect(await runCount()).toBe(runs);
    expect(await usageRows()).toEqual(rows);
  });
});

describe('restarts', () => {
  it('keep exactly one schedule, updated in place', async () => {
    await stack.restart({ SYNC_CRON: '*/30 * * * *' });
    await eventually('the updated schedule', async () => {
      const schedules = await stack.qstash.schedules.list();
      return schedules.length === 1 && schedules[0]?.cron === '*/30 * * * *'
        ? schedules
        : undefined;
    });
    await stack.restart();
    await eventually('the schedule back on the hour', async () => {
      const schedules = await stack.qstash.schedules.list();
      return schedules.length === 1 && schedules[0]?.cron === '0 * * * *';
    });
    expect((await stack.qstash.schedules.list()).map((schedule) => schedule.scheduleId)).toEqual([
      'usage-sync-hourly',
    ]);
  });
});
