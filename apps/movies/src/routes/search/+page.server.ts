import { cache, tmdb } from '#lib/server/app.ts';
import { cacheStatus } from '#lib/server/cache.ts';
import { originFailure } from '#lib/server/errors.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url, setHeaders }) => {
  const query = (url.searchParams.get('query') ?? '').trim().slice(0, 100);
  const page = Math.max(
    1,
    Math.min(500, Number.parseInt(url.searchParams.get('page') ?? '1', 10) || 1),
  );
  if (!query) return { query, page, results: null, cache: null };
  const started = performance.now();
  const found = await cache
    .list(`search:${page}:${encodeURIComponent(query.toLowerCase())}`, () =>
      tmdb.search(query, page),
    )
    .catch(originFailure);
  setHeaders({ 'cache-status': cacheStatus(found.outcome) });
  return {
    query,
    page,
    results: found.value,
    cache: { outcome: found.outcome, ms: performance.now() - started },
  };
};
