// Real Redis on 127.0.0.1:6379 (started by scripts/test). Each run uses its own key prefix so
// parallel or repeated runs never see each other's keys.
import { Redis } from 'ioredis';
import { createClient } from 'redis';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const runPrefix = `signet-test:${process.pid}-${Date.now()}:`;

export async function nodeRedisClient() {
  const client = createClient({ url: REDIS_URL });
  client.on('error', () => {});
  await client.connect();
  return client;
}

export function ioRedisClient() {
  return new Redis(REDIS_URL, { lazyConnect: false, maxRetriesPerRequest: 1 });
}

/** Deletes every key this run created under `prefix`. */
export async function cleanUp(client: Redis, prefix: string) {
  const keys = await client.keys(`${prefix}*`);
  if (keys.length > 0) await client.del(...keys);
}
