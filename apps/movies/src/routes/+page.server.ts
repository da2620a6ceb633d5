import { cache, tmdb } from '#lib/server/app.ts';
import { cacheStatus } from '#lib/server/cache.ts';
import { originFailure } from '#lib/server/errors.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ setHeaders }) => {
  const started = performance.now();
  const popular = await cache.list('popular:1', () => tmdb.popular(1)).catch(originFailure);
  setHeaders({ 'cache-status': cacheStatus(popular.outcome) });
  return {
    popular: popular.value,
    cache: { outcome: popular.outcome, ms: performance.now() - started },
  };
};
