// One Redis connection per process (on globalThis, as Next may load this module twice).
import { createClient } from 'redis';
import { config } from './config.ts';

const connect = (url: string) => createClient({ url });
export type RedisClient = ReturnType<typeof connect>;

const slot = Symbol.for('usage-sync.redis');
type Slot = { [slot]?: Promise<RedisClient> };

export function redis(): Promise<RedisClient> {
  const global = globalThis as Slot;
  global[slot] ??= (async () => {
    const client = connect(config().redisUrl);
    client.on('error', (error: Error) => console.error(`[usage-sync] Redis: ${error.message}`));
    await client.connect();
    return client;
  })().catch((error: unknown) => {
    delete global[slot];
    throw error;
  });
  return global[slot];
}

export const quotaKey = (userId: number) => `${config().redisPrefix}user:${userId}:quota`;
