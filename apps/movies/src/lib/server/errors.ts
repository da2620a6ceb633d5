import { error } from '@sveltejs/kit';
import { OriginError } from './tmdb.ts';

/** Turns a failed origin call into the page SvelteKit shows: 404 for a missing movie, 502 otherwise. */
export function originFailure(failure: unknown): never {
  if (failure instanceof OriginError) {
    if (failure.status === 404) error(404, 'No movie with that id.');
    console.warn(`[movies] ${failure.message}`);
    error(502, 'The movie database is not answering right now. Try again in a moment.');
  }
  throw failure;
}
