// The app's singletons, built once from the environment when the server starts. The app runs
// on Node (adapter-node), so it reads process.env directly.
import { createMovieCache } from './cache.ts';
import { readConfig } from './config.ts';
import { createPublisher } from './publisher.ts';
import { connectRedis } from './redis.ts';
import { createTmdb } from './tmdb.ts';

export const config = readConfig(process.env);
export const redis = connectRedis({ url: config.redisUrl });
export const tmdb = createTmdb(config.tmdb);
export const cache = createMovieCache({
  redis,
  tmdb,
  publish: createPublisher(config.qstash),
  prefix: config.redisPrefix,
  freshSeconds: config.freshSeconds,
  ttlSeconds: config.ttlSeconds,
  listTtlSeconds: config.listTtlSeconds,
});

// adapter-node's graceful shutdown: let the process exit once requests are done.
process.once('sveltekit:shutdown', () => {
  redis.close().catch(() => {});
});
