// Stale-while-revalidate for movies on Redis.
//   movie:{id}        the movie and when it was fetched (expires after the hard TTL)
//   movie:{id}:fresh  a marker that expires after the fresh period
// One MGET reads both: data + marker → hit; data alone → stale: serve it and queue one
// refresh through QStash; nothing → fetch from the origin and store both in one MULTI.
import type { CacheOutcome, Movie, MoviePage } from '../movie.ts';
import type { PublishRefresh } from './publisher.ts';
import { type Redis, UNAVAILABLE } from './redis.ts';
import type { Tmdb } from './tmdb.ts';

export interface Served<T> {
  value: T;
  outcome: CacheOutcome;
}

interface Stored {
  movie: Movie;
  fetchedAt: number;
}

export interface CacheOptions {
  redis: Redis;
  tmdb: Tmdb;
  publish: PublishRefresh;
  prefix: string;
  freshSeconds: number;
  ttlSeconds: number;
  listTtlSeconds: number;
  log?: Pick<Console, 'warn'>;
}

/** While a refresh is queued, other stale reads on this app skip publishing (QStash would deduplicate them anyway). */
const REFRESH_GUARD_SECONDS = 60;

export function createMovieCache(options: CacheOptions) {
  const { redis, tmdb, prefix } = options;
  const log = options.log ?? console;
  const keys = (id: number) => ({
    data: `${prefix}movie:${id}`,
    fresh: `${prefix}movie:${id}:fresh`,
    refreshing: `${prefix}movie:${id}:refreshing`,
  });
  // Concurrent misses for one movie share one origin fetch.
  const fetching = new Map<number, Promise<Movie>>();

  function fetchOnce(id: number): Promise<Movie> {
    let pending = fetching.get(id);
    if (!pending) {
      pending = tmdb.movie(id).finally(() => fetching.delete(id));
      fetching.set(id, pending);
    }
    return pending;
  }

  /** False when Redis could not take it. */
  async function store(id: number, movie: Movie): Promise<boolean> {
    const key = keys(id);
    const stored: Stored = { movie, fetchedAt: Date.now() };
    const result = await redis.run((client) =>
      client
        .multi()
        .set(key.data, JSON.stringify(stored), {
          expiration: { type: 'EX', value: options.ttlSeconds },
        })
        .set(key.fresh, '1', { expiration: { type: 'EX', value: options.freshSeconds } })
        .del(key.refreshing)
        .exec(),
    );
    return result !== UNAVAILABLE;
  }

  async function queueRefresh(id: number, stored: Stored, appOrigin: string): Promise<void> {
    const key = keys(id);
    const claimed = await redis.run((client) =>
      client.set(key.refreshing, '1', {
        condition: 'NX',
        expiration: { type: 'EX', value: REFRESH_GUARD_SECONDS },
      }),
    );
    if (claimed !== 'OK') return;
    // Every instance that sees this entry go stale derives the same id, so a burst across
    // instances still becomes one delivery.
    const staleSince = Math.floor(stored.fetchedAt / 1000) + options.freshSeconds;
    try {
      await options.publish({ id, deduplicationId: `refresh-${id}-${staleSince}`, appOrigin });
    } catch (error) {
      await redis.run((client) => client.del(key.refreshing));
      throw error;
    }
  }

  return {
    keys,

    async movie(id: number, appOrigin: string): Promise<Served<Movie>> {
      const key = keys(id);
      const cached = await redis.run((client) => client.mGet([key.data, key.fresh]));
      if (cached === UNAVAILABLE) return { value: await fetchOnce(id), outcome: 'bypass' };
      const [data, fresh] = cached;
      if (data) {
        const stored = JSON.parse(data) as Stored;
        if (fresh) return { value: stored.movie, outcome: 'hit' };
        // Serve now; the refresh happens later, in a signed request from the broker.
        queueRefresh(id, stored, appOrigin).catch((error: unknown) =>
          log.warn(
            `[movies] could not queue a refresh of movie ${id}: ${(error as Error).message}`,
          ),
        );
        return { value: stored.movie, outcome: 'stale' };
      }
      const movie = await fetchOnce(id);
      await store(id, movie);
      return { value: movie, outcome: 'miss' };
    },

    /** Called by the signed refresh endpoint: fetch again and store, or forget a movie the origin no longer has. */
    async refresh(id: number): Promise<'updated' | 'removed'> {
      // Without Redis there is nowhere to put the result: fail, so the broker tries again later.
      const unavailable = new Error('Redis is unavailable');
      let movie: Movie;
      try {
        movie = await tmdb.movie(id);
      } catch (error) {
        if ((error as { status?: number }).status !== 404) throw error;
        const key = keys(id);
        const removed = await redis.run((client) =>
          client.del([key.data, key.fresh, key.refreshing]),
        );
        if (removed === UNAVAILABLE) throw unavailable;
        return 'removed';
      }
      if (!(await store(id, movie))) throw unavailable;
      return 'updated';
    },

    /** Lists change slowly and are cheap to get wrong: plain read-through with a short TTL. */
    async list(name: string, load: () => Promise<MoviePage>): Promise<Served<MoviePage>> {
      const key = `${prefix}list:${name}`;
      const cached = await redis.run((client) => client.get(key));
      if (cached === UNAVAILABLE) return { value: await load(), outcome: 'bypass' };
      if (cached) return { value: JSON.parse(cached) as MoviePage, outcome: 'hit' };
      const value = await load();
      await redis.run((client) =>
        client.set(key, JSON.stringify(value), {
          expiration: { type: 'EX', value: options.listTtlSeconds },
        }),
      );
      return { value, outcome: 'miss' };
    },
  };
}

export type MovieCache = ReturnType<typeof createMovieCache>;

const CACHE_STATUS: Record<CacheOutcome, string> = {
  hit: 'movies; hit',
  stale: 'movies; hit; detail="stale, refresh queued"',
  miss: 'movies; fwd=miss; stored',
  bypass: 'movies; fwd=bypass; detail="redis unavailable"',
};

/** An RFC 9211 `Cache-Status` value for the outcome. */
export const cacheStatus = (outcome: CacheOutcome) => CACHE_STATUS[outcome];
