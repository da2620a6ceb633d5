// Folds the Redis counters into the database. SCAN walks the keyspace with a cursor until the
// cursor comes back to 0 (SCAN may return a key twice, so keys are de-duplicated), values come
// in with one MGET per batch, and each batch is one UPDATE … FROM (VALUES …) in a transaction.
// It sets usage to the counter's value rather than adding to it, so running it twice is harmless.
import { sql } from 'drizzle-orm';
import type { Db } from './db.ts';
import type { RedisClient } from './redis.ts';
import { syncRuns, users } from './schema.ts';

export interface SyncResult {
  /** Counter keys found. */
  scanned: number;
  /** Users whose usage was written. */
  updated: number;
  /** Keys with no user in the database (deleted users), or unreadable. */
  skipped: number;
}

export interface SyncOptions {
  db: Db;
  redis: RedisClient;
  prefix: string;
  trigger: string;
  messageId?: string | undefined;
  batchSize?: number;
}

export async function syncUsage(options: SyncOptions): Promise<SyncResult> {
  const { db, redis, prefix } = options;
  const batchSize = options.batchSize ?? 1000;
  const startedAt = new Date();
  const pattern = `${prefix}user:*:quota`;
  const idOf = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}user:(\\d+):quota$`);
  const seen = new Set<string>();
  const result: SyncResult = { scanned: 0, updated: 0, skipped: 0 };
  let pending: string[] = [];

  async function flush() {
    const keys = pending;
    pending = [];
    if (keys.length === 0) return;
    const values = await redis.mGet(keys);
    const rows: { id: number; usage: number }[] = [];
    keys.forEach((key, index) => {
      const id = Number(idOf.exec(key)?.[1]);
      const usage = Number(values[index]);
      // A key that expired between SCAN and MGET, or one that is not ours: nothing to write.
      if (Number.isSafeInteger(id) && id > 0 && id <= 2_147_483_647 && Number.isSafeInteger(usage))
        rows.push({ id, usage });
      else result.skipped++;
    });
    if (rows.length === 0) return;
    const list = sql.join(
      rows.map((row) => sql`(${row.id}::integer, ${row.usage}::integer)`),
      sql`, `,
    );
    const updated = await db.transaction(async (tx) => {
      const written = await tx.execute(sql`
        UPDATE ${users} SET usage = v.usage, usage_synced_at = now()
        FROM (VALUES ${list}) AS v(id, usage)
        WHERE ${users.id} = v.id
        RETURNING ${users.id}`);
      return (written as unknown as { rows: unknown[] }).rows.length;
    });
    result.updated += updated;
    result.skipped += rows.length - updated;
  }

  let cursor = '0';
  do {
    const reply = await redis.scan(cursor, { MATCH: pattern, COUNT: batchSize });
    cursor = String(reply.cursor);
    for (const key of reply.keys) {
      if (seen.has(key)) continue;
      seen.add(key);
      result.scanned++;
      pending.push(key);
    }
    if (pending.length >= batchSize) await flush();
  } while (cursor !== '0');
  await flush();

  await db.insert(syncRuns).values({
    startedAt,
    finishedAt: new Date(),
    trigger: options.trigger,
    messageId: options.messageId ?? null,
    ...result,
  });
  return result;
}
