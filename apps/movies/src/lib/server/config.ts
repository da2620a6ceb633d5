// Every setting the app reads, with its default, in one place. Pure, so tests can build a
// config without SvelteKit's $env.
export interface Config {
  tmdb: { baseUrl: string; apiKey: string | undefined; imageBaseUrl: string; timeoutMs: number };
  redisUrl: string;
  /** Prepended to every Redis key (default `movies:`), so several apps or test runs can share one Redis. */
  redisPrefix: string;
  freshSeconds: number;
  ttlSeconds: number;
  listTtlSeconds: number;
  /** The app's public origin, for the refresh URL QStash calls; default: the request's origin. */
  appUrl: string | undefined;
  qstash: { url: string | undefined; token: string | undefined };
}

type Env = Record<string, string | undefined>;

const TMDB = 'https://api.themoviedb.org';
const BUNDLED_ORIGIN = 'http://127.0.0.1:8790';

function seconds(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0)
    throw new Error(`${name} must be a whole number of seconds above 0, got "${raw}"`);
  return value;
}

const trimSlash = (url: string) => url.replace(/\/+$/, '');

export function readConfig(env: Env): Config {
  const apiKey = env.TMDB_API_KEY || undefined;
  const baseUrl = trimSlash(env.TMDB_BASE_URL || (apiKey ? TMDB : BUNDLED_ORIGIN));
  const imageBaseUrl = trimSlash(
    env.TMDB_IMAGE_BASE_URL || (baseUrl === TMDB ? 'https://image.tmdb.org/t/p' : `${baseUrl}/t/p`),
  );
  const freshSeconds = seconds(env, 'MOVIE_FRESH_SECONDS', 86_400);
  const ttlSeconds = seconds(env, 'MOVIE_TTL_SECONDS', 7 * 86_400);
  if (ttlSeconds <= freshSeconds)
    throw new Error('MOVIE_TTL_SECONDS must be longer than MOVIE_FRESH_SECONDS');
  return {
    tmdb: {
      baseUrl,
      apiKey,
      imageBaseUrl,
      timeoutMs: seconds(env, 'TMDB_TIMEOUT_SECONDS', 5) * 1000,
    },
    redisUrl: env.REDIS_URL || 'redis://127.0.0.1:6379',
    redisPrefix: env.REDIS_PREFIX ?? 'movies:',
    freshSeconds,
    ttlSeconds,
    listTtlSeconds: seconds(env, 'LIST_TTL_SECONDS', 600),
    appUrl: env.APP_URL ? new URL(env.APP_URL).origin : undefined,
    qstash: { url: env.QSTASH_URL || undefined, token: env.QSTASH_TOKEN || undefined },
  };
}
