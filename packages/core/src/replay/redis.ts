import type { ReplayStore } from './store.ts';

/** node-redis v4+ (`createClient()`): raw commands via `sendCommand`. */
export interface NodeRedisLike {
  sendCommand(args: string[]): Promise<unknown>;
}
/** ioredis: raw commands via `call`. */
export interface IoRedisLike {
  call(command: string, ...args: (string | number)[]): Promise<unknown>;
}
/** @upstash/redis and other clients with a `set(key, value, { nx, ex })` signature. */
export interface UpstashRedisLike {
  set(key: string, value: string, options: { nx: true; ex: number }): Promise<unknown>;
  del(key: string): Promise<unknown>;
}
export type RedisClientLike = NodeRedisLike | IoRedisLike | UpstashRedisLike;

export interface RedisReplayStoreOptions {
  /** Key prefix. Default `signet:replay:`. */
  prefix?: string;
}

type Command = (args: string[]) => Promise<unknown>;

function commandRunner(client: RedisClientLike): Command | undefined {
  if (typeof (client as IoRedisLike).call === 'function') {
    const io = client as IoRedisLike;
    return ([name, ...args]) => io.call(name as string, ...args);
  }
  if (typeof (client as NodeRedisLike).sendCommand === 'function') {
    const nodeRedis = client as NodeRedisLike;
    return (args) => nodeRedis.sendCommand(args);
  }
  return undefined;
}

/**
 * A replay store shared by every instance through Redis: `SET key 1 NX EX ttl` marks a token
 * atomically, and the key expires with the token, so nothing needs cleaning up.
 * Works with node-redis (`redis`), ioredis and @upstash/redis clients.
 */
export function redisReplayStore(
  client: RedisClientLike,
  options: RedisReplayStoreOptions = {},
): ReplayStore {
  const prefix = options.prefix ?? 'signet:replay:';
  const run = commandRunner(client);
  if (!run && typeof (client as UpstashRedisLike).set !== 'function') {
    throw new TypeError(
      '@signet/core: redisReplayStore needs a node-redis, ioredis or @upstash/redis client',
    );
  }
  const ttl = (seconds: number) => Math.max(1, Math.ceil(seconds));

  return {
    async mark(id, ttlSeconds) {
      const key = prefix + id;
      const result = run
        ? await run(['SET', key, '1', 'NX', 'EX', String(ttl(ttlSeconds))])
        : await (client as UpstashRedisLike).set(key, '1', { nx: true, ex: ttl(ttlSeconds) });
      return result === 'OK';
    },
    async release(id) {
      const key = prefix + id;
      if (run) await run(['DEL', key]);
      else await (client as UpstashRedisLike).del(key);
    },
  };
}
