// One Redis connection per process.
import { perProcess } from '@signet/demo-kit/process';
import { createClient } from 'redis';
import { config } from './config.ts';

const connect = (url: string) => createClient({ url });
export type RedisClient = ReturnType<typeof connect>;

export function redis(): Promise<RedisClient> {
  return perProcess('usage-sync.redis', async () => {
    const client = connect(config().redisUrl);
    client.on('error', (error: Error) => console.error(`[usage-sync] Redis: ${error.message}`));
    await client.connect();
    return client;
  });
}

export const quotaKey = (userId: number) => `${config().redisPrefix}user:${userId}:quota`;
