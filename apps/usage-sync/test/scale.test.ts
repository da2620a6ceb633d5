// 10,000 users' counters in one sync run, within the bound the README states.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../lib/db.ts';
import { type Stack, startStack } from './harness.ts';

const USERS = 10_000;
/** Measured at ~0.4 s on the 2-core development machine (see README); the rest is headroom for a busy CI. */
const BOUND_MS = 5_000;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

it(`syncs ${USERS.toLocaleString('en-US')} users' counters in one run within ${BOUND_MS / 1000} s`, async () => {
  const db = stack.db as Db;
  const inserted = await db.execute(sql`
    INSERT INTO users (email, plan, api_key_hash)
    SELECT 'user' || g || '@scale.test', 'FREE', md5('scale' || g)
    FROM generate_series(1, ${USERS}) AS g
    RETURNING id`);
  const ids = (inserted as unknown as { rows: { id: number }[] }).rows.map((row) => row.id);
  expect(ids).toHaveLength(USERS);
  const counters: [string, string][] = ids.map((id) => [
    `${stack.prefix}user:${id}:quota`,
    String(id % 500),
  ]);
  await stack.redis.mSet(counters);

  const started = performance.now();
  const response = await stack.cron();
  const elapsed = performance.now() - started;
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ scanned: USERS, updated: USERS, skipped: 0 });
  console.log(`synced ${USERS} users in ${elapsed.toFixed(0)} ms`);
  expect(elapsed).toBeLessThan(BOUND_MS);

  const wrong = await db.execute(
    sql`SELECT count(*)::int AS n FROM users WHERE email LIKE '%@scale.test' AND usage <> id % 500`,
  );
  expect((wrong as unknown as { rows: { n: number }[] }).rows[0]?.n).toBe(0);
});
