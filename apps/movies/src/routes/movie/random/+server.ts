import { redirect } from '@sveltejs/kit';
import { cache, tmdb } from '#lib/server/app.ts';
import { originFailure } from '#lib/server/errors.ts';
import type { RequestHandler } from './$types';

const randomIndex = (length: number) => Math.floor(Math.random() * length);

// A random film from the first popular pages (cached lists, so this costs no origin call).
export const GET: RequestHandler = async ({ setHeaders }) => {
  const first = await cache.list('popular:1', () => tmdb.popular(1)).catch(originFailure);
  const page = 1 + randomIndex(Math.min(first.value.totalPages, 5));
  const list =
    page === 1
      ? first
      : await cache.list(`popular:${page}`, () => tmdb.popular(page)).catch(originFailure);
  const pick = list.value.results[randomIndex(list.value.results.length)];
  setHeaders({ 'cache-control': 'no-store' });
  redirect(303, pick ? `/movie/${pick.id}` : '/');
};
