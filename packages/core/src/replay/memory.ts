import type { ReplayStore } from './store.ts';

export interface MemoryReplayStoreOptions {
  /** Most tokens remembered at once; the oldest are forgotten first. Default 10,000. */
  max?: number;
  /** Clock in milliseconds, for tests. */
  now?: () => number;
}

/**
 * A replay store for one process. Bounded: past `max` live entries the oldest is forgotten, which
 * re-opens a replay window for that token only; size `max` above your peak deliveries per five
 * minutes. Several instances behind a load balancer need `redisReplayStore` instead.
 */
export function memoryReplayStore(options: MemoryReplayStoreOptions = {}): ReplayStore {
  const max = options.max ?? 10_000;
  if (!Number.isInteger(max) || max < 1) {
    throw new TypeError('@signet/core: memoryReplayStore max must be a positive integer');
  }
  const now = options.now ?? Date.now;
  // Map order is insertion order. Sweeping stops at the first live entry, so an entry that
  // expires before an older one is dropped a little later; `mark` compares expiry times, so that
  // never turns a fresh token into a false replay.
  const entries = new Map<string, number>();

  const sweep = (time: number) => {
    for (const [id, expires] of entries) {
      if (expires > time) break;
      entries.delete(id);
    }
  };

  return {
    mark(id, ttlSeconds) {
      const time = now();
      const expires = entries.get(id);
      if (expires !== undefined && expires > time) return false;
      entries.delete(id);
      sweep(time);
      while (entries.size >= max) {
        const oldest = entries.keys().next().value as string;
        entries.delete(oldest);
      }
      entries.set(id, time + ttlSeconds * 1000);
      return true;
    },
    release(id) {
      entries.delete(id);
    },
  };
}
