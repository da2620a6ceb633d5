// One Redis connection per process. While Redis is away, commands fail at once (no offline
// queue, so no request hangs waiting for it) and the outage is logged once, its end once.
import { redisReplayStore } from '@signet/core';
import { createClient } from 'redis';
import { config } from './config.ts';
import { perProcess } from './lifecycle.ts';

const connect = (url: string) =>
  createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 1000,
      reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2000),
    },
  });
export type RedisClient = ReturnType<typeof connect>;

export function redis(): Promise<RedisClient> {
  return perProcess('redis', async () => {
    const client = connect(config().redisUrl);
    let down = false;
    client.on('error', (error: Error) => {
      if (down) return;
      down = true;
      console.warn(
        `[usage-sync] Redis is unavailable (${error.message || error.name}); API calls answer 503 until it is back.`,
      );
    });
    client.on('ready', () => {
      if (down) console.info('[usage-sync] Redis is back.');
      down = false;
    });
    await client.connect();
    return client;
  });
}

export const quotaKey = (userId: number) => `${config().redisPrefix}user:${userId}:quota`;

/**
 * Signet's replay marks, in the same Redis (the verifier is made when the route module loads,
 * the connection on first use).
 */
export const replayStore = {
  mark: async (id: string, ttlSeconds: number) =>
    redisReplayStore(await redis(), { prefix: `${config().redisPrefix}signet:replay:` }).mark(
      id,
      ttlSeconds,
    ),
  release: async (id: string) =>
    redisReplayStore(await redis(), { prefix: `${config().redisPrefix}signet:replay:` }).release(
      id,
    ),
};
