import { error } from '@sveltejs/kit';
import { cache, config } from '#lib/server/app.ts';
import { cacheStatus } from '#lib/server/cache.ts';
import { originFailure } from '#lib/server/errors.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, url, setHeaders }) => {
  const id = Number(params.id);
  if (!/^\d{1,9}$/.test(params.id) || id < 1) error(404, 'No movie with that id.');
  const started = performance.now();
  const served = await cache.movie(id, config.appUrl ?? url.origin).catch(originFailure);
  setHeaders({ 'cache-status': cacheStatus(served.outcome) });
  return {
    movie: served.value,
    cache: { outcome: served.outcome, ms: performance.now() - started },
  };
};
